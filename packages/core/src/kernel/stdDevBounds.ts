// Bollinger's σ for the kernel in O(1) a bar instead of rollingStdDev's O(period), without changing one decision.
// rollingStdDev's two-pass sum is the defined value (a running sum of squares would cancel catastrophically and
// differ in the last bits). Here running sums give, for every bar, a bracket lo ≤ rollingStdDev(…)[t] ≤ hi with a
// rigorous bound of every rounding; the position loop decides "close beyond the band" from the bracket when both
// ends agree (nearly always: the bracket is ~1e-10 of σ wide) and sums the window exactly (windowStdDev) when not.
// Each decision is therefore the one rollingStdDev's value gives, and the results stay bit-identical.

const u = 2 ** -53; // unit roundoff: |fl(x) − x| ≤ u·|x|

/**
 * Bars between fresh sums of the window. The running sums are taken around the close of the last fresh sum; a
 * fresh start keeps that reference near the prices (so the squares do not grow with the trend) and resets the
 * accumulated rounding bounds. Costs period / REFRESH additions a bar.
 */
const REFRESH = 256;

/**
 * Into out[0 … n−1] the lower and out[n … 2n−1] the upper end of the bracket of rollingStdDev(values, period,
 * middle)[t]; NaN before period − 1. Where the sums are not finite the bracket is [0, ∞]: every decision then falls
 * back on the exact value.
 *
 * Why the bracket holds. With c the reference, y = fl(x − c) and M the largest |y| since the fresh sum, the running
 * sums a ≈ Σ y and b ≈ Σ y² of the window are each within K·M and K·M² of the exact Σ(x − c) and Σ(x − c)², K =
 * (period + steps + 3)(period + 2)·u·1.05 (each of the period + steps additions rounds by at most u times a sum
 * that is at most (period + 1)·M or (period + 1)·M²; each y by u·M, each square by 3u·M²). With d = middle − c the
 * exact S = Σ(x − middle)² = Σ(x − c)² − 2d·Σ(x − c) + period·d² is then within e of the float s = b − 2d·a +
 * period·d². rollingStdDev's float sum of the same squares is S·(1 + θ) with |θ| ≤ (period + 4)·u (period
 * non-negative terms, each within 4u), and rounding is monotone, so sqrt(sLo / period) ≤ its σ ≤ sqrt(sHi /
 * period). Every constant below is at least twice what the argument needs.
 */
export function rollingStdDevBounds(values: Float64Array, period: number, middle: Float64Array, out: Float64Array) {
  const n = values.length;
  out.fill(Number.NaN);
  const g = 2 * (period + 8) * u; // rollingStdDev's own rounding, relative
  const perOp = 2.1 * (period + 2) * u;
  const invLo = (1 - 4 * u) / period;
  const invHi = (1 + 4 * u) / period;
  let c = 0,
    a = 0,
    b = 0,
    big = 0,
    fresh = Number.NEGATIVE_INFINITY;
  for (let t = period - 1; t < n; t++) {
    if (t - fresh >= REFRESH) {
      fresh = t;
      c = values[t];
      a = 0;
      b = 0;
      big = 0;
      for (let i = t - period + 1; i <= t; i++) {
        const y = values[i] - c;
        a += y;
        b += y * y;
        big = Math.max(big, Math.abs(y));
      }
    } else {
      const y = values[t] - c;
      const z = values[t - period] - c; // the very y it added, bit for bit
      a += y - z;
      b += y * y - z * z;
      big = Math.max(big, Math.abs(y));
    }
    const d = middle[t] - c;
    const magnitude = Math.abs(b) + 2 * Math.abs(d * a) + period * d * d;
    const s = b - 2 * d * a + period * d * d;
    const e = (period + t - fresh + 3) * perOp * big * (big + 3 * Math.abs(d)) + 16 * u * magnitude;
    const sLo = (s - e) * (1 - g);
    const sHi = (s + e) * (1 + g);
    out[t] = sLo > 0 ? Math.sqrt(sLo * invLo) : 0;
    out[n + t] = sHi < Number.POSITIVE_INFINITY ? Math.sqrt(sHi * invHi) : Number.POSITIVE_INFINITY;
  }
}
