import {
  backtestAll,
  backtestStrategies,
  createMarket,
  emptyBlockMoments,
  equityCurve,
  generateStrategies,
  positions,
  splitWindows,
  type Strategy,
} from '../src';
import { seriesFromCloses } from './fixtures';

const costs = { feesBps: 10, slippageBps: 0 };

describe('backtestAll', () => {
  it("puts each training bar's net return in its block and drops the remainder", () => {
    // closes 100 → 110 → 99 → 99 → 108.9 → 108.9 → 119.79; long from close 0 to the end
    const market = createMarket(seriesFromCloses([100, 110, 99, 99, 108.9, 108.9, 119.79, 119.79]));
    const hold: Strategy = {
      id: 's0',
      family: 'seasonal',
      direction: 'long_only',
      hours: Array.from({ length: 24 }, (_, h) => h),
      weekdays: [0, 1, 2, 3, 4, 5, 6],
    } as Strategy;
    const windows = { training: { start: 0, end: 7 }, validation: { start: 7, end: 8 } };
    const { trainingMoments: m } = backtestAll([hold], market, windows, costs, { blocks: 3 });
    expect(m).toMatchObject({ strategies: 1, blocks: 3, blockBars: 2 });
    const net = [0.999 - 1, 0.1, -0.1, 0, 0.1, 0]; // bar 6 (+10 %) is the dropped remainder
    for (let b = 0; b < 3; b++) {
      expect(m.sum[b]).toBeCloseTo(net[2 * b] + net[2 * b + 1], 14);
      expect(m.sumSquares[b]).toBeCloseTo(net[2 * b] ** 2 + net[2 * b + 1] ** 2, 14);
    }
  });

  it('gives the same training metrics as backtestStrategies, and the validation window its own', () => {
    const closes = Array.from({ length: 600 }, (_, i) => 100 * Math.exp(0.02 * Math.sin(i / 7) + 0.001 * i));
    const market = createMarket(seriesFromCloses(closes));
    const strategies = generateStrategies({
      count: 30,
      seed: 5,
      families: ['sma_cross', 'rsi_reversion', 'coin_flip', 'momentum'],
    });
    const windows = splitWindows(600, 0.7);
    const all = backtestAll(strategies, market, windows, costs, { blocks: 8 });
    expect(all.training).toEqual(backtestStrategies(strategies, market, windows.training, costs));
    expect(all.validation).toEqual(backtestStrategies(strategies, market, windows.validation, costs));
    // Each strategy's block sums are its net returns (read off its equity curve) over the blocks' bars.
    const { blockBars } = all.trainingMoments;
    strategies.forEach((strategy, i) => {
      const curve = equityCurve(positions(strategy, market), market, windows.training, costs);
      const net = Array.from(curve, (e, t) => e / (t === 0 ? 1 : curve[t - 1]) - 1);
      for (let b = 0; b < 8; b++) {
        const inBlock = net.slice(b * blockBars, (b + 1) * blockBars);
        expect(all.trainingMoments.sum[i * 8 + b]).toBeCloseTo(
          inBlock.reduce((a, r) => a + r, 0),
          12,
        );
      }
    });
  });

  it('refuses more blocks than bars', () => {
    expect(() => emptyBlockMoments(1, 11, 10)).toThrow(/blocks/);
  });
});
