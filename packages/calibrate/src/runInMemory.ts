// One whole run — generate, backtest, select, validate, report — in memory, without an artifact store, doing what
// the pipeline's stages do with the same functions: generateStrategies (generate), backtestAll with 64 training
// blocks and the selection metric's per-block figures (backtest), rankEligible (select), evaluatePositions and
// buildOverfittingReport (validate). The store only round-trips these tables exactly (shortest decimals, raw
// Float64 moments), so the report is the one `overfit run` would write for the same prices and config.
import {
  backtestAll,
  costsOf,
  createMarket,
  DEFAULT_RUN_CONFIG,
  evaluatePositions,
  generateStrategies,
  positions,
  rankEligible,
  SELECTION_METRIC_FIELDS,
  splitWindows,
  type Costs,
  type Market,
  type Metrics,
  type OverfittingReport,
  type PriceSeries,
  type RunConfig,
  type Strategy,
} from '@overfit/core';
import { buildOverfittingReport } from '@overfit/stage-validate';

/** Blocks of the training window's moments, as the backtest stage writes them. */
export const PIPELINE_BLOCKS = 64;

export interface InMemoryRun {
  config: RunConfig;
  market: Market;
  windows: ReturnType<typeof splitWindows>;
  strategies: Strategy[];
  selected: Strategy;
  /** Strategies with ≥ minTrades training trades and a defined metric. */
  eligible: number;
  training: Metrics;
  validation: Metrics;
  report: OverfittingReport;
}

/** The run config of a calibration run: DEFAULT_RUN_CONFIG with the given fields. */
export function calibrationConfig(overrides: Partial<RunConfig>): RunConfig {
  return { ...DEFAULT_RUN_CONFIG, families: [...DEFAULT_RUN_CONFIG.families], ...overrides };
}

export function runInMemory(series: PriceSeries, config: RunConfig): InMemoryRun {
  const market = createMarket(series);
  const strategies = generateStrategies({ count: config.strategies, seed: config.seed, families: config.families });
  const windows = splitWindows(series.close.length, config.trainFraction);
  const costs = costsOf(config);
  const results = backtestAll(strategies, market, windows, costs, {
    blocks: PIPELINE_BLOCKS,
    selectBy: config.selectBy,
  });
  const ranked = rankEligible(results.training, config);
  if (ranked.length === 0)
    throw new Error(`none of the ${strategies.length} strategies made ${config.minTrades} training trades`);
  const selected = strategies[ranked[0]];
  const held = positions(selected, market);
  const training = evaluatePositions(held, market, windows.training, costs);
  const validation = evaluatePositions(held, market, windows.validation, costs);
  const report = buildOverfittingReport({
    config,
    market,
    windows,
    strategies,
    selected,
    training: results.training,
    validation: results.validation,
    moments: results.trainingMoments,
  });
  return { config, market, windows, strategies, selected, eligible: ranked.length, training, validation, report };
}

/** The selection metric's value in a metrics record. */
export const selectionValue = (metrics: Metrics, config: RunConfig): number =>
  metrics[SELECTION_METRIC_FIELDS[config.selectBy]];

export interface TrueEdge {
  /** Per-bar Sharpe of the strategy's net returns on the fresh path, and its t-statistic SR·√T. */
  sharpe: number;
  tStat: number;
  bars: number;
  /** t ≥ TRUE_EDGE_T: the edge is real, not selection luck. */
  holds: boolean;
}

/** t-statistic of the out-of-sample Sharpe that counts as a true edge. */
export const TRUE_EDGE_T = 3;

/**
 * Ground truth for one selected strategy: its net per-bar returns (run costs) on an independent path of the same
 * generator; the whole path is one window (the first bars' indicators warm up inside it, as in any backtest).
 */
export function trueEdge(strategy: Strategy, fresh: PriceSeries, costs: Costs): TrueEdge {
  const market = createMarket(fresh);
  const bars = fresh.close.length;
  const m = evaluatePositions(positions(strategy, market), market, { start: 0, end: bars }, costs);
  const sharpe = m.sharpe / Math.sqrt(market.periodsPerYear);
  const tStat = sharpe * Math.sqrt(bars);
  return { sharpe, tStat, bars, holds: Number.isFinite(tStat) && tStat >= TRUE_EDGE_T };
}
