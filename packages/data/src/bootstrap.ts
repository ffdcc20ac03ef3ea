// The stationary block bootstrap (Politis & Romano, 1994) of a real history: a new market made of the real
// bar-to-bar moves in a shuffled order. Blocks of geometric length (mean `meanBlockLength`) keep short-range
// dependence such as volatility clustering; the shuffle destroys any longer pattern a strategy could exploit.
import { createRng, emptyPriceColumns, InputError, type PriceSeries } from '@overfit/core';

export interface BootstrapOptions {
  bars: number;
  seed: number;
  /** Mean block length in bars; default defaultBlockLength(source bars). */
  meanBlockLength?: number;
  start: number;
  intervalMs: number;
}

/** ⌈(n − 1)^(1/3)⌉ for n bars: the n^(1/3) growth of the optimal block length (Politis & White, 2004). */
export function defaultBlockLength(bars: number): number {
  return Math.ceil(Math.cbrt(bars - 1));
}

/**
 * Each synthetic bar t copies source bar j (j ≥ 1) relative to the previous close: open, high, low and close are
 * C'_{t−1} · (O_j, H_j, L_j, C_j) / C_{j−1}, the volume is V_j. So its close-to-close return, its gap and its
 * intrabar range are real ones. j continues with j + 1 (wrapping round) or, with probability 1 / meanBlockLength,
 * jumps to a uniformly drawn bar.
 */
export function stationaryBootstrap(source: PriceSeries, options: BootstrapOptions): PriceSeries {
  const n = source.close.length;
  const returns = n - 1;
  if (returns < 2) throw new InputError(`needs at least 3 bars to resample (got ${n})`, 'bootstrap');
  const { bars, seed, start, intervalMs } = options;
  const meanBlockLength = options.meanBlockLength ?? defaultBlockLength(n);
  if (!Number.isInteger(bars) || bars < 2)
    throw new InputError(`must be an integer ≥ 2 (got ${bars})`, 'bootstrap.bars');
  if (!(meanBlockLength >= 1))
    throw new InputError(`must be ≥ 1 (got ${meanBlockLength})`, 'bootstrap.meanBlockLength');
  const rng = createRng(seed);
  const { time, open, high, low, close, volume } = emptyPriceColumns(bars);
  const restart = 1 / meanBlockLength;
  let previousClose = source.close[0];
  let j = 0;
  for (let t = 0; t < bars; t++) {
    j = t === 0 || rng.next() < restart ? 1 + Math.floor(rng.next() * returns) : (j % returns) + 1;
    const scale = previousClose / source.close[j - 1];
    time[t] = start + t * intervalMs;
    open[t] = source.open[j] * scale;
    high[t] = source.high[j] * scale;
    low[t] = source.low[j] * scale;
    close[t] = source.close[j] * scale;
    volume[t] = source.volume[j];
    previousClose = close[t];
  }
  return { time, open, high, low, close, volume, hasOhlc: source.hasOhlc };
}
