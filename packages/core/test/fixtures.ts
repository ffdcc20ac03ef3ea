import type { PriceSeries } from '../src';

/** A series from closes only: hourly bars from 2024-01-01, open = previous close, high/low = max/min of the two. */
export function seriesFromCloses(closes: number[], start = Date.UTC(2024, 0, 1), stepMs = 3_600_000): PriceSeries {
  const close = Float64Array.from(closes);
  const open = Float64Array.from(closes, (c, i) => (i === 0 ? c : closes[i - 1]));
  return {
    time: Float64Array.from(closes, (_, i) => start + i * stepMs),
    open,
    high: Float64Array.from(closes, (c, i) => Math.max(c, open[i])),
    low: Float64Array.from(closes, (c, i) => Math.min(c, open[i])),
    close,
    volume: new Float64Array(closes.length).fill(1),
    hasOhlc: true,
  };
}
