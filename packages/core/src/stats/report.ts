// results/overfitting_report.json: every statistic of the run with the inputs it was computed from, and a
// verdict in plain language. The validate stage writes it; the visualize stage, the CLI and the dashboard read it.
// Sharpe ratios are per bar unless a field says annual; undefined values are null.
import type { BarWindow, Strategy } from '../types';
import type { SelectionMetric } from '../metrics';
import type { HaircutResult } from './sharpe';

export const OVERFITTING_REPORT_FORMAT = 'overfit-report/1';

export interface SharpeInference {
  strategyId: string;
  observations: number;
  sharpe: number | null;
  sharpeAnnual: number | null;
  skewness: number | null;
  kurtosis: number | null;
  /** P(true Sharpe > 0). */
  probabilisticSharpe: number | null;
  /** Bars of track record for PSR(0) to reach 95 %; null when the Sharpe is not positive. */
  minimumTrackRecordBars: number | null;
}

export interface OverfittingReport {
  format: typeof OVERFITTING_REPORT_FORMAT;
  inputs: {
    /** N: every strategy tried counts as a trial, eligible or not. */
    strategies: number;
    /** T: bars of the training window. */
    trainingBars: number;
    periodsPerYear: number;
    selectBy: SelectionMetric;
    selectedId: string;
    seed: number;
  };
  /**
   * Per-bar Sharpe ratios of all trials. `robustVariance` ((1.4826·MAD)²) is what DSR and E[max SR] use: strategies
   * that trade nearly every bar lose their fees and form a far tail of very negative Sharpe ratios that would
   * inflate the plain variance and with it the bar luck has to clear; the bulk of trials is what competes for the max.
   */
  sharpeAcrossTrials: {
    defined: number; variance: number | null; robustVariance: number | null; robustVarianceAnnual: number | null;
    best: { id: string; sharpe: number; sharpeAnnual: number } | null;
  };
  /** The selected strategy (by the run's selection metric) and the best by Sharpe, each tested alone. */
  selected: SharpeInference;
  bestBySharpe: SharpeInference | null;
  deflatedSharpe: {
    strategyId: string; trials: number; sharpeVariance: number; expectedMaxSharpe: number; expectedMaxSharpeAnnual: number;
    sharpe: number; observations: number; skewness: number; kurtosis: number; value: number;
  } | null;
  minimumBacktestLength: { trials: number; targetSharpeAnnual: number; years: number; availableYears: number } | null;
  haircut: { strategyId: string; sharpeAnnual: number; observations: number; trials: number; methods: Record<'bonferroni' | 'holm' | 'bhy', HaircutResult & { haircutSharpeAnnual: number }> } | null;
  pbo: {
    source: 'training block moments'; blocks: number; blockBars: number; partitions: number; barsPerPartition: number;
    /** Splits evaluated: all of them, or a seeded sample of 2,000 above 20,000 strategies. */
    combinations: number; allCombinations: number;
    pbo: number; probabilityOfLoss: number; degradation: { slope: number | null; intercept: number | null; r2: number | null };
    logits: number[];
  } | null;
  dataSnooping: {
    benchmark: 'buy_and_hold'; observation: string; observations: number; meanBlockLength: number; replicates: number; seed: number;
    strategiesTested: number;
    realityCheck: { statistic: number; pValue: number; bestId: string };
    spa: { statistic: number; lower: number; consistent: number; upper: number; bestId: string };
  } | null;
  rankCorrelation: { metric: SelectionMetric; rho: number | null; pairs: number };
  walkForward: {
    folds: number; strategiesUsed: number; minTradesPerFold: number; totalReturn: number; buyAndHoldReturn: number;
    table: { selectedOn: BarWindow; heldOn: BarWindow; strategy: Strategy | null; inSample: number | null; outOfSample: number | null; heldReturn: number }[];
  } | null;
  nullMarkets: {
    markets: number; model: string; metric: SelectionMetric;
    /** The first N strategies (all of them up to 1,000): the real best is taken among the same ones. */
    strategiesUsed: number;
    realBest: number | null; nullBests: (number | null)[];
    /** Share of null markets whose best in-sample value is below the real one (ties count half), in %. */
    percentile: number | null;
  };
  verdict: { level: 'evidence_of_skill' | 'no_evidence_of_skill' | 'overfit_likely'; summary: string; findings: string[] };
}

/** Turn NaN and ±Infinity into null for JSON. */
export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
