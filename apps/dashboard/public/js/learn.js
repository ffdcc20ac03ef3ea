// Learn: the expected best Sharpe ratio of N strategies with no edge, drawn from the false strategy theorem.
import './header.js';
import { lineChart } from './charts.js';

const EULER_GAMMA = 0.5772156649;

/** Φ⁻¹(p), Acklam's rational approximation (relative error below 1.2e-9). */
function inverseNormal(p) {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** E[max of N standard normals] ≈ (1−γ)Φ⁻¹(1−1/N) + γΦ⁻¹(1−1/(Ne)). */
function expectedMaxStandardNormal(n) {
  if (n < 2) return 0;
  return (1 - EULER_GAMMA) * inverseNormal(1 - 1 / n) + EULER_GAMMA * inverseNormal(1 - 1 / (n * Math.E));
}

const counts = [];
for (let exponent = 0; exponent <= 5; exponent += 0.1) counts.push(Math.round(10 ** exponent));
const unique = [...new Set(counts)];
// The annualised Sharpe ratio estimated from `years` of data has a standard error of about 1/√years under no edge.
const curve = (years) => unique.map((n) => ({ x: n, y: expectedMaxStandardNormal(n) / Math.sqrt(years) }));

lineChart(document.getElementById('chart-expected-max'), {
  series: [
    { label: 'one year of data', data: curve(1), color: '#f97316' },
    { label: 'five years of data', data: curve(5), color: '#2563eb' },
  ],
  xTitle: 'strategies tried (N)',
  yTitle: 'expected best Sharpe ratio with no edge',
  logX: true,
});
