// The statistics of the whole selection process, for overfitting_report.json: is the strategy the run selected
// skilled or lucky? The single train/validation split shows one fall; these say how likely the search itself is
// to produce a winner that is only lucky, each about the selection the run actually made (its metric, its
// strategy), and verdict.ts turns them into one verdict.
//
// What runs at scale (100,000 strategies must stay inside the run's time budget):
// - DSR, MinBTL, haircut, Spearman read the per-strategy metric tables: linear in N; luck's benchmark for the best
//   of N correlated trials simulates 2,000 draws from the block sums' correlations (N × 64 each; 400 above 20,000).
// - PBO reads the training window's per-block figures (N × 64 × a few numbers), never an N × T matrix, and ranks by
//   the run's selection metric; above PBO_FULL_STRATEGIES it evaluates a seeded sample of the 12,870 splits.
// - Reality Check / SPA bootstrap the 64 per-block sums of each strategy's excess over buy-and-hold, over at most
//   SNOOPING_MAX_STRATEGIES strategies: the first ones, a uniform random sample because strategies are drawn at
//   random. The report says how many were tested.
// - Walk-forward and the null markets re-backtest at most 1,000 strategies (the first ones).
import {
  buyAndHold,
  dataSnoopingTests,
  finiteOrNull,
  luckOfTheBest,
  positions,
  finiteVariance,
  OVERFITTING_REPORT_FORMAT,
  robustVariance,
  SELECTION_METRIC_FIELDS,
  spearmanCorrelation,
  type BarWindow,
  type BlockMoments,
  type SnoopingInput,
  type Market,
  type Metrics,
  type MetricsTable,
  type OverfittingReport,
  type RunConfig,
  type Strategy,
  type WindowComparison,
} from '@overfit/core';
import { runInThread, runOnPool, statisticsWorkers, type KernelSteps, type PoolRunOptions } from './kernelSteps';
import { nullMarketControl, nullMarketJobs, nullMarketStrategies } from './nullMarkets';
import { selectionDrop, walkForwardJob, walkForwardSection, walkForwardStrategies } from './outOfSample';
import { backtestLength, deflatedSharpe, haircuts, sharpeInference } from './selectedStrategy';
import { selectionPbo } from './selectionProcess';
import { ALPHA, verdictOf } from './verdict';

const SNOOPING_MAX_STRATEGIES = 10_000;
/** Mean block length of the stationary bootstrap, in blocks of the moments: ≈ ∛64, the usual T^(1/3) rate. */
const SNOOPING_MEAN_BLOCK_LENGTH = 4;
const SNOOPING_REPLICATES = 1000;

export interface OverfittingInputs {
  config: RunConfig;
  market: Market;
  windows: { training: BarWindow; validation: BarWindow };
  strategies: Strategy[];
  training: MetricsTable;
  validation: MetricsTable;
  moments: BlockMoments;
  selected: Strategy;
}

/** Buy-and-hold's Σ of per-bar returns over each block of the moments: the benchmark's observations. */
function benchmarkBlockSums(market: Market, training: BarWindow, moments: BlockMoments): Float64Array {
  const close = market.series.close;
  const sums = new Float64Array(moments.blocks);
  for (let b = 0; b < moments.blocks; b++) {
    for (let t = training.start + b * moments.blockBars; t < training.start + (b + 1) * moments.blockBars; t++) {
      if (t > 0) sums[b] += close[t] / close[t - 1] - 1;
    }
  }
  return sums;
}

/** What Reality Check and SPA test: the first strategies' training block sums against buy-and-hold's. */
export function snoopingInput({
  market,
  windows,
  moments,
  config,
}: Pick<OverfittingInputs, 'market' | 'windows' | 'moments' | 'config'>): SnoopingInput {
  const tested = Math.min(moments.strategies, SNOOPING_MAX_STRATEGIES);
  const returns = Array.from({ length: tested }, (_, i) =>
    moments.sum.subarray(i * moments.blocks, (i + 1) * moments.blocks),
  );
  return {
    returns,
    benchmark: benchmarkBlockSums(market, windows.training, moments),
    meanBlockLength: SNOOPING_MEAN_BLOCK_LENGTH,
    replicates: SNOOPING_REPLICATES,
    seed: config.seed,
  };
}

