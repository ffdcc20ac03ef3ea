// Technical indicators over typed columns. Each returns a Float64Array as long as its input, NaN until the
// indicator is defined; the value at bar t uses inputs up to and including t, never later.

/** Simple moving average of the last `period` values. */
export function sma(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  let sum = 0;
  for (let t = 0; t < values.length; t++) {
    sum += values[t];
    if (t >= period) sum -= values[t - period];
    if (t >= period - 1) out[t] = sum / period;
  }
  return out;
}

/** Exponential moving average, α = 2 / (period + 1), seeded with the SMA of the first `period` defined values. */
export function ema(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  const alpha = 2 / (period + 1);
  let first = 0;
  // lets ema run over a partly-undefined series (MACD)
  while (first < values.length && Number.isNaN(values[first])) first++;
  if (first + period > values.length) return out;
  let value = 0;
  for (let t = first; t < first + period; t++) value += values[t];
  value /= period;
  out[first + period - 1] = value;
  for (let t = first + period; t < values.length; t++) {
    value += alpha * (values[t] - value);
    out[t] = value;
  }
  return out;
}

/** Wilder's RSI: first averages are plain means of the first `period` changes, then (prev·(n−1) + x) / n. */
export function rsi(close: Float64Array, period: number): Float64Array {
  const out = new Float64Array(close.length).fill(Number.NaN);
  if (close.length <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let t = 1; t <= period; t++) {
    const change = close[t] - close[t - 1];
    if (change > 0) gain += change;
    else loss -= change;
  }
  gain /= period;
  loss /= period;
  const value = (g: number, l: number) => (l === 0 ? (g === 0 ? 50 : 100) : 100 - 100 / (1 + g / l));
  out[period] = value(gain, loss);
  for (let t = period + 1; t < close.length; t++) {
    const change = close[t] - close[t - 1];
    // biome-ignore lint/complexity/useMathMinMax: a NaN change must add 0 here, as Math.max(NaN, 0) would not
    gain = (gain * (period - 1) + (change > 0 ? change : 0)) / period;
    loss = (loss * (period - 1) + (change < 0 ? -change : 0)) / period;
    out[t] = value(gain, loss);
  }
  return out;
}

/** Bollinger bands: SMA ± k × population standard deviation of the last `period` closes. */
export function bollinger(close: Float64Array, period: number, k: number) {
  const middle = sma(close, period);
  const sd = rollingStdDev(close, period, middle);
  const upper = new Float64Array(close.length).fill(Number.NaN);
  const lower = new Float64Array(close.length).fill(Number.NaN);
  for (let t = period - 1; t < close.length; t++) {
    upper[t] = middle[t] + k * sd[t];
    lower[t] = middle[t] - k * sd[t];
  }
  return { middle, upper, lower };
}

/**
 * Population standard deviation of the last `period` values around their mean `middle[t]` (= sma(values, period)),
 * by a two-pass sum over each window: exact where a running sum of squares would cancel catastrophically. Four
 * windows are summed side by side, each in its own order, so the four dependent add chains overlap (1.6× faster;
 * every value is that of summing its window alone).
 */
export function rollingStdDev(values: Float64Array, period: number, middle: Float64Array): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  let t = period - 1;
  for (; t + 3 < n; t += 4) {
    const m0 = middle[t],
      m1 = middle[t + 1],
      m2 = middle[t + 2],
      m3 = middle[t + 3];
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let i = t - period + 1; i <= t; i++) {
      s0 += (values[i] - m0) ** 2;
      s1 += (values[i + 1] - m1) ** 2;
      s2 += (values[i + 2] - m2) ** 2;
      s3 += (values[i + 3] - m3) ** 2;
    }
    out[t] = Math.sqrt(s0 / period);
    out[t + 1] = Math.sqrt(s1 / period);
    out[t + 2] = Math.sqrt(s2 / period);
    out[t + 3] = Math.sqrt(s3 / period);
  }
  for (; t < n; t++) out[t] = windowStdDev(values, period, middle[t], t);
  return out;
}

/** rollingStdDev(values, period, middle)[t] for one window whose mean is `mean` (= middle[t]), bit for bit. */
export function windowStdDev(values: Float64Array, period: number, mean: number, t: number): number {
  let squares = 0;
  for (let i = t - period + 1; i <= t; i++) squares += (values[i] - mean) ** 2;
  return Math.sqrt(squares / period);
}

/**
 * The exact sign of values[t] − (the mean of the last `period` values) for t ≥ period − 1 (NaN before): 1 above,
 * −1 below, 0 when the value equals the window's mean exactly — what Bollinger's "close ≥ middle" means. sma()'s
 * running sum drifts by rounding (a constant window after others can read 84.42000000000006 for 84.42), which
 * would decide such a tie either way. Here a running sum carries a rigorous bound of its rounding error and is
 * summed afresh when the bound grows; the float sign is used when the bound proves it, a constant window is 0,
 * and what is left (near-exact ties) is summed exactly with BigInt. Exact, so any algorithm gives these values.
 */
