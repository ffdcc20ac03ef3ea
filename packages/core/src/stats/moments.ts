// Sample moments of one return series. Sharpe ratios are per bar (mean / sample standard deviation); skewness
// and kurtosis are the moment ratios the Sharpe-ratio papers use (kurtosis is Pearson's: 3 for a normal).
import { InputError } from '../errors';

export interface SampleMoments {
  observations: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 when the series does not vary beyond rounding noise. */
  std: number;
  /** mean / std; NaN when the series does not vary. */
  sharpe: number;
  /** m3 / m2^1.5 with population central moments m_k; NaN when the series does not vary. */
  skewness: number;
  /** m4 / m2², Pearson's (3 for a normal distribution); NaN when the series does not vary. */
  kurtosis: number;
}

/**
 * Moments by the corrected two-pass algorithm: the mean, then the mean corrected by the mean of the deviations from
 * it (which removes the rounding of the first sum: 10⁶ bars of 0.1 sum to 100000.0000013), then central moments.
 * Variance that is only rounding noise of the mean counts as none: a series whose population variance m2 is at or
 * below (16·ε·mean)² (ε = 2^−52; a relative spread under ~3.6e-15) is constant and its Sharpe, skewness and kurtosis
 * are undefined (NaN), where a plain two-pass gave a constant 0.1 a Sharpe of ~5e15.
 */
export function sampleMoments(returns: ArrayLike<number>): SampleMoments {
  const n = returns.length;
  if (n < 2) throw new InputError(`needs at least 2 observations (got ${n})`, 'returns');
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(returns[i]))
      throw new InputError(`must be finite numbers (observation ${i} is ${returns[i]})`, 'returns');
    sum += returns[i];
  }
  let mean = sum / n;
  let correction = 0;
  for (let i = 0; i < n; i++) correction += returns[i] - mean;
  mean += correction / n;
  let m2 = 0,
    m3 = 0,
    m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = returns[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const noise = 16 * Number.EPSILON * mean;
  const varies = m2 / n > noise * noise;
  const std = varies ? Math.sqrt(m2 / (n - 1)) : 0;
  [m2, m3, m4] = [m2 / n, m3 / n, m4 / n];
  return {
    observations: n,
    mean,
    std,
    sharpe: varies ? mean / std : Number.NaN,
    skewness: varies ? m3 / m2 ** 1.5 : Number.NaN,
    kurtosis: varies ? m4 / (m2 * m2) : Number.NaN,
  };
}

/** Sample variance (n − 1) of the finite values; NaN with fewer than two. */
export function finiteVariance(values: ArrayLike<number>): { variance: number; count: number } {
  let n = 0,
    sum = 0,
    sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    sumSquares += v * v;
  }
  return { variance: n > 1 ? Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1)) : Number.NaN, count: n };
}

/**
 * (1.4826 · median absolute deviation)² of the finite values: the variance of a normal bulk, unmoved by a tail of
 * outliers. NaN with fewer than two values.
 */
export function robustVariance(values: ArrayLike<number>): number {
  const finite = Float64Array.from(Array.from(values).filter(Number.isFinite)).sort();
  if (finite.length < 2) return Number.NaN;
  const median = (sorted: Float64Array) => {
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const centre = median(finite);
  return (1.4826 * median(finite.map((v) => Math.abs(v - centre)).sort())) ** 2;
}
