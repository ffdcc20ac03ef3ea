import { cachedPriceLoader, loadPrices, syntheticMarket } from '../src';

describe('syntheticMarket', () => {
  it('is reproducible for a seed and different across seeds', () => {
    const a = syntheticMarket({ bars: 1000, seed: 1 });
    expect(syntheticMarket({ bars: 1000, seed: 1 })).toEqual(a);
    expect(syntheticMarket({ bars: 1000, seed: 2 }).close).not.toEqual(a.close);
  });

  it('has the requested length, spacing and per-bar volatility, and consistent OHLC', () => {
    const bars = 50_000;
    const s = syntheticMarket({ bars, seed: 9, intervalMs: 3_600_000, annualVolatility: 0.65 });
    expect(s.close).toHaveLength(bars);
    expect(s.time[1] - s.time[0]).toBe(3_600_000);
    const logs = Array.from({ length: bars - 1 }, (_, i) => Math.log(s.close[i + 1] / s.close[i]));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
    const expected = 0.65 * Math.sqrt(1 / (365 * 24));
    expect(Math.abs(sd / expected - 1)).toBeLessThan(0.03);
    const inconsistent = Array.from(s.close.keys()).filter(
      (i) =>
        !(
          s.high[i] >= Math.max(s.open[i], s.close[i]) &&
          s.low[i] <= Math.min(s.open[i], s.close[i]) &&
          s.volume[i] > 0
        ),
    );
    expect(inconsistent).toEqual([]);
  });

  it('refuses impossible settings', () => {
    expect(() => syntheticMarket({ bars: 1, seed: 1 })).toThrow('synthetic.bars');
    expect(() => syntheticMarket({ bars: 10, seed: 1, annualVolatility: -1 })).toThrow('synthetic.annualVolatility');
  });
});

describe('loadPrices', () => {
  it('resolves a synthetic reference to the same series, described and hashed', async () => {
    const ref = { kind: 'synthetic', bars: 500, seed: 4, intervalSeconds: 300 } as const;
    const loaded = await loadPrices(ref);
    expect(loaded.series).toEqual(syntheticMarket({ bars: 500, seed: 4, intervalMs: 300_000 }));
    expect(loaded.source.path).toBe('synthetic GBM market (500 bars of 5m, seed 4)');
    expect(loaded.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await loadPrices(ref)).source.sha256).toBe(loaded.source.sha256);
    expect(loaded.report.spacingSeconds).toBe(300);
  });

  it('parses each reference once per loader', async () => {
    const load = cachedPriceLoader();
    const ref = { kind: 'synthetic', bars: 200, seed: 1, intervalSeconds: 60 } as const;
    expect(await load(ref)).toBe(await load({ ...ref }));
  });
});
