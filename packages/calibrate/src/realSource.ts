// The real hourly history the garch and bootstrap markets imitate: de-meaned so a bootstrap of it is a martingale,
// with its GARCH(1,1) fit and bootstrap block length, prepared once per calibration.
import { emptyPriceColumns, InputError, type PriceSeries } from '@overfit/core';
import { defaultBlockLength, fitGarch11, logReturns, type Garch11 } from '@overfit/data';

const { exp, log } = Math;

/** The real hourly history the garch and bootstrap markets imitate, prepared once. */
export interface RealSource {
  path: string;
  /**
   * Its bars, each shifted so the close-to-close log returns r' = r − log(mean(e^r)) have a mean simple return of 0.
   */
  demeaned: PriceSeries;
  /** log(mean(e^r)) that was removed per bar, and the raw mean log return, for the record. */
  shift: number;
  meanLogReturn: number;
  garch: Garch11;
  meanBlockLength: number;
}

/**
 * The real history with its drift removed: bar j's open, high, low and close are multiplied by e^{−c·j}, which
 * shifts every close-to-close log return by −c and keeps each bar's shape. c = log(mean(e^r)) makes the mean simple
 * return 0, so a bootstrap of these bars is a martingale (i.i.d.) or close to one (blocks).
 */
export function prepareRealSource(series: PriceSeries, path: string): RealSource {
  const returns = logReturns(series.close);
  const n = returns.length;
  if (n < 100) throw new InputError(`needs at least 100 returns (got ${n})`, path);
  let meanLog = 0;
  let meanGrowth = 0;
  for (let i = 0; i < n; i++) {
    meanLog += returns[i] / n;
    meanGrowth += exp(returns[i]) / n;
  }
  const shift = log(meanGrowth);
  const bars = series.close.length;
  const columns = emptyPriceColumns(bars);
  for (let j = 0; j < bars; j++) {
    const scale = exp(-shift * j);
    columns.time[j] = series.time[j];
    columns.open[j] = series.open[j] * scale;
    columns.high[j] = series.high[j] * scale;
    columns.low[j] = series.low[j] * scale;
    columns.close[j] = series.close[j] * scale;
    columns.volume[j] = series.volume[j];
  }
  const garch = fitGarch11(returns, path);
  return {
    path,
    demeaned: { ...columns, hasOhlc: series.hasOhlc },
    shift,
    meanLogReturn: meanLog,
    garch,
    meanBlockLength: defaultBlockLength(bars),
  };
}
