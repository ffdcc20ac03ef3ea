// The panels of performance_comparison.png. Training and validation windows differ in length (5.7 vs 2.4 years on
// the daily data), so their total returns are not comparable: the return panel shows CAGR, and every group of
// bars says how long its window is. Below MIN_ANNUALISED_YEARS an annual rate is an extrapolation (a 3,000-bar
// hourly window "earned" 5,111,988 % a year), so short windows show total return and the panel says why.
import { METRIC_LABELS, MIN_ANNUALISED_YEARS, PERCENT_METRICS, YEAR_MS, type MetricName } from '@overfit/core';
import type { ComparedMetric } from '@overfit/charts';
import type { ValidationResults, WindowInfo } from '@overfit/store';

const PERCENT = new Set<MetricName>(PERCENT_METRICS);
/** Metrics buy-and-hold has in a meaningful sense (its "win rate" is one trade). */
const WITH_BENCHMARK = new Set<MetricName>(['totalReturn', 'cagr', 'sharpe', 'maxDrawdown']);
const BOUNDS: Partial<Record<MetricName, [number, number]>> = {
  totalReturn: [-1, Number.POSITIVE_INFINITY], // equity compounds: a return cannot pass −100 %
  cagr: [-1, Number.POSITIVE_INFINITY],
  maxDrawdown: [0, 1],
  winRate: [0, 1],
  hitRate: [0, 1],
};

/** A window's length in years, from its first to its last bar's time. */
export function windowYears(time: ArrayLike<number>, window: WindowInfo): number {
  return window.end > window.start ? (time[window.end - 1] - time[window.start]) / YEAR_MS : 0;
}

/** 5.7 years, 4.2 months, 12 days: the unit a reader compares at a glance. */
export function formatSpan(years: number): string {
  if (years >= 1) return `${years.toFixed(1)} years`;
  if (years >= 1 / 6) return `${(years * 12).toFixed(1)} months`;
  return `${Math.round(years * 365)} days`;
}

export function comparedMetrics(results: ValidationResults, selected: MetricName, time: ArrayLike<number>) {
  const years = [windowYears(time, results.windows.training), windowYears(time, results.windows.validation)];
  const annualise = Math.min(...years) >= MIN_ANNUALISED_YEARS;
  const returnMetric: MetricName = annualise ? 'cagr' : 'totalReturn';
  const order: MetricName[] = ['winRate', returnMetric, 'sharpe', 'maxDrawdown', 'hitRate', 'profitFactor'];
  const names = [selected, ...order.filter((m) => m !== selected)].slice(0, 6);
  const value = (v: number | null) => (v === null ? Number.NaN : v);
  const label = (m: MetricName) =>
    m === 'cagr'
      ? 'Annualised return (CAGR)'
      : m === 'totalReturn' && !annualise
        ? 'Total return (a window < 3 months: not annualised)'
        : METRIC_LABELS[m];
  const metrics: ComparedMetric[] = names.map((m) => ({
    label: label(m),
    training: value(results.training[m]),
    validation: value(results.validation[m]),
    format: PERCENT.has(m) ? 'percent' : 'number',
    bounds: BOUNDS[m],
    benchmark: WITH_BENCHMARK.has(m)
      ? { training: value(results.buyAndHold.training[m]), validation: value(results.buyAndHold.validation[m]) }
      : undefined,
  }));
  const windowLabels: [string, string] = [`training, ${formatSpan(years[0])}`, `validation, ${formatSpan(years[1])}`];
  return { metrics, windowLabels };
}
