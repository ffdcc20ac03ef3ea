import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PriceSeries } from '@overfit/core';
import {
  fitGarch11,
  formatPriceCsv,
  logReturns,
  readPriceCsv,
  simulateGarch11,
  sliceBars,
  synthesizeLike,
  synthesizeMarketLike,
  SYNTH_MODELS,
} from '../src';

const SHARED_HOURLY = resolve(__dirname, '../../../../shared/data/btc_usd_1h.csv');
const HOUR = 3_600_000;

const std = (x: Float64Array) => {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1));
};

describe('fitGarch11', () => {
  // Tolerances are about four standard deviations of the estimates, measured by fitting 20,000 simulated returns
  // for seeds 1–10: for (0.08, 0.9) α spreads by 0.004, β by 0.005, α + β by 0.0015; for (0.2, 0.5) — less
  // persistent, so β is identified less sharply — α by 0.01, β by 0.03, α + β by 0.025.
  it.each([
    [{ mu: 0, omega: 2e-6, alpha: 0.08, beta: 0.9 }, 1, { alpha: 0.02, beta: 0.025, persistence: 0.01 }],
    [{ mu: 1e-4, omega: 3e-5, alpha: 0.2, beta: 0.5 }, 2, { alpha: 0.04, beta: 0.12, persistence: 0.1 }],
  ])('recovers %j from 20,000 simulated returns', (truth, seed, tolerance) => {
    const simulated = simulateGarch11(truth, { bars: 20_001, seed, start: 0, intervalMs: HOUR, startPrice: 10_000 });
    const fit = fitGarch11(logReturns(simulated.close));
    expect(fit.observations).toBe(20_000);
    expect(Math.abs(fit.alpha - truth.alpha)).toBeLessThan(tolerance.alpha);
    expect(Math.abs(fit.beta - truth.beta)).toBeLessThan(tolerance.beta);
    expect(Math.abs(fit.alpha + fit.beta - (truth.alpha + truth.beta))).toBeLessThan(tolerance.persistence);
    // Variance targeting: ω / (1 − α − β) is the sample variance, within 15 % of the true ω / (1 − α − β).
    const unconditional = truth.omega / (1 - truth.alpha - truth.beta);
    expect(Math.abs(fit.omega / (1 - fit.alpha - fit.beta) / unconditional - 1)).toBeLessThan(0.15);
    // The mean of 20,000 returns: four standard errors.
    expect(Math.abs(fit.mu - truth.mu)).toBeLessThan(4 * Math.sqrt(unconditional / 20_000));
  });

  it('refuses a series too short to fit', () => {
    expect(() => fitGarch11(new Float64Array(50).fill(0.01), 'like.csv')).toThrow(
      'like.csv: needs at least 100 returns',
    );
  });
});

describe('synthesizeLike', () => {
  let source: PriceSeries;
  beforeAll(async () => {
    // The last 20,000 hours of the real history (2023–2025), or a GARCH market when ../shared/data is absent.
    source = existsSync(SHARED_HOURLY)
      ? sliceBars((await readPriceCsv(SHARED_HOURLY)).series, -20_000)
      : simulateGarch11(
          { mu: 0, omega: 7e-7, alpha: 0.08, beta: 0.9 },
          { bars: 20_000, seed: 5, start: Date.UTC(2020, 0, 1), intervalMs: HOUR, startPrice: 10_000 },
        );
  });

  it.each(SYNTH_MODELS)(
    '%s: same length, start, bar, price level and volatility; consistent OHLC; byte-reproducible',
    (model) => {
      const market = synthesizeLike(source, { model, seed: 7 });
      const n = source.close.length;
      expect(market.close).toHaveLength(n);
      expect(market.time[0]).toBe(source.time[0]);
      expect(market.time[n - 1] - market.time[0]).toBe((n - 1) * HOUR);
      expect(Math.abs(market.open[0] / source.close[0] - 1)).toBeLessThan(0.2);
      // Per-bar volatility. GBM draws normal returns at the source's volatility: 20,000 of them estimate it within
      // about 0.5 %. The bootstrap redraws BTC's own heavy-tailed returns (kurtosis ≈ 20 makes the standard error of
      // a standard deviation ≈ √(19 / 4n) ≈ 1.5 %, more with clustering): ±8 %. A GARCH path reaches its targeted
      // unconditional variance slowly because volatility clusters: ±10 %.
      const ratio = std(logReturns(market.close)) / std(logReturns(source.close));
      expect(Math.abs(ratio - 1)).toBeLessThan({ gbm: 0.03, bootstrap: 0.08, garch: 0.1 }[model]);
      for (let i = 0; i < n; i++) {
        if (
          !(
            market.high[i] >= Math.max(market.open[i], market.close[i]) &&
            market.low[i] <= Math.min(market.open[i], market.close[i])
          )
        ) {
          throw new Error(`bar ${i} is not consistent`);
        }
      }
      expect(formatPriceCsv(synthesizeLike(source, { model, seed: 7 }))).toBe(formatPriceCsv(market));
      expect(synthesizeLike(source, { model, seed: 8 }).close).not.toEqual(market.close);
    },
  );

  it('makes as many bars as asked', () => {
    for (const model of SYNTH_MODELS)
      expect(synthesizeLike(source, { model, seed: 1, bars: 1234 }).close).toHaveLength(1234);
  });

  it('bootstrap: every bar-to-bar move is a real one, in blocks of the requested mean length', () => {
    const { series, fitted } = synthesizeMarketLike(source, {
      model: 'bootstrap',
      seed: 3,
      bars: 5000,
      meanBlockLength: 10,
    });
    expect(fitted.meanBlockLength).toBe(10);
    const real = logReturns(source.close);
    // Source positions sorted by their return: a binary search finds where a synthetic return came from.
    const order = Array.from(real.keys()).sort((a, b) => real[a] - real[b]);
    const locate = (r: number): number => {
      let lo = 0;
      let hi = order.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (real[order[mid]] < r - 1e-12) lo = mid + 1;
        else hi = mid;
      }
      return Math.abs(real[order[lo]] - r) < 1e-12 ? order[lo] : -1;
    };
    const synthetic = logReturns(series.close);
    let continued = 0;
    let j = -1;
    for (const r of synthetic) {
      // Continuing the block means taking the source's next return; otherwise find where the new block starts.
      if (j >= 0 && j + 1 < real.length && Math.abs(real[j + 1] - r) < 1e-12) {
        continued++;
        j++;
      } else {
        j = locate(r);
        if (j < 0) throw new Error(`return ${r} is not in the source`);
      }
    }
    // A block continues with probability 1 − 1/10 (a few repeated return values blur this slightly).
    expect(continued / synthetic.length).toBeGreaterThan(0.87);
    expect(continued / synthetic.length).toBeLessThan(0.93);
  });

  it('garch: reports the fitted parameters', () => {
    const { fitted } = synthesizeMarketLike(source, { model: 'garch', seed: 1, bars: 100 });
    expect(fitted.garch).toMatchObject({ observations: source.close.length - 1 });
    const { alpha, beta, omega } = fitted.garch!;
    expect(alpha > 0 && beta > 0 && alpha + beta < 1 && omega > 0).toBe(true);
  });
});