function dataSnooping(inputs: OverfittingInputs): OverfittingReport['dataSnooping'] {
  const { moments, training, config } = inputs;
  if (moments.blocks < 8) return null;
  const input = snoopingInput(inputs);
  const tested = input.returns.length;
  const { realityCheck: rc, spa } = dataSnoopingTests(input);
  return {
    benchmark: 'buy_and_hold',
    observation: `the sum of net returns over one block of ${moments.blockBars} training bars`,
    observations: moments.blocks,
    meanBlockLength: SNOOPING_MEAN_BLOCK_LENGTH,
    replicates: SNOOPING_REPLICATES,
    seed: config.seed,
    strategiesTested: tested,
    realityCheck: { statistic: rc.statistic, pValue: rc.pValue, bestId: training.ids[rc.best] },
    spa: {
      statistic: spa.statistic,
      lower: spa.lower,
      consistent: spa.consistent,
      upper: spa.upper,
      bestId: training.ids[spa.best],
    },
  };
}

/** A row of a metrics table as Metrics. */
function rowOf(table: MetricsTable, id: string): Metrics {
  const row = table.ids.indexOf(id);
  if (row < 0) throw new Error(`strategy ${id} is not in the performance table`);
  return Object.fromEntries(Object.entries(table.columns).map(([m, column]) => [m, column[row]])) as Metrics;
}

function comparison(metrics: Metrics, market: Market, window: BarWindow): WindowComparison {
  const hold = buyAndHold(market, window);
  return {
    bars: window.end - window.start,
    trades: metrics.trades,
    totalReturn: metrics.totalReturn,
    sharpeAnnual: finiteOrNull(metrics.sharpe),
    buyAndHoldReturn: hold.totalReturn,
    buyAndHoldSharpeAnnual: finiteOrNull(hold.sharpe),
  };
}

/** The report, every kernel job in this thread. */
export const buildOverfittingReport = (inputs: OverfittingInputs): OverfittingReport =>
  runInThread(overfittingReport(inputs));

/** Strategies the statistics backtest (walk-forward, then every null market) and their strategy-bars. */
function kernelWork({ config, market, strategies, windows }: OverfittingInputs) {
  const walkForward = walkForwardStrategies(market, strategies).length;
  const nulls = config.nullMarkets * nullMarketStrategies(config, strategies).length;
  return {
    strategies: walkForward + nulls,
    strategyBars: walkForward * market.series.close.length + nulls * (windows.training.end + 1),
  };
}

/**
 * The same report (the same bytes), its kernel jobs on the worker pool. Progress counts the strategies the
 * statistics backtest, with the step under way ("walk-forward", "null markets").
 */
export function buildOverfittingReportOnPool(
  inputs: OverfittingInputs,
  options: Pick<PoolRunOptions, 'workers' | 'onProgress'> = {},
): Promise<OverfittingReport> {
  const work = kernelWork(inputs);
  return runOnPool(overfittingReport(inputs), {
    workers: options.workers ?? statisticsWorkers(work.strategyBars),
    onProgress: options.onProgress,
    total: work.strategies,
  });
}

