// The generated markets on which no strategy can have an edge: zero-drift GBM and a GARCH(1,1) conditional
// martingale (the bootstraps of the real history are in realSource.ts and markets.ts).
import { InputError, type PriceSeries } from '@overfit/core';
import { syntheticMarket, type Garch11 } from '@overfit/data';
import { buildBars } from './marketBars';
import { ANNUAL_VOLATILITY, BAR_VOLATILITY, INTERVAL_MS, START_PRICE, START_TIME } from './marketKinds';

const { sqrt } = Math;

/** Fixed BTC-like GARCH(1,1) used when the real hourly history is absent (persistence α + β = 0.98). */
export const FALLBACK_GARCH = { omega: BAR_VOLATILITY ** 2 * 0.02, alpha: 0.08, beta: 0.9 } as const;

/** Zero-drift geometric Brownian motion (a martingale), 65 % annual volatility. */
export function randomWalk(bars: number, seed: number): PriceSeries {
  return syntheticMarket({
    bars,
    seed,
    intervalMs: INTERVAL_MS,
    start: START_TIME,
    annualVolatility: ANNUAL_VOLATILITY,
    annualDrift: 0,
    startPrice: START_PRICE,
  });
}

/**
 * GARCH(1,1) with a conditional martingale: r_t = −σ²_t/2 + ε_t, ε_t = σ_t·z_t, σ²_t = ω + α·ε²_{t−1} + β·σ²_{t−1},
 * started at the unconditional variance. (@overfit/data's simulateGarch11 uses a constant μ; with μ = 0 it would
 * drift up by σ²_t/2 per bar, more in wild stretches, which a volatility-breakout strategy could harvest.)
 */
export function garchMarket(model: Pick<Garch11, 'omega' | 'alpha' | 'beta'>, bars: number, seed: number): PriceSeries {
  const { omega, alpha, beta } = model;
  if (!(omega > 0 && alpha >= 0 && beta >= 0 && alpha + beta < 1))
    throw new InputError(`needs ω > 0, α, β ≥ 0 and α + β < 1 (got ω ${omega}, α ${alpha}, β ${beta})`, 'garch');
  let variance = omega / (1 - alpha - beta);
  return buildBars(bars, seed, (t, previous) => {
    if (t > 0) {
      const shock = previous + variance / 2; // ε_{t−1}: the realised return minus its drift
      variance = omega + alpha * shock * shock + beta * variance;
    }
    return { drift: -variance / 2, sigma: sqrt(variance) };
  });
}
