// A seeded synthetic market: a geometric random walk with BTC-like volatility. No strategy has an edge on it,
// which makes it the control experiment — any "skill" found here is selection luck — and the data every run
// can fall back to when no real history is present.
import { createRng, emptyPriceColumns, InputError, type PriceSeries, type Rng, YEAR_MS } from '@overfit/core';

export interface SyntheticOptions {
  bars: number;
  seed: number;
  intervalMs?: number;
  start?: number;
  /** Annualised volatility of log returns; BTC's hourly history runs around 0.6–0.8. */
  annualVolatility?: number;
  annualDrift?: number;
  startPrice?: number;
}

// Math's functions held in module constants: under jest (a vm context) every global lookup in a hot loop is slow.
const { cos, exp, log, max, min, round, sqrt, PI } = Math;

/** Standard normal draws from a seeded generator (Box–Muller; 1 − u keeps the logarithm finite). */
export function standardNormal(rng: Rng): () => number {
  return () => {
    const u = 1 - rng.next();
    return sqrt(-2 * log(u)) * cos(2 * PI * rng.next());
  };
}

/** Sub-steps per bar: their running extremes give a high and low consistent with open and close. */
const STEPS = 4;

export function syntheticMarket(options: SyntheticOptions): PriceSeries {
  const {
    bars,
    seed,
    intervalMs = 3_600_000,
    start = Date.UTC(2020, 0, 1),
    annualVolatility = 0.65,
    annualDrift = 0,
    startPrice = 10_000,
  } = options;
  const check = (ok: boolean, field: string, rule: string, value: unknown) => {
    if (!ok) throw new InputError(`must be ${rule} (got ${value})`, `synthetic.${field}`);
  };
  check(Number.isInteger(bars) && bars >= 2 && bars <= 10_000_000, 'bars', 'an integer from 2 to 10000000', bars);
  check(Number.isInteger(intervalMs) && intervalMs > 0, 'intervalMs', 'a positive integer', intervalMs);
  check(annualVolatility > 0 && annualVolatility < 10, 'annualVolatility', 'between 0 and 10', annualVolatility);
  check(Number.isFinite(annualDrift), 'annualDrift', 'finite', annualDrift);
  check(startPrice > 0, 'startPrice', 'positive', startPrice);

  const normal = standardNormal(createRng(seed));
  const dt = intervalMs / YEAR_MS;
  const stepSigma = annualVolatility * Math.sqrt(dt / STEPS);
  const stepDrift = (annualDrift - (annualVolatility * annualVolatility) / 2) * (dt / STEPS);
  const cents = (x: number) => round(x * 100) / 100;

  const { time, open, high, low, close, volume } = emptyPriceColumns(bars);
  let price = startPrice;
  for (let t = 0; t < bars; t++) {
    const first = price;
    let hi = price;
    let lo = price;
    for (let s = 0; s < STEPS; s++) {
      price *= exp(stepDrift + stepSigma * normal());
      if (price > hi) hi = price;
      if (price < lo) lo = price;
    }
    time[t] = start + t * intervalMs;
    open[t] = cents(first);
    close[t] = cents(price);
    high[t] = max(cents(hi), open[t], close[t]);
    low[t] = min(cents(lo), open[t], close[t]);
    // Busier bars trade more: volume grows with the bar's range, with noise.
    volume[t] = round((500 + 50_000 * (hi / lo - 1)) * exp(0.3 * normal()) * 1000) / 1000;
  }
  return { time, open, high, low, close, volume, hasOhlc: true };
}
