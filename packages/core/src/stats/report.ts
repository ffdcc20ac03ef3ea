// results/overfitting_report.json: every statistic of the run with the inputs it was computed from, and a
// verdict in plain language. The validate stage writes it; the visualize stage, the CLI and the dashboard read it.
// Sharpe ratios are per bar unless a field says annual; undefined values are null.
import type { BarWindow, Strategy } from '../types';
import type { SelectionMetric } from '../metrics';
import type { HaircutResult } from './sharpe';

export const OVERFITTING_REPORT_FORMAT = 'overfit-report/2';

/** The level of evidence against "the selected strategy is only lucky", the report's one verdict. */
export type VerdictLevel = 'evidence_of_skill' | 'no_evidence_of_skill' | 'overfit_likely' | 'inconclusive';

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

/** One test of "no edge: the result is luck", at the report's 5 % level. */
export interface VerdictTest {
  id: 'validation' | 'deflated_sharpe' | 'null_markets' | 'pbo' | 'reality_check' | 'spa' | 'walk_forward';
  label: string;
  /** What the test is about: the selected strategy, the best of the strategies tested, or the selection process. */
  about: string;
  /** p-value of "no edge"; null when the test could not be run. */
  pValue: number | null;
  /** Whether it rejects "no edge" at 5 %; null when it could not be run. */
  fires: boolean | null;
}

/** A window's figures of the selected strategy beside buy-and-hold on the same bars. */
export interface WindowComparison {
  bars: number;
  trades: number;
  totalReturn: number;
  sharpeAnnual: number | null;
  buyAndHoldReturn: number;
  buyAndHoldSharpeAnnual: number | null;
}

