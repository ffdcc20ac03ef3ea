// What happened out of sample: the original rule (did the selection metric fall by more than the threshold, and by
// more than noise?), the selected strategy's validation Sharpe tested alone (one strategy, chosen before these
// bars were seen: no correction for the search is needed), and walk-forward.
import {
  finiteOrNull,
  foldWindows,
  netReturns,
  normalCdf,
  positions,
  probabilisticSharpeRatio,
  sampleMoments,
  SELECTION_METRIC_FIELDS,
  walkForward,
  type BarWindow,
  type Market,
  type Metrics,
  type OverfittingReport,
  type RunConfig,
  type SelectionMetric,
  type Strategy,
} from '@overfit/core';
import { result as resultOf, submit, type KernelSteps, type Submitted, type WindowsRequest } from './kernelSteps';

const WALK_FORWARD_FOLDS = 5;
export const WALK_FORWARD_MAX_STRATEGIES = 1_000;

const relative = (from: number, to: number): number | null => {
  const change = (to - from) / Math.abs(from);
  return Number.isFinite(change) ? change : null;
};

/** One-sided two-proportion z-test of H1: the training proportion is higher than the validation one. */
function proportionDrop(successes1: number, n1: number, successes2: number, n2: number) {
  if (n1 < 1 || n2 < 1) return null;
  const pooled = (successes1 + successes2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return null;
  const statistic = (successes1 / n1 - successes2 / n2) / se;
  return { name: 'two-proportion z-test, one-sided', statistic, pValue: normalCdf(-statistic) };
}

/** One-sided test that the per-bar Sharpe ratio fell between two independent windows (Lo's 2002 standard errors). */
function sharpeDrop(sharpe1: number, bars1: number, sharpe2: number, bars2: number) {
  if (!Number.isFinite(sharpe1) || !Number.isFinite(sharpe2)) return null;
  const se = Math.sqrt((1 + (sharpe1 * sharpe1) / 2) / bars1 + (1 + (sharpe2 * sharpe2) / 2) / bars2);
  const statistic = (sharpe1 - sharpe2) / se;
  return { name: 'difference of Sharpe ratios, one-sided', statistic, pValue: normalCdf(-statistic) };
}

/** Fewest validation trades to judge a strategy: min-trades scaled to the validation window, at least 5. */
const minimumValidationTrades = (config: RunConfig, trainingBars: number, validationBars: number): number =>
  Math.max(5, Math.ceil((config.minTrades * validationBars) / trainingBars));

export function selectionDrop(
  config: RunConfig,
  training: Metrics,
  validation: Metrics,
  bars: { training: number; validation: number },
  periodsPerYear: number,
): OverfittingReport['selectionDrop'] {
  const metric: SelectionMetric = config.selectBy;
  const field = SELECTION_METRIC_FIELDS[metric];
  const change = relative(training[field], validation[field]);
  const drop = change === null ? null : -change;
  const exposed = (m: Metrics, n: number) => Math.round(m.exposure * n);
  let samples: OverfittingReport['selectionDrop']['samples'];
  let test: OverfittingReport['selectionDrop']['test'] = null;
  if (metric === 'win_rate' || metric === 'profit_factor') {
    samples = { training: training.trades, validation: validation.trades, unit: 'trades' };
    if (metric === 'win_rate') {
      test = proportionDrop(
        Math.round(training.winRate * training.trades),
        training.trades,
        Math.round(validation.winRate * validation.trades),
        validation.trades,
      );
    }
  } else if (metric === 'hit_rate') {
    const n1 = exposed(training, bars.training),
      n2 = exposed(validation, bars.validation);
    samples = { training: n1, validation: n2, unit: 'exposed bars' };
    test = proportionDrop(Math.round(training.hitRate * n1), n1, Math.round(validation.hitRate * n2), n2);
  } else {
    samples = { training: bars.training, validation: bars.validation, unit: 'bars' };
    if (metric === 'sharpe') {
      const rootP = Math.sqrt(periodsPerYear);
      test = sharpeDrop(training.sharpe / rootP, bars.training, validation.sharpe / rootP, bars.validation);
    }
  }
  return {
    metric,
    training: finiteOrNull(training[field]),
    validation: finiteOrNull(validation[field]),
    drop,
    threshold: config.overfitThreshold,
    exceedsThreshold: drop === null ? null : drop > config.overfitThreshold,
    samples,
    test,
    minimumValidationTrades: minimumValidationTrades(config, bars.training, bars.validation),
  };
}

/** P(true Sharpe > 0) of a return series; null when it does not vary or its moments are degenerate. */
function probabilityPositiveSharpe(returns: ArrayLike<number>): { sharpe: number; psr: number } | null {
  if (returns.length < 2) return null;
  const m = sampleMoments(returns);
  if (!Number.isFinite(m.sharpe)) return null;
  try {
    return {
      sharpe: m.sharpe,
      psr: probabilisticSharpeRatio({
        sharpe: m.sharpe,
        benchmarkSharpe: 0,
        observations: m.observations,
        skewness: m.skewness,
        kurtosis: m.kurtosis,
      }),
    };
  } catch {
    return null;
  }
}

/** Too few bars for the folds: walk-forward is left out. */
const tooShort = (market: Market) => market.series.close.length < 2 * WALK_FORWARD_FOLDS * 2;

/** The strategies walk-forward backtests (the first ones; none when the history is too short for its folds). */
export const walkForwardStrategies = (market: Market, strategies: readonly Strategy[]): readonly Strategy[] =>
  tooShort(market) ? [] : strategies.slice(0, WALK_FORWARD_MAX_STRATEGIES);

/** Walk-forward's one kernel job (every fold of the first strategies), submitted now; null when it cannot run. */
export function* walkForwardJob(
  config: RunConfig,
  market: Market,
  strategies: readonly Strategy[],
): KernelSteps<Submitted<WindowsRequest> | null> {
  if (tooShort(market)) return null;
  return yield* submit({
    kind: 'windows',
    step: 'walk-forward',
    strategies: walkForwardStrategies(market, strategies),
    market,
    windows: foldWindows({ start: 0, end: market.series.close.length }, WALK_FORWARD_FOLDS),
    costs: { feesBps: config.feesBps, slippageBps: config.slippageBps },
  });
}

/** The walk-forward section from its job's fold tables (see walkForwardJob). */
export function* walkForwardSection(
  config: RunConfig,
  job: Submitted<WindowsRequest> | null,
  windows: { training: BarWindow },
): KernelSteps<OverfittingReport['walkForward']> {
  if (job === null) return null;
  const { market, strategies: used, windows: folds, costs } = job.request;
  const bars = market.series.close.length;
  const all = { start: 0, end: bars };
  const field = SELECTION_METRIC_FIELDS[config.selectBy];
  // --min-trades is set for the training window; a fold is shorter, so it needs proportionally fewer trades.
  const trainingBars = windows.training.end - windows.training.start;
  const minTrades = Math.ceil((config.minTrades * (folds[0].end - folds[0].start)) / trainingBars);
  // Every fold's metrics by the kernel, one positions pass per strategy for all folds.
  const { tables } = yield* resultOf(job);
  const scores = tables.map((table) =>
    table.columns[field].map((value, i) => (table.columns.trades[i] >= minTrades ? value : Number.NaN)),
  );
  const held: Float64Array[] = [];
  const result = walkForward({
    window: all,
    folds: WALK_FORWARD_FOLDS,
    scores: (w) => scores[folds.findIndex((f) => f.start === w.start)],
    returns: (k, w) => {
      const r = netReturns(positions(used[k], market), market, w, costs);
      held.push(r);
      return r;
    },
  });
  // The chained out-of-sample returns: a fold where nothing was eligible is held flat.
  const chained = new Float64Array(bars - folds[1].start);
  let at = 0,
    next = 0;
  for (const fold of result.folds) {
    const length = fold.heldOn.end - fold.heldOn.start;
    if (fold.selected !== null) chained.set(held[next++], at);
    at += length;
  }
  const inference = probabilityPositiveSharpe(chained);
  const close = market.series.close;
  return {
    folds: WALK_FORWARD_FOLDS,
    strategiesUsed: used.length,
    minTradesPerFold: minTrades,
    totalReturn: result.totalReturn,
    buyAndHoldReturn: close[bars - 1] / close[folds[1].start - 1] - 1,
    sharpeAnnual: inference ? inference.sharpe * Math.sqrt(market.periodsPerYear) : null,
    probabilisticSharpe: inference?.psr ?? null,
    table: result.folds.map((f) => ({
      selectedOn: f.selectedOn,
      heldOn: f.heldOn,
      strategy: f.selected === null ? null : used[f.selected],
      inSample: f.inSample,
      outOfSample: f.outOfSample,
      heldReturn: f.heldReturn,
    })),
  };
}
