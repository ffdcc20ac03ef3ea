// Coarser bars from finer ones (5m → 1h → 1d): the first open, the highest high, the lowest low, the last close
// and the summed volume of the source bars whose open time falls in [start, start + interval). Bars start on
// multiples of the interval since the epoch, which are UTC boundaries for every interval that divides a day
// (1h bars start on the hour, 1d bars at 00:00 UTC).
import { emptyPriceColumns, InputError, medianSpacingMs, type PriceSeries } from '@overfit/core';
import { formatInterval } from './timestamps';

const DAY_SECONDS = 86_400;

export function resamplePrices(series: PriceSeries, intervalSeconds: number, where = 'resample'): PriceSeries {
  const n = series.time.length;
  if (n < 2) throw new InputError(`needs at least 2 bars (got ${n})`, where);
  const sourceMs = medianSpacingMs(series.time);
  const intervalMs = intervalSeconds * 1000;
  if (!Number.isInteger(intervalSeconds) || intervalSeconds <= 0)
    throw new InputError(`must be a whole number of seconds (got ${intervalSeconds})`, where);
  if (DAY_SECONDS % intervalSeconds !== 0 && intervalSeconds % DAY_SECONDS !== 0) {
    throw new InputError(
      `${formatInterval(intervalSeconds)} neither divides nor is a whole number of days, so its bars have no UTC boundary`,
      where,
    );
  }
  if (intervalMs < sourceMs)
    throw new InputError(
      `${formatInterval(intervalSeconds)} is finer than the data's ${formatInterval(sourceMs / 1000)} bars; resampling only makes bars coarser`,
      where,
    );
  if (intervalMs % sourceMs !== 0)
    throw new InputError(
      `${formatInterval(intervalSeconds)} is not a whole number of the data's ${formatInterval(sourceMs / 1000)} bars`,
      where,
    );

  const { time, open, high, low, close, volume } = emptyPriceColumns(n);
  let m = -1;
  for (let i = 0; i < n; i++) {
    const start = Math.floor(series.time[i] / intervalMs) * intervalMs;
    if (m < 0 || start !== time[m]) {
      m++;
      time[m] = start;
      open[m] = series.open[i];
      high[m] = series.high[i];
      low[m] = series.low[i];
      volume[m] = 0;
    } else {
      if (series.high[i] > high[m]) high[m] = series.high[i];
      if (series.low[i] < low[m]) low[m] = series.low[i];
    }
    close[m] = series.close[i];
    volume[m] += series.volume[i];
  }
  const bars = sliceBars({ time, open, high, low, close, volume, hasOhlc: true }, 0, m + 1);
  if (series.hasOhlc) return bars;
  // Close-only data stays close-only: its open, high and low remain copies of the close.
  return { ...bars, open: bars.close.slice(), high: bars.close.slice(), low: bars.close.slice(), hasOhlc: false };
}

/** Bars [from, to) of a series, copied (`to` defaults to the end; negative counts from the end, as slice does). */
export function sliceBars(series: PriceSeries, from: number, to?: number): PriceSeries {
  const cut = (column: Float64Array) => column.slice(from, to);
  return {
    time: cut(series.time),
    open: cut(series.open),
    high: cut(series.high),
    low: cut(series.low),
    close: cut(series.close),
    volume: cut(series.volume),
    hasOhlc: series.hasOhlc,
  };
}