export interface OverfittingReport {
  format: typeof OVERFITTING_REPORT_FORMAT;
  inputs: {
    /** N: every strategy tried counts as a trial, eligible or not. */
    strategies: number;
    /** T: bars of the training window. */
    trainingBars: number;
    validationBars: number;
    periodsPerYear: number;
    selectBy: SelectionMetric;
    selectedId: string;
    seed: number;
    /** Fees + slippage per position change, basis points. */
    costsBps: number;
    /** Significance level of every test. */
    alpha: number;
  };
  /** The strategy the run selected, on both windows, beside buy-and-hold. */
  selected: {
    strategyId: string;
    training: SharpeInference;
    validation: SharpeInference | null;
    comparison: { training: WindowComparison; validation: WindowComparison };
  };
  /**
   * The original rule: the selection metric's relative fall from training to validation against a threshold, with
   * the sample sizes behind both values and a one-sided test that the fall is more than noise.
   */
  selectionDrop: {
    metric: SelectionMetric;
    training: number | null;
    validation: number | null;
    drop: number | null;
    threshold: number;
    exceedsThreshold: boolean | null;
    /** Trades (win rate, profit factor), exposed bars (hit rate) or bars (the rest) behind each value. */
    samples: { training: number; validation: number; unit: 'trades' | 'exposed bars' | 'bars' };
    test: { name: string; statistic: number; pValue: number } | null;
    /** Fewest validation trades to judge the selected strategy: min-trades scaled to the validation window, ≥ 5. */
    minimumValidationTrades: number;
  };
  /**
   * Per-bar Sharpe ratios of all trials (for the figures); `best` is the best by Sharpe, whatever the run selects by.
   */
  sharpeAcrossTrials: {
    defined: number;
    variance: number | null;
    robustVariance: number | null;
    best: { id: string; sharpe: number; sharpeAnnual: number } | null;
  };
  /**
   * Luck of the best of the N trials given their return correlations (stats/luckOfTheBest.ts): E[max z] of
   * simulated correlated null trials, and the number of independent trials with the same expectation.
   */
  effectiveTrials: { strategies: number; varying: number; draws: number; expectedMaxZ: number; trials: number };
  /**
   * DSR of the selected strategy's training Sharpe: PSR against E[max SR] of the N correlated unskilled trials,
   * whose Sharpe estimates vary by the null variance 1/(T − 1) (the estimate's own sampling variance when the true
   * Sharpe is 0; the spread across trials includes skill and fee differences and would hide any skill). `pValue`:
   * P(the best of the N trials shows this Sharpe by luck), the family-wise test the verdict reads.
   */
  deflatedSharpe: {
    strategyId: string;
    trials: number;
    effectiveTrials: number;
    sharpeVariance: number;
    expectedMaxSharpe: number;
    expectedMaxSharpeAnnual: number;
    sharpe: number;
    observations: number;
    skewness: number;
    kurtosis: number;
    value: number;
    pValue: number;
  } | null;
  /** The best strategy by training Sharpe, tested alone (labelled: the run may select by another metric). */
  bestBySharpe: SharpeInference | null;
  minimumBacktestLength: {
    strategyId: string;
    trials: number;
    targetSharpeAnnual: number;
    years: number;
    availableYears: number;
  } | null;
  haircut: {
    strategyId: string;
    sharpeAnnual: number;
    observations: number;
    trials: number;
    methods: Record<'bonferroni' | 'holm' | 'bhy', HaircutResult & { haircutSharpeAnnual: number }>;
  } | null;
  pbo: {
    source: 'training block moments';
    blocks: number;
    blockBars: number;
    partitions: number;
    barsPerPartition: number;
    /** What CSCV ranks strategies by: the run's selection metric where it splits into blocks. */
    rankedBy: string;
    /** Strategies eligible in a half need this many trades there (min-trades for half the window). */
    minimumTradesPerHalf: number;
    /** Splits evaluated: all of them, or a seeded sample above 20,000 strategies. */
    combinations: number;
    allCombinations: number;
    pbo: number;
    probabilityOfLoss: number | null;
    degradation: { slope: number | null; intercept: number | null; r2: number | null };
    logits: number[];
  } | null;
  dataSnooping: {
    benchmark: 'buy_and_hold';
    observation: string;
    observations: number;
    meanBlockLength: number;
    replicates: number;
    seed: number;
    strategiesTested: number;
    realityCheck: { statistic: number; pValue: number; bestId: string };
    spa: { statistic: number; lower: number; consistent: number; upper: number; bestId: string };
  } | null;
  rankCorrelation: { metric: SelectionMetric; rho: number | null; pairs: number };
  walkForward: {
    folds: number;
    strategiesUsed: number;
    minTradesPerFold: number;
    totalReturn: number;
    buyAndHoldReturn: number;
    /** PSR of the chained held-out returns: P(the rule's out-of-sample Sharpe > 0). */
    sharpeAnnual: number | null;
    probabilisticSharpe: number | null;
    table: {
      selectedOn: BarWindow;
      heldOn: BarWindow;
      strategy: Strategy | null;
      inSample: number | null;
      outOfSample: number | null;
      heldReturn: number;
    }[];
  } | null;
  /**
   * The whole selection repeated on K synthetic markets with the run's volatility and drift but no edge; Monte
   * Carlo p-values (1 + #{null ≥ real}) / (K + 1) of the selected strategy's training Sharpe, of the best selection
   * metric, and of PBO (#{null ≤ real}: a low PBO is evidence of skill).
   */
  nullMarkets: {
    markets: number;
    model: string;
    metric: SelectionMetric;
    /** The first strategies (all of them up to 1,000): the real selection is repeated among the same ones. */
    strategiesUsed: number;
    realSelectedId: string | null;
    realSelectedSharpeAnnual: number | null;
    nullSelectedSharpesAnnual: (number | null)[];
    sharpePValue: number | null;
    realBest: number | null;
    nullBests: (number | null)[];
    metricPValue: number | null;
    nullPbos: (number | null)[];
    pboPValue: number | null;
  };
  verdict: {
    level: VerdictLevel;
    /** One sentence: the verdict, the selected strategy, and its validation return beside buy-and-hold's. */
    headline: string;
    /** green only for skill that also made money and kept up with buy-and-hold on validation. */
    tone: 'good' | 'bad' | 'neutral';
    /**
     * p-value of "the selected strategy has no edge": Fisher's combination of the training evidence after the
     * search and the out-of-sample test (verdict.ts); skill needs it ≤ alpha and a positive validation Sharpe.
     */
    pValue: number | null;
    tests: VerdictTest[];
    findings: string[];
  };
}

/** Turn NaN and ±Infinity into null for JSON. */
export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
