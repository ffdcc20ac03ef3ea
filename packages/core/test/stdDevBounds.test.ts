// The kernel decides Bollinger's bands from a bracket of rollingStdDev's σ and sums a window exactly only where the
// bracket cannot decide (stdDevBounds.ts). The bracket must always hold, be tight on prices, and the positions must
// be the reference's, above all on closes exactly on a band.
import fc from 'fast-check';
import { bollinger, createMarket, positions, prepareColumns, rollingStdDev, sma, type Strategy } from '../src';
import { ColumnCache, fillPositions } from '../src/kernel/fillPositions';
import { rollingStdDevBounds } from '../src/kernel/stdDevBounds';
import { seriesFromCloses } from './fixtures';

jest.setTimeout(120_000);

function bracket(values: Float64Array, period: number) {
  const middle = sma(values, period);
  const both = new Float64Array(2 * values.length);
  rollingStdDevBounds(values, period, middle, both);
  return {
    sd: rollingStdDev(values, period, middle),
    lo: both.subarray(0, values.length),
    hi: both.subarray(values.length),
  };
}

/** Prices that make running sums round and cancel: long runs, levels across many magnitudes, big values, drift. */
const hostile = fc.oneof(
  fc.array(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 700 }),
  fc
    .tuple(
      fc.array(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 60 }),
    )
    .map(([levels, runs]) => runs.flatMap(([i, run]) => Array<number>(run).fill(levels[i % levels.length]))),
  fc
    .tuple(
      fc.double({ min: 1e6, max: 1e15, noNaN: true }),
      fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 700 }),
    )
    .map(([base, steps]) => steps.map((s, i) => base * (1 + i * 1e-3) + s * 2 ** -20 * base)),
);

describe('rollingStdDevBounds', () => {
  it('brackets rollingStdDev’s σ at every bar, whatever the prices', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 60 }), (prices, period) => {
        const { sd, lo, hi } = bracket(Float64Array.from(prices), period);
        for (let t = 0; t < prices.length; t++) {
          if (t < period - 1) expect([lo[t], hi[t]]).toEqual([Number.NaN, Number.NaN]);
          else if (!(lo[t] <= sd[t] && sd[t] <= hi[t])) throw new Error(`bar ${t}: ${lo[t]} ≤ ${sd[t]} ≤ ${hi[t]}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('is within 1e-9 of σ on a price path, so the exact sum is rarely needed', () => {
    const closes = Float64Array.from(
      { length: 5_000 },
      (_, i) => 30_000 * Math.exp(0.3 * Math.sin(i / 400) + 0.01 * Math.sin(i * 1.7)),
    );
    for (const period of [10, 55, 100]) {
      const { sd, lo, hi } = bracket(closes, period);
      let widest = 0;
      for (let t = period - 1; t < closes.length; t++) widest = Math.max(widest, (hi[t] - lo[t]) / sd[t]);
      expect(widest).toBeGreaterThan(0);
      expect(widest).toBeLessThan(1e-9);
    }
  });
});

describe('the kernel’s Bollinger positions', () => {
  const strategies = (period: number, k: number): Strategy[] =>
    (['reversion', 'breakout'] as const).flatMap((mode) =>
      (['long_only', 'long_short'] as const).map((direction) => ({
        id: `${mode}-${direction}`,
        family: 'bollinger' as const,
        period,
        k,
        mode,
        direction,
      })),
    );

  function expectReference(closes: number[], period: number, k: number) {
    const market = createMarket(seriesFromCloses(closes));
    const columns = prepareColumns(market);
    const pos = new Int8Array(closes.length);
    for (const s of strategies(period, k)) {
      fillPositions(s, columns, new ColumnCache(), pos);
      expect({ id: s.id, pos: Array.from(pos) }).toEqual({ id: s.id, pos: Array.from(positions(s, market)) });
    }
  }

  it('are the reference’s where closes sit exactly on a band (on the band is not beyond it)', () => {
    // Two-bar windows: σ = |a − b| / 2, so with k = 1 the lower band is the lower close itself.
    const closes = [100, 104, 100, 104, 96, 104, 104, 90, 100, 110, 100];
    const { lower, upper } = bollinger(Float64Array.from(closes), 2, 1);
    expect(closes.filter((c, t) => c === lower[t] || c === upper[t]).length).toBeGreaterThan(5);
    expectReference(closes, 2, 1);
  });

  it('are the reference’s on prices from a few levels (many exact ties), any period and k', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(96, 100, 100.5, 104, 0.1, 1e5), { minLength: 2, maxLength: 300 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(0.5, 1, 1.5, 2, Math.SQRT2, 3),
        expectReference,
      ),
      { numRuns: 300 },
    );
  });
});
