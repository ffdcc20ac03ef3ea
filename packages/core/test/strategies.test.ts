import fc from 'fast-check';
import {
  createMarket,
  evaluatePositions,
  generateStrategies,
  hashToUnit,
  parseStrategy,
  positions,
  STRATEGY_FAMILIES,
  strategyLookback,
  type Strategy,
} from '../src';
import { seriesFromCloses } from './fixtures';

const walk = (steps: number[]) => {
  const closes = [100];
  for (const s of steps) closes.push(closes[closes.length - 1] * Math.exp(s));
  return closes;
};
const steps = (n: number) =>
  fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: n, maxLength: n });

describe('strategy rules', () => {
  it('sma_cross: flat until both averages exist, long above, short (long_short) or flat below', () => {
    const market = createMarket(seriesFromCloses([1, 2, 3, 4, 3, 2, 1, 1]));
    // SMA(2): –, 1.5, 2.5, 3.5, 3.5, 2.5, 1.5, 1 ; SMA(3): –, –, 2, 3, 3.33, 3, 2, 1.33
    const base = { id: 's', family: 'sma_cross', fast: 2, slow: 3 } as const;
    expect(Array.from(positions({ ...base, direction: 'long_only' }, market))).toEqual([0, 0, 1, 1, 1, 0, 0, 0]);
    expect(Array.from(positions({ ...base, direction: 'long_short' }, market))).toEqual([0, 0, 1, 1, 1, -1, -1, -1]);
  });

  it('donchian_breakout: a close above the previous bars’ highest high goes long', () => {
    const market = createMarket(seriesFromCloses([10, 11, 10.5, 12, 11, 9, 9.5]));
    const s: Strategy = { id: 's', family: 'donchian_breakout', period: 2, direction: 'long_short' };
    // channel of bars t−2…t−1 (high/low include the open = previous close):
    // t=3 breaks 11 → long; t=5 breaks below 11 → short
    expect(Array.from(positions(s, market))).toEqual([0, 0, 0, 1, 1, -1, -1]);
  });

  it('momentum: long above +threshold, short below −threshold, flat between', () => {
    const market = createMarket(seriesFromCloses([100, 103, 103.5, 100, 97]));
    const s: Strategy = { id: 's', family: 'momentum', lookback: 1, threshold: 0.02, direction: 'long_short' };
    expect(Array.from(positions(s, market))).toEqual([0, 1, 0, -1, -1]);
  });

  it('seasonal: long for the bar that starts in the chosen hours (the next bar’s open time)', () => {
    const market = createMarket(seriesFromCloses([1, 1, 1, 1])); // hourly from 2024-01-01T00:00 (a Monday)
    const s: Strategy = { id: 's', family: 'seasonal', hours: [2], weekdays: [1], direction: 'long_only' };
    // the decision at close of bar 1 (01:00 bar) is for the bar starting 02:00
    expect(Array.from(positions(s, market))).toEqual([0, 1, 0, 0]);
    expect(Array.from(positions({ ...s, weekdays: [2] }, market))).toEqual([0, 0, 0, 0]); // Tuesday only
  });

  it('coin_flip: the position at a timestamp is the same whatever slice of history it runs on', () => {
    const full = seriesFromCloses(walk(Array(199).fill(0.001)));
    const s: Strategy = { id: 's', family: 'coin_flip', seed: 7, probabilityLong: 0.5, direction: 'long_short' };
    const late = {
      ...full,
      time: full.time.subarray(100),
      open: full.open.subarray(100),
      high: full.high.subarray(100),
      low: full.low.subarray(100),
      close: full.close.subarray(100),
      volume: full.volume.subarray(100),
    };
    expect(Array.from(positions(s, createMarket(late)))).toEqual(
      Array.from(positions(s, createMarket(full)).subarray(100)),
    );
    const longs = positions(s, createMarket(full)).filter((p) => p === 1).length;
    expect(longs).toBeGreaterThan(70); // about half of 200
    expect(longs).toBeLessThan(130);
    expect(hashToUnit(7, 1e12)).not.toBe(hashToUnit(8, 1e12));
  });
});

