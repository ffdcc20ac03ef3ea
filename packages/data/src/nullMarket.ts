// Null markets shaped like a real one: the same start, bar length, price level and volatility, and no edge for
// any strategy. The null-market control of a run and `overfit data synth --like` both come through here.
import { InputError, medianSpacingMs, YEAR_MS, type PriceSeries } from '@overfit/core';
import { defaultBlockLength, stationaryBootstrap } from './bootstrap';
import { printable } from './printable';
import { fitGarch11, logReturns, simulateGarch11, type Garch11 } from './garch';
import { syntheticMarket } from './synthetic';

/**
 * gbm: geometric random walk; garch: GARCH(1,1) fitted by maximum likelihood; bootstrap: stationary block bootstrap.
 */
export const SYNTH_MODELS = ['gbm', 'garch', 'bootstrap'] as const;
export type SynthModel = (typeof SYNTH_MODELS)[number];

export interface SynthesizeLikeOptions {
  model: SynthModel;
  seed: number;
  /** Length of the synthetic series; default: as long as the source. */
  bars?: number;
  /** bootstrap only: mean block length in bars (default ⌈n^(1/3)⌉). */
  meanBlockLength?: number;
  /** What the source is called in errors (its file); default "the prices to imitate". */
  where?: string;
}

export interface SynthesizedMarket {
  series: PriceSeries;
  /** What was fitted to the source: the annualised volatility (gbm), the GARCH parameters, the block length. */
  fitted: { annualVolatility: number; garch?: Garch11; meanBlockLength?: number };
}

function sampleStd(x: Float64Array): number {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1));
}

/** A synthetic market like `source`, with what was fitted to it. */
export function synthesizeMarketLike(source: PriceSeries, options: SynthesizeLikeOptions): SynthesizedMarket {
  const { model, seed } = options;
  const where = options.where ?? 'the prices to imitate';
  const n = source.close.length;
  const bars = options.bars ?? n;
  if (!(SYNTH_MODELS as readonly string[]).includes(model))
    throw new InputError(`must be one of ${SYNTH_MODELS.join(', ')} (got "${printable(model)}")`, 'model');
  if (n < 3) throw new InputError(`needs at least 3 bars to imitate (got ${n})`, where);
  const intervalMs = Math.round(medianSpacingMs(source.time));
  const start = source.time[0];
  const returns = logReturns(source.close);
  const annualVolatility = sampleStd(returns) * Math.sqrt(YEAR_MS / intervalMs);
  switch (model) {
    case 'gbm':
      return {
        series: syntheticMarket({ bars, seed, intervalMs, start, annualVolatility, startPrice: source.close[0] }),
        fitted: { annualVolatility },
      };
    case 'garch': {
      const garch = fitGarch11(returns, where);
      return {
        series: simulateGarch11(garch, { bars, seed, start, intervalMs, startPrice: source.close[0] }),
        fitted: { annualVolatility, garch },
      };
    }
    case 'bootstrap': {
      const meanBlockLength = options.meanBlockLength ?? defaultBlockLength(n);
      return {
        series: stationaryBootstrap(source, { bars, seed, start, intervalMs, meanBlockLength }),
        fitted: { annualVolatility, meanBlockLength },
      };
    }
  }
}

/**
 * A seeded null market with the length, start, bar length, price level and volatility of `series`:
 * `synthesizeLike(prices, { model: 'garch', seed })`. Byte-reproducible for a seed.
 */
export function synthesizeLike(series: PriceSeries, options: SynthesizeLikeOptions): PriceSeries {
  return synthesizeMarketLike(series, options).series;
}
