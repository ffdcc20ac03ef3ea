import { buyAndHold, createMarket, equityCurve, evaluatePositions, splitWindows } from '../src';
import { seriesFromCloses } from './fixtures';

const c = 0.001; // 10 bps
const costs = { feesBps: 10, slippageBps: 0 };
const P = 8760; // hourly bars: 365 × 24 per year
const sharpeOf = (r: number[]) => {
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
  return (mean / sd) * Math.sqrt(P);
};

describe('backtest accounting, by hand', () => {
  // closes 100 → 110 → 99 → 99 → 108.9: +10 %, −10 %, 0, +10 %
  const market = createMarket(seriesFromCloses([100, 110, 99, 99, 108.9]));
  // long at close 0, hold through bars 1–2, exit at close 2, flat, re-enter at the last close
  const pos = Int8Array.from([1, 1, 0, 0, 1]);

  it('charges the entry, earns the next bars, charges the exit', () => {
    const net = [
      1 * (1 - c) - 1, // bar 0: no return before the first close; entry cost at close 0
      1.1 - 1, // bar 1: held long, +10 %
      0.9 * (1 - c) - 1, // bar 2: held long, −10 %, exit cost at close 2
      0, // bar 3: flat
      1 * (1 - c) - 1, // bar 4: flat over a +10 % bar (no look-ahead), entry cost at close 4
    ];
    const m = evaluatePositions(pos, market, { start: 0, end: 5 }, costs);
    const equity = net.reduce((e, r) => e * (1 + r), 1);
    expect(m.totalReturn).toBeCloseTo(equity - 1, 14);
    expect(m.totalReturn).toBeCloseTo(0.999 * 1.1 * 0.8991 * 0.999 - 1, 14);
    // One trade (bars 1–2): 1.1 × 0.9 × entry 0.999 × exit 0.999 − 1 = −1.198 %: a loss. The position opened at
    // close 4 has no bar in the window and is not a trade of it.
    expect(m.trades).toBe(1);
    expect(m.winRate).toBe(0);
    expect(m.profitFactor).toBe(0);
    expect(m.exposure).toBeCloseTo(2 / 5, 14);
    expect(m.hitRate).toBe(0.5); // bar 1 up, bar 2 down
    // Peak 1.0989 after bar 1; trough after bar 4 = 1.0989 × 0.8991 × 0.999.
    expect(m.maxDrawdown).toBeCloseTo(1 - 0.8991 * 0.999, 14);
    expect(m.sharpe).toBeCloseTo(sharpeOf(net), 10);
    const downside = Math.sqrt(net.filter((r) => r < 0).reduce((a, r) => a + r * r, 0) / 5);
    expect(m.sortino).toBeCloseTo((net.reduce((a, b) => a + b, 0) / 5 / downside) * Math.sqrt(P), 10);
    const years = 5 / P;
    expect(m.cagr).toBeCloseTo(equity ** (1 / years) - 1, 6);
    expect(m.calmar).toBeCloseTo(m.cagr / m.maxDrawdown, 10);
  });

  it('gives the equity after every bar', () => {
    const curve = equityCurve(pos, market, { start: 0, end: 5 }, costs);
    const expected = [
      0.999,
      0.999 * 1.1,
      0.999 * 1.1 * 0.9 * 0.999,
      0.999 * 1.1 * 0.9 * 0.999,
      0.999 * 1.1 * 0.9 * 0.999 * 0.999,
    ];
    expect(curve).toHaveLength(5);
    for (const [i, e] of expected.entries()) expect(curve[i]).toBeCloseTo(e, 14);
  });

  it('charges 2c for a flip from long to short, and counts both trades', () => {
    const flat = createMarket(seriesFromCloses([100, 100, 100]));
    const m = evaluatePositions(Int8Array.from([1, -1, -1]), flat, { start: 0, end: 3 }, costs);
    expect(m.totalReturn).toBeCloseTo((1 - c) * (1 - 2 * c) - 1, 15);
    expect(m.trades).toBe(2); // the long (entry + exit legs) and the short still open at the end
    expect(m.winRate).toBe(0);
  });

  it('earns from a short when the price falls', () => {
    const falling = createMarket(seriesFromCloses([100, 90, 81]));
    const m = evaluatePositions(
      Int8Array.from([-1, -1, 0]),
      falling,
      { start: 0, end: 3 },
      { feesBps: 0, slippageBps: 0 },
    );
    expect(m.totalReturn).toBeCloseTo(1.1 * 1.1 - 1, 14);
    expect(m).toMatchObject({
      trades: 1,
      winRate: 1,
      hitRate: 1,
      maxDrawdown: 0,
      profitFactor: Number.POSITIVE_INFINITY,
    });
  });

  it('carries a position into a window at no cost and counts the cut trade with its bars inside', () => {
    const rising = createMarket(seriesFromCloses([100, 110, 121, 133.1]));
    const m = evaluatePositions(Int8Array.from([1, 1, 1, 1]), rising, { start: 2, end: 4 }, costs);
    expect(m.totalReturn).toBeCloseTo(0.21, 14); // two +10 % bars, no entry cost inside this window
    expect(m).toMatchObject({ trades: 1, winRate: 1, exposure: 1 });
  });

  it('marks undefined metrics as NaN, not 0', () => {
    const m = evaluatePositions(new Int8Array(5), market, { start: 0, end: 5 }, costs);
    expect(m.totalReturn).toBe(0);
    expect(m.trades).toBe(0);
    for (const name of ['sharpe', 'sortino', 'calmar', 'winRate', 'hitRate', 'profitFactor'] as const)
      expect(m[name]).toBeNaN();
  });

  it('buy-and-hold earns close[end−1] / close[start−1] − 1', () => {
    expect(buyAndHold(market, { start: 2, end: 5 }).totalReturn).toBeCloseTo(108.9 / 110 - 1, 14);
    expect(buyAndHold(market, { start: 0, end: 5 }).totalReturn).toBeCloseTo(108.9 / 100 - 1, 14);
  });

  it('refuses bad windows and costs', () => {
    expect(() => evaluatePositions(pos, market, { start: 3, end: 9 }, costs)).toThrow('window');
    expect(() => evaluatePositions(pos, market, { start: 0, end: 5 }, { feesBps: -1, slippageBps: 0 })).toThrow(
      'costs',
    );
  });
});

describe('splitWindows', () => {
  it('gives training the first ⌊n·f⌋ bars and validation the rest', () => {
    expect(splitWindows(71_214, 0.7)).toEqual({
      training: { start: 0, end: 49_849 },
      validation: { start: 49_849, end: 71_214 },
    });
  });
  it('refuses fractions and sizes that leave a side without 2 bars', () => {
    expect(() => splitWindows(100, 1)).toThrow('trainFraction');
    expect(() => splitWindows(3, 0.5)).toThrow('each needs at least 2');
  });
});
