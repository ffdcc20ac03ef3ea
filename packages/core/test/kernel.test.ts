// The fast kernel against the reference (positions() + walk()), bit for bit, across families, windows, costs,
// block counts and processing orders; prices drawn from a small set of levels so that ties (equal averages, a rate
// of change exactly at its threshold, flat bars) happen often.
import fc from 'fast-check';
import {
  accountWindow,
  backtestAll,
  BLOCK_SCORES,
  positions,
  SELECTION_METRIC_FIELDS,
  donchian,
  rollingStdDev,
  sma,
  backtestAllReference,
  BacktestKernel,
  backtestJob,
  createMarket,
  emptyResults,
  evaluatePositions,
  generateStrategies,
  METRIC_NAMES,
  prepareColumns,
  SELECTION_METRICS,
  STATE_SLOTS,
  type BacktestResults,
  type Metrics,
  type Strategy,
} from '../src';
import { rollingMax, rollingMin } from '../src/kernel/rollingExtremes';
import { seriesFromCloses } from './fixtures';

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function expectIdentical(fast: BacktestResults, reference: BacktestResults): void {
  expect(fast.training.ids).toEqual(reference.training.ids);
  for (const m of METRIC_NAMES) {
    expect({ m, training: bits(fast.training.columns[m]) }).toEqual({
      m,
      training: bits(reference.training.columns[m]),
    });
    expect({ m, validation: bits(fast.validation.columns[m]) }).toEqual({
      m,
      validation: bits(reference.validation.columns[m]),
    });
  }
  const { sum, sumSquares, trades, selection, ...shape } = fast.trainingMoments;
  const {
    sum: refSum,
    sumSquares: refSquares,
    trades: refTrades,
    selection: refSelection,
    ...refShape
  } = reference.trainingMoments;
  expect(shape).toEqual(refShape);
  expect(bits(sum)).toEqual(bits(refSum));
  expect(bits(sumSquares)).toEqual(bits(refSquares));
  expect(bits(trades)).toEqual(bits(refTrades));
  expect(selection?.metric).toEqual(refSelection?.metric);
  if (selection && refSelection) {
    expect(bits(selection.x)).toEqual(bits(refSelection.x));
    expect(bits(selection.y)).toEqual(bits(refSelection.y));
  }
}

const direction = fc.constantFrom('long_only' as const, 'long_short' as const);
const period = (max: number) => fc.integer({ min: 1, max });
const pair = (max: number) =>
  fc
    .tuple(period(max), period(max))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);

/** Every family with parameters small enough to trade on a few hundred bars. */
const strategy: fc.Arbitrary<Omit<Strategy, 'id'>> = fc.oneof(
  fc.record({
    family: fc.constant('coin_flip' as const),
    direction,
    seed: fc.nat(),
    probabilityLong: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc
    .record({ family: fc.constant('sma_cross' as const), direction, p: pair(40) })
    .map(({ p, ...s }) => ({ ...s, fast: p[0], slow: p[1] })),
  fc
    .record({ family: fc.constant('ema_cross' as const), direction, p: pair(40) })
    .map(({ p, ...s }) => ({ ...s, fast: p[0], slow: p[1] })),
  fc
    .record({ family: fc.constant('macd' as const), direction, p: pair(30), signal: period(12) })
    .map(({ p, ...s }) => ({ ...s, fast: p[0], slow: p[1] })),
  fc.record({
    family: fc.constant('rsi_reversion' as const),
    direction,
    period: fc.integer({ min: 2, max: 30 }),
    lower: fc.integer({ min: 10, max: 45 }),
    upper: fc.integer({ min: 55, max: 90 }),
  }),
  fc.record({
    family: fc.constant('bollinger' as const),
    direction,
    period: fc.integer({ min: 2, max: 40 }),
    k: fc.constantFrom(0.5, 1, 1.5, 2, 2.7),
    mode: fc.constantFrom('reversion' as const, 'breakout' as const),
  }),
  fc.record({ family: fc.constant('donchian_breakout' as const), direction, period: period(40) }),
  fc.record({
    family: fc.constant('momentum' as const),
    direction,
    lookback: period(40),
    threshold: fc.constantFrom(0, 0.01, 0.02, 0.001, 0.0099),
  }),
  fc.record({
    family: fc.constant('seasonal' as const),
    direction,
    hours: fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 24 }),
    weekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
  }),
) as fc.Arbitrary<Omit<Strategy, 'id'>>;

/** Closes that revisit a few levels (100, 101, 102, 99, …), so averages and rates of change tie exactly. */
const closes = fc.array(fc.constantFrom(99, 100, 101, 102, 100.5, 98, 110), { minLength: 60, maxLength: 400 });

const setup = fc.record({
  closes,
  strategies: fc.array(strategy, { minLength: 1, maxLength: 12 }),
  split: fc.double({ min: 0.2, max: 0.8, noNaN: true }),
  feesBps: fc.constantFrom(0, 10, 2.5, 5000),
  slippageBps: fc.constantFrom(0, 3, 0.1),
  blocks: fc.integer({ min: 1, max: 16 }),
  selectBy: fc.constantFrom(...SELECTION_METRICS),
});

