// The bar builder the garch, trend_regimes and autocorrelated markets share: per-bar drift and volatility in,
// hourly OHLCV bars out, each bar's high and low the running extremes of four sub-steps.
import { createRng, emptyPriceColumns, InputError, type PriceSeries } from '@overfit/core';
import { standardNormal } from '@overfit/data';
import { INTERVAL_MS, START_PRICE, START_TIME } from './marketKinds';

/** Sub-steps per bar: their running extremes give a high and low consistent with open and close. */
const STEPS = 4;
const { exp, max, min, round, sqrt } = Math;

/**
 * Bars from per-bar (drift, σ): the log return of bar t is drift + Σ of four N(0, σ²/4) sub-steps, whose running
 * extremes give high and low. `bar(t, previous)` receives the previous bar's realised log return.
 */
export function buildBars(
  bars: number,
  seed: number,
  bar: (t: number, previousReturn: number) => { drift: number; sigma: number },
): PriceSeries {
  if (!Number.isInteger(bars) || bars < 2) throw new InputError(`must be an integer ≥ 2 (got ${bars})`, 'market.bars');
  const normal = standardNormal(createRng(seed));
  const { time, open, high, low, close, volume } = emptyPriceColumns(bars);
  let price = START_PRICE;
  let previous = 0;
  for (let t = 0; t < bars; t++) {
    const { drift, sigma } = bar(t, previous);
    const stepSigma = sigma / sqrt(STEPS);
    const first = price;
    let hi = price;
    let lo = price;
    let r = 0;
    for (let s = 0; s < STEPS; s++) {
      const step = drift / STEPS + stepSigma * normal();
      r += step;
      price *= exp(step);
      if (price > hi) hi = price;
      if (price < lo) lo = price;
    }
    time[t] = START_TIME + t * INTERVAL_MS;
    open[t] = first;
    close[t] = price;
    high[t] = max(hi, first, price);
    low[t] = min(lo, first, price);
    volume[t] = round((500 + 50_000 * (hi / lo - 1)) * exp(0.3 * normal()) * 1000) / 1000;
    previous = r;
  }
  return { time, open, high, low, close, volume, hasOhlc: true };
}