function* overfittingReport(inputs: OverfittingInputs): KernelSteps<OverfittingReport> {
  const { config, market, windows, training, validation, moments, selected, strategies } = inputs;
  // The kernel's jobs first: on the pool they run while this thread computes everything else.
  const walkForwardKernel = yield* walkForwardJob(config, market, strategies);
  const nullKernels = yield* nullMarketJobs(inputs);
  const n = training.ids.length;
  const T = windows.training.end - windows.training.start;
  const costs = { feesBps: config.feesBps, slippageBps: config.slippageBps };
  const rootP = Math.sqrt(market.periodsPerYear);
  const perBar = training.columns.sharpe.map((annual) => annual / rootP);
  const across = finiteVariance(perBar);
  let best = -1;
  perBar.forEach((s, i) => {
    if (Number.isFinite(s) && (best < 0 || s > perBar[best])) best = i;
  });
  const bestStrategy = best >= 0 ? (strategies.find((s) => s.id === training.ids[best]) ?? null) : null;

  const selectedTraining = rowOf(training, selected.id);
  const selectedValidation = rowOf(validation, selected.id);
  const held = positions(selected, market);
  const inference = sharpeInference(selected.id, held, market, windows.training, costs);
  const validationInference = sharpeInference(selected.id, held, market, windows.validation, costs);
  const luck = luckOfTheBest(moments.sum, moments.strategies, moments.blocks, {
    seed: config.seed,
    draws: n > 20_000 ? 400 : 2000,
  });
  const pbo = selectionPbo(moments, config);

  // Every strategy with the metric defined on both windows; validation rows matched by id, not by position.
  const field = SELECTION_METRIC_FIELDS[config.selectBy];
  const validationRow = new Map(validation.ids.map((id, i) => [id, i]));
  const rank = spearmanCorrelation(
    training.columns[field],
    training.ids.map((id) => validation.columns[field][validationRow.get(id) ?? -1] ?? Number.NaN),
  );

  const report: Omit<OverfittingReport, 'verdict'> = {
    format: OVERFITTING_REPORT_FORMAT,
    inputs: {
      strategies: n,
      trainingBars: T,
      validationBars: windows.validation.end - windows.validation.start,
      periodsPerYear: market.periodsPerYear,
      selectBy: config.selectBy,
      selectedId: selected.id,
      seed: config.seed,
      costsBps: config.feesBps + config.slippageBps,
      alpha: ALPHA,
    },
    selected: {
      strategyId: selected.id,
      training: inference,
      validation: validationInference,
      comparison: {
        training: comparison(selectedTraining, market, windows.training),
        validation: comparison(selectedValidation, market, windows.validation),
      },
    },
    selectionDrop: selectionDrop(
      config,
      selectedTraining,
      selectedValidation,
      { training: T, validation: windows.validation.end - windows.validation.start },
      market.periodsPerYear,
    ),
    sharpeAcrossTrials: {
      defined: across.count,
      variance: finiteOrNull(across.variance),
      robustVariance: finiteOrNull(robustVariance(perBar)),
      best:
        best >= 0
          ? { id: training.ids[best], sharpe: perBar[best], sharpeAnnual: training.columns.sharpe[best] }
          : null,
    },
    effectiveTrials: {
      strategies: n,
      varying: luck.strategies,
      draws: luck.draws,
      expectedMaxZ: luck.expectedMax,
      trials: luck.effectiveTrials,
    },
    deflatedSharpe: deflatedSharpe(inference, n, luck, market.periodsPerYear),
    bestBySharpe: bestStrategy
      ? sharpeInference(bestStrategy.id, positions(bestStrategy, market), market, windows.training, costs)
      : null,
    minimumBacktestLength: backtestLength(inference, luck.effectiveTrials, T, market.barMs),
    haircut: haircuts(inference, perBar, market.periodsPerYear),
    pbo,
    dataSnooping: dataSnooping(inputs),
    rankCorrelation: { metric: config.selectBy, rho: finiteOrNull(rank.rho), pairs: rank.pairs },
    walkForward: yield* walkForwardSection(config, walkForwardKernel, windows),
    nullMarkets: yield* nullMarketControl(inputs, nullKernels, pbo?.pbo ?? null),
  };
  return { ...report, verdict: verdictOf(report) };
}