describe('properties', () => {
  const strategies = generateStrategies({ count: 60, seed: 3 }).map(
    (s) =>
      ({
        ...s,
        ...(s.family === 'sma_cross' || s.family === 'ema_cross'
          ? { slow: Math.min(s.slow, 40), fast: Math.min(s.fast, 20) }
          : {}),
      }) as Strategy,
  );

  it('no look-ahead: changing prices after bar k never changes a position at or before k', () => {
    fc.assert(
      fc.property(steps(299), steps(299), fc.integer({ min: 1, max: 298 }), (a, b, k) => {
        const original = seriesFromCloses(walk(a));
        const changed = seriesFromCloses(walk([...a.slice(0, k), ...b.slice(k)])); // bars 0…k keep their closes
        const m1 = createMarket(original);
        const m2 = createMarket(changed);
        for (const s of strategies) {
          const p1 = positions(s, m1);
          const p2 = positions(s, m2);
          for (let t = 0; t <= k; t++) if (p1[t] !== p2[t]) return false;
        }
        return true;
      }),
      { numRuns: 40 },
    );
  });

  it('a window’s metrics do not depend on bars after it, and the equity curve ends at 1 + totalReturn', () => {
    fc.assert(
      fc.property(
        steps(249),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 2, max: 120 }),
        (a, start, length) => {
          const closes = walk(a);
          const end = start + length;
          const full = createMarket(seriesFromCloses(closes));
          const cut = createMarket(seriesFromCloses(closes.slice(0, end)));
          for (const s of strategies.slice(0, 20)) {
            const m = evaluatePositions(positions(s, full), full, { start, end }, { feesBps: 7, slippageBps: 3 });
            expect(evaluatePositions(positions(s, cut), cut, { start, end }, { feesBps: 7, slippageBps: 3 })).toEqual(
              m,
            );
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('generateStrategies', () => {
  it('is reproducible byte for byte, and a different seed draws different strategies', () => {
    const a = JSON.stringify(generateStrategies({ count: 500, seed: 42 }));
    expect(JSON.stringify(generateStrategies({ count: 500, seed: 42 }))).toBe(a);
    expect(JSON.stringify(generateStrategies({ count: 500, seed: 43 }))).not.toBe(a);
  });

  it('draws every family, ids s0001…, parameters within the documented ranges', () => {
    const all = generateStrategies({ count: 2000, seed: 1 });
    expect(all[0].id).toBe('s0001');
    expect(all[1999].id).toBe('s2000');
    expect(new Set(all.map((s) => s.family))).toEqual(new Set(STRATEGY_FAMILIES));
    for (const s of all) {
      expect(parseStrategy(JSON.parse(JSON.stringify(s)))).toEqual(s); // every drawn record is valid and JSON-safe
      if (s.family === 'sma_cross')
        expect(s.fast >= 2 && s.fast <= 50 && s.slow >= s.fast + 5 && s.slow <= 250).toBe(true);
      if (s.family === 'bollinger') expect(String(s.k)).toMatch(/^[123](\.\d)?$/);
      expect(strategyLookback(s)).toBeGreaterThanOrEqual(1);
    }
    expect(generateStrategies({ count: 100_000, seed: 1 })[0].id).toBe('s000001');
  });

  it('draws only the families asked for', () => {
    expect(
      new Set(generateStrategies({ count: 100, seed: 1, families: ['macd', 'coin_flip'] }).map((s) => s.family)),
    ).toEqual(new Set(['macd', 'coin_flip']));
  });

  it.each([
    [{ count: 0, seed: 1 }, 'count'],
    [{ count: 1.5, seed: 1 }, 'count'],
    [{ count: 5, seed: 1, families: [] }, 'families'],
    [{ count: 5, seed: 1, families: ['astrology'] }, 'families'],
  ])('refuses %j', (options, where) => {
    expect(() => generateStrategies(options as never)).toThrow(expect.objectContaining({ where }));
  });
});

describe('parseStrategy', () => {
  it.each([
    [{ id: 's', family: 'sma_cross', fast: 30, slow: 10, direction: 'long_only' }, 'strategy.slow'],
    [{ id: 's', family: 'sma_cross', fast: 2.5, slow: 10, direction: 'long_only' }, 'strategy.fast'],
    [{ id: 's', family: 'sma_cross', fast: 2, slow: 10, direction: 'sideways' }, 'strategy.direction'],
    [{ id: 's', family: 'tarot', direction: 'long_only' }, 'strategy.family'],
    [{ family: 'macd', fast: 5, slow: 10, signal: 3, direction: 'long_only' }, 'strategy.id'],
    [{ id: 's', family: 'seasonal', hours: [1, 1], weekdays: [0], direction: 'long_only' }, 'strategy.hours'],
    [{ id: 's', family: 'seasonal', hours: [24], weekdays: [0], direction: 'long_only' }, 'strategy.hours'],
    [{ id: 's', family: 'rsi_reversion', period: 14, lower: 70, upper: 80, direction: 'long_only' }, 'strategy.lower'],
    [{ id: 's', family: 'bollinger', period: 20, k: 2, mode: 'sideways', direction: 'long_only' }, 'strategy.mode'],
    ['{"family"}', 'strategy'],
  ])('refuses %j naming %s', (record, where) => {
    expect(() => parseStrategy(record)).toThrow(expect.objectContaining({ where }));
  });
  it('lists every wrong field of a record at once', () => {
    const record = { id: '', family: 'bollinger', period: 1, k: 0, mode: 'sideways', direction: 'long_only' };
    expect(() => parseStrategy(record)).toThrow(
      'strategy.id: must be a non-empty string of at most 64 characters (got ""); strategy.period: must be an integer from 2 to 100000 (got 1); ' +
        'strategy.k: must be a number greater than 0 and at most 10 (got 0); strategy.mode: must be one of reversion, breakout (got "sideways")',
    );
  });
});
