// Bollinger's exits compare the close with the middle as documented: "close ≥ middle" is decided against the exact
// mean of the window, not sma()'s running sum, whose rounding drifts (issue 14, item 14).
import fc from 'fast-check';
import { backtestAll, backtestAllReference, createMarket, positions, sideOfMean, sma, type Strategy } from '../src';
import { seriesFromCloses } from './fixtures';

jest.setTimeout(120_000);

/** The oracle: values k·2^e (k a safe integer), so sums are exact in BigInt units of 2^eMin. */
function oracle(ks: bigint[], es: number[], period: number): number[] {
  const eMin = Math.min(...es);
  const units = ks.map((k, i) => k << BigInt(es[i] - eMin));
  return units.map((u, t) => {
    if (t < period - 1) return Number.NaN;
    let total = 0n;
    for (let i = t - period + 1; i <= t; i++) total += units[i];
    const d = BigInt(period) * u - total;
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  });
}

describe('sideOfMean', () => {
  it('is the exact sign of value − window mean, ties included, whatever the running sum’s drift', () => {
    // A small pool of values across 2^60 of magnitude (so running sums round), repeated in runs (so windows tie).
    const value = fc.tuple(fc.bigInt({ min: 1n, max: 2n ** 53n - 1n }), fc.integer({ min: -40, max: 20 }));
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (pool, picks, period) => {
          const chosen = picks.flatMap(([i, run]) => Array(run).fill(pool[i % pool.length]) as [bigint, number][]);
          const values = Float64Array.from(chosen, ([k, e]) => Number(k) * 2 ** e);
          const expected = oracle(
            chosen.map(([k]) => k),
            chosen.map(([, e]) => e),
            period,
          );
          expect(Array.from(sideOfMean(values, period))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('calls a constant window after other prices equal to its mean, where sma() drifts', () => {
    const closes = Float64Array.from([119.65, 114.45, 115.07, 113.03, 101.45, 112.63, 84.42, 84.42, 84.42, 84.42]);
    expect(sma(closes, 4)[9]).toBe(84.42000000000006); // the running sum's mean, 8 units in the last place off
    expect(sideOfMean(closes, 4)[9]).toBe(0);
  });
});

describe('bollinger exits on a close equal to the middle (reversion: close ≥ middle)', () => {
  const closes = [119.65, 114.45, 115.07, 113.03, 101.45, 112.63, 84.42, 84.42, 84.42, 84.42, 84.42];
  const strategy: Strategy = {
    id: 's',
    family: 'bollinger',
    period: 4,
    k: 1,
    mode: 'reversion',
    direction: 'long_only',
  };

  it('enters long on the drop and leaves when the window is flat at the close (reference and kernel)', () => {
    const market = createMarket(seriesFromCloses(closes));
    expect(Array.from(positions(strategy, market))).toEqual([0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0]);
    const windows = { training: { start: 0, end: 6 }, validation: { start: 6, end: closes.length } };
    const costs = { feesBps: 10, slippageBps: 0 };
    const kernel = backtestAll([strategy], market, windows, costs, { blocks: 1 });
    expect(kernel.validation.columns.trades[0]).toBe(1);
    expect(kernel).toEqual(backtestAllReference([strategy], market, windows, costs, { blocks: 1 }));
  });
});
