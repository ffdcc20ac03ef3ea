// How a metric is shown. Which metrics are percentages is the server's list (GET /api/options, percentMetrics), read
// once per page before the modules that format metrics run; without it every value shows as a plain number.
import { serverOptions } from './common.js';

const PERCENT = new Set((await serverOptions().catch(() => null))?.percentMetrics ?? []);

export const isPercentMetric = (metric) => PERCENT.has(metric);

/** A metric as people read it: percentages for rates and returns, two decimals otherwise, "—" when undefined. */
export function formatMetric(metric, value) {
  if (value === 'Infinity' || value === Number.POSITIVE_INFINITY) return '∞'; // documents write ±∞ as strings
  if (value === '-Infinity' || value === Number.NEGATIVE_INFINITY) return '−∞';
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (metric === 'trades') return String(Math.round(value));
  if (PERCENT.has(metric)) return `${(value * 100).toFixed(1)} %`;
  return Math.abs(value) >= 1000 ? value.toExponential(2) : value.toFixed(2);
}