export function sideOfMean(values: Float64Array, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const u = 2 ** -53;
  let sum = 0;
  let bound = 0; // ≥ |sum − the exact sum of the window|
  let run = 0; // equal values ending at t
  for (let t = 0; t < n; t++) {
    run = t > 0 && values[t] === values[t - 1] ? run + 1 : 1;
    if (t < period - 1) continue;
    if (t === period - 1 || !(bound <= 8 * period * u * Math.abs(sum))) {
      sum = 0;
      bound = 0;
      for (let i = t - period + 1; i <= t; i++) {
        sum += values[i];
        bound += u * Math.abs(sum);
      }
    } else {
      sum += values[t];
      bound += u * Math.abs(sum);
      sum -= values[t - period];
      bound += u * Math.abs(sum);
    }
    if (run >= period) {
      out[t] = values[t] === values[t] ? 0 : Number.NaN;
      continue;
    }
    const scaled = period * values[t];
    const diff = scaled - sum;
    // |(period·v − exact sum) − diff| ≤ u|scaled| + bound + u|diff|; twice that leaves no doubt about the sign.
    const slack = 2 * (u * Math.abs(scaled) + bound + u * Math.abs(diff)) + Number.MIN_VALUE;
    out[t] = diff > slack ? 1 : diff < -slack ? -1 : exactSideOfMean(values, t, period);
  }
  return out;
}

/** sideOfMean's last resort: period·values[t] − Σ window in exact integer arithmetic (units of 2^−1074). */
function exactSideOfMean(values: Float64Array, t: number, period: number): number {
  let total = 0n;
  for (let i = t - period + 1; i <= t; i++) {
    if (!Number.isFinite(values[i])) return Number.NaN;
    total += exactUnits(values[i]);
  }
  const d = BigInt(period) * exactUnits(values[t]) - total;
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

const bits = new DataView(new ArrayBuffer(8));
/** A finite double as an exact integer count of 2^−1074 (the smallest subnormal). */
function exactUnits(x: number): bigint {
  bits.setFloat64(0, x);
  const word = bits.getBigUint64(0);
  const exponent = Number((word >> 52n) & 0x7ffn);
  const fraction = word & 0xfffffffffffffn;
  const units = exponent === 0 ? fraction : (fraction | (1n << 52n)) << BigInt(exponent - 1);
  return word >> 63n ? -units : units;
}

/** Donchian channel: highest high and lowest low of the last `period` bars, bar t included. */
export function donchian(high: Float64Array, low: Float64Array, period: number) {
  const upper = new Float64Array(high.length).fill(Number.NaN);
  const lower = new Float64Array(low.length).fill(Number.NaN);
  // Monotonic deques of indices give O(n) rolling max/min whatever the period.
  const maxQ = new Int32Array(high.length);
  const minQ = new Int32Array(low.length);
  let maxHead = 0,
    maxTail = 0,
    minHead = 0,
    minTail = 0;
  for (let t = 0; t < high.length; t++) {
    while (maxTail > maxHead && high[maxQ[maxTail - 1]] <= high[t]) maxTail--;
    maxQ[maxTail++] = t;
    while (minTail > minHead && low[minQ[minTail - 1]] >= low[t]) minTail--;
    minQ[minTail++] = t;
    if (maxQ[maxHead] <= t - period) maxHead++;
    if (minQ[minHead] <= t - period) minHead++;
    if (t >= period - 1) {
      upper[t] = high[maxQ[maxHead]];
      lower[t] = low[minQ[minHead]];
    }
  }
  return { upper, lower };
}

/** Rate of change over `period` bars: close[t] / close[t − period] − 1. */
export function rateOfChange(close: Float64Array, period: number): Float64Array {
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let t = period; t < close.length; t++) out[t] = close[t] / close[t - period] - 1;
  return out;
}

/** MACD line = EMA(fast) − EMA(slow); signal = EMA(signal) of the MACD line; histogram = line − signal. */
export function macd(close: Float64Array, fast: number, slow: number, signal: number) {
  const fastEma = ema(close, fast);
  const slowEma = ema(close, slow);
  const line = new Float64Array(close.length);
  for (let t = 0; t < close.length; t++) line[t] = fastEma[t] - slowEma[t];
  const signalLine = ema(line, signal);
  const histogram = new Float64Array(close.length);
  for (let t = 0; t < close.length; t++) histogram[t] = line[t] - signalLine[t];
  return { macd: line, signal: signalLine, histogram };
}
