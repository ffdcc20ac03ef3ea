// The standard normal distribution to full double precision. Every statistic here ends in Φ or Φ⁻¹, and p-values
// of tens of strategies after a Bonferroni correction live far in the tail, where the usual 7-digit
// approximations lose all relative accuracy.

const SQRT_PI = Math.sqrt(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * erfc(x) for x ≥ 0: a positive-term series of erf below 1.5, the continued fraction of erfc above. The series gives
 * erfc as 1 − erf, which cancels: at 2.5 (erfc ≈ 4e-4) it kept only ~2.7e-12 relative accuracy; at 1.5 (erfc ≈ 0.034)
 * ~3e-15. The fraction has converged to double precision by 1.5 (80 levels against 20,000: equal to 1e-15).
 */
function erfcPositive(x: number): number {
  if (x < 1.5) {
    // erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): every term positive, no cancellation.
    let term = x;
    let sum = x;
    for (let n = 1; term > sum * 1e-17; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x * x) * sum;
  }
  return Math.exp(-x * x) / SQRT_PI / erfcFraction(x);
}

/**
 * x + (1/2)/(x + 1/(x + (3/2)/(x + …))) for x ≥ 1.5, evaluated from the tail (80 levels are far more than needed):
 * erfc(x) = e^(−x²)/√π / this. Kept apart so the far tail can use it without e^(−x²), which underflows at x ≈ 27.
 */
function erfcFraction(x: number): number {
  let fraction = x;
  for (let n = 80; n >= 1; n--) fraction = x + n / 2 / fraction;
  return fraction;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return x >= 0 ? erfcPositive(x) : 2 - erfcPositive(-x);
}

/** Φ(x), the standard normal CDF; accurate relative to its value in the lower tail too. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Φ⁻¹(p): Acklam's rational approximation (relative error 1.2e-9), then one Halley step on the exact Φ. Subnormal
 * p (below ~2.2e-308, x < −37.5) included: there the step is taken on Mills' ratio in log space, since φ(x) and
 * Φ(x) themselves lose their digits and e^(x²/2) overflows (Φ⁻¹(1e-320) = −38.269125343032651, not NaN).
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p > low) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  if (x < -30) {
    // u = (Φ(x) − p)/φ(x) = Φ(x)/φ(x) − p/φ(x): Mills' ratio from the continued fraction (z = −x/√2:
    // Φ(x)/φ(x) = 1/(√2·F(z))) and p/φ(x) = exp(ln p + x²/2 + ln √(2π)); neither underflows nor overflows.
    const u = 1 / (Math.SQRT2 * erfcFraction(-x / Math.SQRT2)) - Math.exp(Math.log(p) + (x * x) / 2 + LOG_SQRT_2PI);
    return x - u / (1 + (x * u) / 2);
  }
  // One Halley step on Φ(x) − p, computed from whichever tail is small so precision holds near 1 as well.
  const error = p < 0.5 ? normalCdf(x) - p : 1 - p - normalCdf(-x);
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
