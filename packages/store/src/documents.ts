// The JSON documents a run writes. Stages produce and consume them through the store, never through each
// other's code, and the dashboard reads them, so their shapes live here with the run layout.
import type { BarWindow, MetricName, Metrics, SelectionMetric, Strategy } from '@overfit/core';

/** runs/<id>/strategies/strategies.json: the generator's inputs beside its output. */
export interface StrategiesDocument {
  seed: number;
  families: string[];
  count: number;
  strategies: Strategy[];
}

/** runs/<id>/results/best_strategy.json */
export interface BestStrategyDocument {
  strategy: Strategy;
  selectBy: SelectionMetric;
  minTrades: number;
  /** Its metrics on the training window, as backtested. */
  training: Metrics;
  candidates: number;
  eligible: number;
  /** The top five eligible strategies by the selection metric, best first. */
  leaders: { id: string; value: number }[];
}

/** The original project's rule on the selection metric's fall: one line of the report, not its verdict. */
export type OriginalRuleVerdict = 'overfit' | 'held_up' | 'inconclusive';

export interface WindowInfo extends BarWindow {
  bars: number;
  first: string;
  last: string;
}

/** runs/<id>/results/validation_results.json. Undefined metrics (NaN) are null in the JSON. */
export interface ValidationResults {
  strategy: Strategy;
  selectBy: SelectionMetric;
  overfitThreshold: number;
  windows: { training: WindowInfo; validation: WindowInfo };
  training: Metrics;
  validation: Metrics;
  buyAndHold: { training: Metrics; validation: Metrics };
  /** (validation − training) / |training| for every metric; null where undefined. */
  relativeChange: Record<MetricName, number | null>;
  selection: { metric: SelectionMetric; training: number; validation: number; drop: number | null };
  /**
   * The original rule (overfit when the selection metric falls by more than overfitThreshold); the run's verdict is
   * overfitting_report.json's.
   */
  originalRule: { verdict: OriginalRuleVerdict; explanation: string };
}