describe('fast kernel', () => {
  it('gives the reference results bit for bit on contiguous training/validation windows', () => {
    fc.assert(
      fc.property(setup, ({ closes: prices, strategies: drawn, split, feesBps, slippageBps, blocks, selectBy }) => {
        const market = createMarket(seriesFromCloses(prices));
        const cut = Math.max(blocks, Math.floor(prices.length * split));
        const windows = { training: { start: 0, end: cut }, validation: { start: cut, end: prices.length } };
        const strategies = drawn.map((s, i) => ({ ...s, id: `s${i}` }) as Strategy);
        const costs = { feesBps, slippageBps };
        expectIdentical(
          backtestAll(strategies, market, windows, costs, { blocks, selectBy }),
          backtestAllReference(strategies, market, windows, costs, { blocks, selectBy }),
        );
      }),
      { numRuns: 120 },
    );
  });

  it('gives the reference results on arbitrary (even overlapping) windows, in any processing order and chunking', () => {
    fc.assert(
      fc.property(
        setup,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 5 }),
        ({ closes: prices, strategies: drawn, feesBps, blocks, selectBy }, a, b, chunk) => {
          const n = prices.length;
          const start = a % (n - blocks);
          const end = start + blocks + (b % (n - start - blocks + 1));
          const windows = { training: { start, end }, validation: { start: b % n, end: n } };
          const strategies = drawn.map((s, i) => ({ ...s, id: `s${i}` }) as Strategy);
          const market = createMarket(seriesFromCloses(prices));
          const costs = { feesBps, slippageBps: 0 };
          // Rows in reverse, `chunk` at a time, each chunk by a fresh kernel (as separate worker threads would).
          const results = emptyResults(strategies, windows, blocks, undefined, selectBy);
          const columns = prepareColumns(market);
          for (let to = strategies.length; to > 0; to -= chunk) {
            const rows = Array.from({ length: Math.min(chunk, to) }, (_, i) => to - 1 - i);
            new BacktestKernel(columns, backtestJob(market, windows, costs), results).run(
              rows.map((r) => strategies[r]),
              rows,
            );
          }
          expectIdentical(results, backtestAllReference(strategies, market, windows, costs, { blocks, selectBy }));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('matches the reference on a smooth trending market with generated strategies of every family', () => {
    const prices = Array.from(
      { length: 3000 },
      (_, i) => 100 * Math.exp(0.05 * Math.sin(i / 40) + 0.0002 * i + 0.01 * Math.sin(i * 1.7)),
    );
    const market = createMarket(seriesFromCloses(prices));
    const windows = { training: { start: 0, end: 2100 }, validation: { start: 2100, end: 3000 } };
    const strategies = generateStrategies({ count: 150, seed: 9 });
    const costs = { feesBps: 10, slippageBps: 2 };
    const fast = backtestAll(strategies, market, windows, costs, { blocks: 64 });
    expectIdentical(fast, backtestAllReference(strategies, market, windows, costs, { blocks: 64 }));
    // Not a vacuous comparison: most strategies trade on both windows.
    const trading = fast.validation.columns.trades.filter((t) => t > 0).length;
    expect(trading).toBeGreaterThan(110);
  });

  it('accounts any positions like walk(), by both of its loops (sparse: branches; dense: 0/1 factors)', () => {
    const asBits = (m: Metrics) => bits(Float64Array.from(METRIC_NAMES, (name) => m[name]));
    fc.assert(
      fc.property(
        closes,
        fc.array(fc.tuple(fc.constantFrom(-1, 0, 1), fc.integer({ min: 1, max: 6 })), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom(0, 10, 2.5, 5000, 20000),
        (prices, runs, a, b, feesBps) => {
          const n = prices.length;
          const pos = new Int8Array(n);
          let t = 0;
          for (const [value, length] of runs) for (let i = 0; i < length && t < n; i++) pos[t++] = value;
          const start = a % (n - 1);
          const end = start + 1 + (b % (n - start));
          const market = createMarket(seriesFromCloses(prices));
          const costs = { feesBps, slippageBps: 0 };
          const expected = asBits(evaluatePositions(pos, market, { start, end }, costs));
          const state = new Float64Array(STATE_SLOTS);
          const columns = prepareColumns(market);
          for (const dense of [false, true]) {
            expect({
              dense,
              metrics: asBits(accountWindow(pos, columns, start, end, feesBps / 10_000, state, undefined, dense)),
            }).toEqual({ dense, metrics: expected });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('computes donchian() bands with its block algorithm, any period (even longer than the series)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(1, 2, 3, 2.5, 7, 0.5), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 150 }),
        (values, period) => {
          const column = Float64Array.from(values);
          const expected = donchian(column, column, period);
          const upper = new Float64Array(values.length);
          const lower = new Float64Array(values.length);
          rollingMax(column, period, upper);
          rollingMin(column, period, lower);
          expect(bits(upper)).toEqual(bits(expected.upper));
          expect(bits(lower)).toEqual(bits(expected.lower));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects bad costs and windows before any work, with the place', () => {
    const market = createMarket(seriesFromCloses([100, 101, 102, 103, 104]));
    const s = [{ id: 's', family: 'sma_cross', direction: 'long_only', fast: 1, slow: 2 } as Strategy];
    const ok = { training: { start: 0, end: 3 }, validation: { start: 3, end: 5 } };
    expect(() => backtestAll(s, market, ok, { feesBps: -1, slippageBps: 0 }, { blocks: 1 })).toThrow(
      expect.objectContaining({ where: 'costs' }),
    );
    expect(() =>
      backtestAll(
        s,
        market,
        { ...ok, validation: { start: 3, end: 9 } },
        { feesBps: 0, slippageBps: 0 },
        { blocks: 1 },
      ),
    ).toThrow(/0…5/);
    expect(() => backtestAll(s, market, ok, { feesBps: 0, slippageBps: 0 }, { blocks: 4 })).toThrow(/blocks|3 bars/);
  });
});

describe('rollingStdDev', () => {
  it('gives each window the value of its own two-pass sum (four windows are summed side by side)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 90 }),
        fc.integer({ min: 1, max: 40 }),
        (values, period) => {
          const column = Float64Array.from(values);
          const middle = sma(column, period);
          const alone = Float64Array.from(column, (_, t) => {
            if (t < period - 1) return Number.NaN;
            let squares = 0;
            for (let i = t - period + 1; i <= t; i++) squares += (column[i] - middle[t]) ** 2;
            return Math.sqrt(squares / period);
          });
          expect(bits(rollingStdDev(column, period, middle))).toEqual(bits(alone));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('per-block figures of the selection metric', () => {
  it('add up over the blocks to the window metric (win rate, hit rate, profit factor, total return, Sortino)', () => {
    const prices = Array.from(
      { length: 2000 },
      (_, i) => 100 * Math.exp(0.04 * Math.sin(i / 30) + 0.012 * Math.sin(i * 2.3)),
    );
    const market = createMarket(seriesFromCloses(prices));
    // 64 blocks of 25 bars exactly: no bar of the window is dropped, and the last trade closes inside it.
    const windows = { training: { start: 0, end: 1600 }, validation: { start: 1600, end: 2000 } };
    const strategies = generateStrategies({
      count: 40,
      seed: 3,
      families: ['sma_cross', 'rsi_reversion', 'bollinger'],
    });
    const costs = { feesBps: 10, slippageBps: 0 };
    for (const selectBy of ['win_rate', 'hit_rate', 'profit_factor', 'total_return', 'sortino'] as const) {
      const { training, trainingMoments: m } = backtestAll(strategies, market, windows, costs, {
        blocks: 64,
        selectBy,
      });
      const { score } = BLOCK_SCORES[selectBy];
      const field = SELECTION_METRIC_FIELDS[selectBy];
      let checked = 0;
      for (let i = 0; i < strategies.length; i++) {
        // a trade still open at the end counts only in the window
        const open = positions(strategies[i], market)[1599] !== 0;
        if (open) continue;
        let x = 0,
          y = 0,
          trades = 0;
        for (let b = 0; b < 64; b++) {
          x += m.selection!.x[i * 64 + b];
          y += m.selection!.y[i * 64 + b];
          trades += m.trades[i * 64 + b];
        }
        expect(trades).toBe(training.columns.trades[i]);
        // Total return ranks as its log growth; Sortino per bar (the table's is annualised).
        const expected =
          selectBy === 'total_return'
            ? Math.log1p(training.columns.totalReturn[i])
            : selectBy === 'sortino'
              ? training.columns.sortino[i] / Math.sqrt(market.periodsPerYear)
              : training.columns[field][i];
        if (Number.isNaN(expected)) expect(score(x, y, 1600)).toBeNaN();
        else expect(score(x, y, 1600)).toBeCloseTo(expected, 9);
        checked++;
      }
      expect(checked).toBeGreaterThan(10);
    }
  });

  it('are not emitted for Sharpe, which CSCV reads from Σr and Σr²', () => {
    const market = createMarket(seriesFromCloses(Array.from({ length: 300 }, (_, i) => 100 + Math.sin(i))));
    const windows = { training: { start: 0, end: 200 }, validation: { start: 200, end: 300 } };
    const { trainingMoments } = backtestAll(
      generateStrategies({ count: 3, seed: 1 }),
      market,
      windows,
      { feesBps: 0, slippageBps: 0 },
      { blocks: 8, selectBy: 'sharpe' },
    );
    expect(trainingMoments.selection).toBeNull();
    expect(trainingMoments.trades).toHaveLength(24);
  });
});
