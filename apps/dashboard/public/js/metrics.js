// How a metric is shown: its name, and whether it is a percentage. Both are the server's lists (GET /api/options:
// metricLabels, selectionFields, percentMetrics, from @overfit/core), read once per page before the modules that
// format metrics run; without them a metric shows under its field name, as a plain number.
import { serverOptions } from './common.js';

const options = (await serverOptions().catch(() => null)) ?? {};
const PERCENT = new Set(options.percentMetrics ?? []);

/** Metric field → the name people read ("sharpe" → "Sharpe ratio"), in the engine's order. */
export const METRIC_LABELS = options.metricLabels ?? {};
export const METRICS = Object.keys(METRIC_LABELS);
/** Selection metric as typed (win_rate) → the metric field it reads (winRate). */
export const SELECTION_FIELDS = options.selectionFields ?? {};

export const isPercentMetric = (metric) => PERCENT.has(metric);
/** Totals over a window (total return, trades): unequal windows' totals are not compared as a change. */
export const isWindowTotal = (metric) => (options.windowTotals ?? []).includes(metric);

const ANNUALISED = options.annualised ?? { metrics: [], minYears: 0, yearMs: 365.25 * 86_400_000 };
/** A window's length in years ({ first, last } as ISO times, as validation_results.json has them). */
const windowYears = (window) => (Date.parse(window.last) - Date.parse(window.first)) / ANNUALISED.yearMs;
/** CAGR and Calmar compound a window to a year: on a window under three months, an extrapolation, not shown. */
export const notAnnualised = (metric, window) =>
  ANNUALISED.metrics.includes(metric) && !(windowYears(window) >= ANNUALISED.minYears);
/** A window's length in whole days, and the shortest window an annual rate is shown for, in months. */
export const windowDays = (window) => Math.round(windowYears(window) * 365.25);
export const MIN_ANNUALISED_MONTHS = Math.round(ANNUALISED.minYears * 12);
/** The metrics that compound to a year, by name: "CAGR and Calmar ratio". */
export const ANNUALISED_NAMES = ANNUALISED.metrics.map((m) => METRIC_LABELS[m] ?? m).join(' and ');

/** A metric as people read it: percentages for rates and returns, two decimals otherwise, "—" when undefined. */
export function formatMetric(metric, value) {
  if (value === 'Infinity' || value === Number.POSITIVE_INFINITY) return '∞'; // documents write ±∞ as strings
  if (value === '-Infinity' || value === Number.NEGATIVE_INFINITY) return '−∞';
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (metric === 'trades') return String(Math.round(value));
  if (PERCENT.has(metric)) return `${(value * 100).toFixed(1)} %`;
  return Math.abs(value) >= 1000 ? value.toExponential(2) : value.toFixed(2);
}
