// Names of metrics for people, and the metrics a run may select by (as users type them: snake_case).
import type { MetricName } from './types';

/** The metrics that are shares or rates (shown as percentages); the others are ratios or counts. */
export const PERCENT_METRICS: readonly MetricName[] = [
  'totalReturn',
  'cagr',
  'maxDrawdown',
  'winRate',
  'hitRate',
  'exposure',
];

/**
 * Below this span (three months) a yearly rate is an extrapolation, not a measurement: 3,000 five-minute bars give a
 * CAGR of 5,111,988 % and a Calmar ratio of 193,700. Such windows show their total return instead and say so.
 */
export const MIN_ANNUALISED_YEARS = 0.25;

/** The metrics that compound a window's result to a year, meaningless on a window shorter than the minimum. */
export const COMPOUNDED_ANNUAL_METRICS: readonly MetricName[] = ['cagr', 'calmar'];

/**
 * The metrics that add up over a window instead of being a rate: a 5.7-year and a 2.4-year window's total returns
 * (or trade counts) differ by their lengths, so their change says nothing about the strategy (−86.4 % → −20.9 %
 * would read "+75.8 %"). Compare their yearly rates (CAGR) instead.
 */
export const WINDOW_TOTAL_METRICS: readonly MetricName[] = ['totalReturn', 'trades'];

export const METRIC_LABELS: Record<MetricName, string> = {
  totalReturn: 'Total return',
  cagr: 'CAGR',
  sharpe: 'Sharpe ratio',
  sortino: 'Sortino ratio',
  maxDrawdown: 'Max drawdown',
  calmar: 'Calmar ratio',
  winRate: 'Win rate',
  hitRate: 'Hit rate',
  trades: 'Trades',
  exposure: 'Exposure',
  profitFactor: 'Profit factor',
};

/** Selection metrics and the metric each one reads; for all of them higher is better. */
export const SELECTION_METRIC_FIELDS = {
  win_rate: 'winRate',
  sharpe: 'sharpe',
  total_return: 'totalReturn',
  sortino: 'sortino',
  calmar: 'calmar',
  cagr: 'cagr',
  profit_factor: 'profitFactor',
  hit_rate: 'hitRate',
} as const satisfies Record<string, MetricName>;

export type SelectionMetric = keyof typeof SELECTION_METRIC_FIELDS;
export const SELECTION_METRICS = Object.keys(SELECTION_METRIC_FIELDS) as SelectionMetric[];
