// Donchian's channel for the kernel: the rolling max of highs and min of lows, computed once per period into the
// kernel's column cache (fillPositions.ts) and read by donchianBreakout.
// Comparisons, not Math.max/min, on purpose (biome.json turns its useMathMinMax off for this file): see below. The
// two functions are deliberate twins: one taking the comparison as a parameter would keep V8 from inlining it.

/**
 * donchian()'s bands without its deques: out[t] = max (or min) of values[t − period + 1 … t] for t ≥ period − 1, NaN
 * before. van Herk / Gil-Werman: running extremes forward and backward within blocks of `period` bars, then one
 * comparison per bar, whatever the period: 1.7× faster than donchian()'s deques on hourly BTC, and comparisons
 * 1.3× faster than Math.max (which must handle NaN and −0; prices have neither: the data layer rejects them). A max
 * or min is exact, so on such prices the values are donchian()'s.
 */
export function rollingMax(values: Float64Array, period: number, out: Float64Array): void {
  const n = values.length;
  const forward = scratch(0, n);
  const backward = scratch(1, n);
  for (let block = 0; block < n; block += period) {
    const last = Math.min(block + period, n) - 1;
    let m = values[block];
    forward[block] = m;
    for (let i = block + 1; i <= last; i++) {
      const v = values[i];
      m = v > m ? v : m;
      forward[i] = m;
    }
    m = values[last];
    backward[last] = m;
    for (let i = last - 1; i >= block; i--) {
      const v = values[i];
      m = v > m ? v : m;
      backward[i] = m;
    }
  }
  out.fill(Number.NaN, 0, Math.min(n, period - 1));
  for (let t = period - 1; t < n; t++) {
    const before = backward[t - period + 1];
    const after = forward[t];
    out[t] = before > after ? before : after;
  }
}

export function rollingMin(values: Float64Array, period: number, out: Float64Array): void {
  const n = values.length;
  const forward = scratch(0, n);
  const backward = scratch(1, n);
  for (let block = 0; block < n; block += period) {
    const last = Math.min(block + period, n) - 1;
    let m = values[block];
    forward[block] = m;
    for (let i = block + 1; i <= last; i++) {
      const v = values[i];
      m = v < m ? v : m;
      forward[i] = m;
    }
    m = values[last];
    backward[last] = m;
    for (let i = last - 1; i >= block; i--) {
      const v = values[i];
      m = v < m ? v : m;
      backward[i] = m;
    }
  }
  out.fill(Number.NaN, 0, Math.min(n, period - 1));
  for (let t = period - 1; t < n; t++) {
    const before = backward[t - period + 1];
    const after = forward[t];
    out[t] = before < after ? before : after;
  }
}

/** Two per-thread scratch columns for rollingMax / rollingMin, grown as needed. */
const scratchColumns: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
function scratch(i: number, n: number): Float64Array {
  if (scratchColumns[i].length < n) scratchColumns[i] = new Float64Array(n);
  return scratchColumns[i];
}
