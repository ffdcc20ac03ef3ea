// A price series prepared for backtesting: its bar spacing, its annualisation factor, and a memo of indicator
// columns so strategies that share a parameter (500 strategies, a few dozen SMA periods) compute it once.
import { InputError } from './errors';
import type { PriceSeries } from './types';

export const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface Market {
  readonly series: PriceSeries;
  /** Median spacing between bar open times, in ms. */
  readonly barMs: number;
  /** Bars per year: 365 days / barMs (crypto trades 24/7; √252 would be wrong here). */
  readonly periodsPerYear: number;
  /** The indicator column for `key`, computed by `compute` the first time only. */
  indicator(key: string, compute: () => Float64Array): Float64Array;
}

export function medianSpacingMs(time: Float64Array): number {
  const gaps = new Float64Array(time.length - 1);
  for (let i = 1; i < time.length; i++) gaps[i - 1] = time[i] - time[i - 1];
  gaps.sort();
  const mid = gaps.length >> 1;
  return gaps.length % 2 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}

export function createMarket(series: PriceSeries): Market {
  if (series.close.length < 2) throw new InputError(`needs at least 2 bars (got ${series.close.length})`, 'prices');
  const barMs = medianSpacingMs(series.time);
  if (!(barMs > 0)) throw new InputError('bar times must increase', 'prices');
  const memo = new Map<string, Float64Array>();
  return {
    series,
    barMs,
    periodsPerYear: YEAR_MS / barMs,
    indicator(key, compute) {
      let column = memo.get(key);
      if (!column) {
        column = compute();
        memo.set(key, column);
      }
      return column;
    },
  };
}
