// Stage 2 — backtest: every strategy on both windows. Selection reads only the training table; the validation
// table and the training window's block moments are for the statistics of the whole selection process.
import {
  costsOf,
  createMarket,
  InputError,
  splitWindows,
  strategyLookback,
  type BacktestEvent,
  type BarWindow,
  type DataRef,
  type Strategy,
} from '@overfit/core';
import type { LoadedPrices } from '@overfit/data';
import {
  getJson,
  parseShardRange,
  parseStageEvent,
  runKeys,
  shardKeys,
  writeBlockMoments,
  writePerformanceTable,
  type ArtifactStore,
  type ShardRange,
} from '@overfit/store';
import { backtestAllOnPool } from '@overfit/core/pool';

/** The kernel on the worker pool (@overfit/core/pool), as the benchmark calls it. */
export { backtestAllOnPool as backtestInParallel, defaultWorkers } from '@overfit/core/pool';

/** With a shard: only strategies [start, end), written under the run's shards/ folder for the select stage to merge. */
export type BacktestInput = BacktestEvent;

/** Blocks of the training window's return moments: CSCV partitions (16 by default) must divide it. */
export const MOMENT_BLOCKS = 64;

export interface BacktestOutput {
  trainingPerformanceKey: string;
  validationPerformanceKey: string;
  blockMomentsKey: string;
  count: number;
  windows: { training: BarWindow; validation: BarWindow };
  shard?: ShardRange;
}

export interface BacktestDeps {
  store: ArtifactStore;
  loadPrices: (ref: DataRef) => Promise<LoadedPrices>;
  onProgress?: (done: number, total: number) => void;
  /** Worker threads for the kernel; default: every core for large runs (core's pool). Results never depend on it. */
  workers?: number;
}

export function parseEvent(event: unknown): BacktestInput {
  const base = parseStageEvent(event, 'backtest');
  const { strategiesKey, shard } = event as BacktestEvent;
  return { ...base, strategiesKey, ...(shard === undefined ? {} : { shard: parseShardRange(shard, 'event.shard') }) };
}

/** Fail before any work when the training window cannot warm up the slowest indicator. */
export function assertEnoughBars(strategies: readonly Strategy[], trainingBars: number, source: string): void {
  let longest: Strategy | undefined;
  let need = 0;
  for (const strategy of strategies) {
    const lookback = strategyLookback(strategy);
    if (lookback > need) [need, longest] = [lookback, strategy];
  }
  if (longest && trainingBars <= need) {
    throw new InputError(
      `the training window has ${trainingBars} bars but strategy ${longest.id} (${longest.family}) needs more than ${need} to form a signal; ` +
        'use a longer history, a larger trainFraction or other families',
      source,
    );
  }
}

export async function run(input: BacktestInput, deps: BacktestDeps): Promise<BacktestOutput> {
  const { config } = input;
  const [{ strategies: all }, prices] = await Promise.all([
    getJson<{ strategies: Strategy[] }>(deps.store, input.strategiesKey),
    deps.loadPrices(input.data),
  ]);
  const { shard } = input;
  if (shard && shard.end > all.length)
    throw new InputError(`ends at strategy ${shard.end}, but the run has ${all.length}`, 'event.shard');
  const strategies = shard ? all.slice(shard.start, shard.end) : all;
  const market = createMarket(prices.series);
  const windows = splitWindows(prices.series.close.length, config.trainFraction);
  assertEnoughBars(strategies, windows.training.end - windows.training.start, prices.source.path);

  const costs = costsOf(config);
  const trainingBars = windows.training.end - windows.training.start;
  const results = await backtestAllOnPool(strategies, market, windows, costs, {
    blocks: Math.min(MOMENT_BLOCKS, trainingBars),
    selectBy: config.selectBy,
    workers: deps.workers,
    onProgress: deps.onProgress,
  });
  const keys = shard ? shardKeys(input.runId, shard.index) : runKeys(input.runId);
  await writePerformanceTable(deps.store, keys.trainingPerformance, strategies, results.training);
  await writePerformanceTable(deps.store, keys.validationPerformance, strategies, results.validation);
  await writeBlockMoments(deps.store, keys.blockMoments, results.trainingMoments);
  return {
    trainingPerformanceKey: keys.trainingPerformance,
    validationPerformanceKey: keys.validationPerformance,
    blockMomentsKey: keys.blockMoments,
    count: strategies.length,
    windows,
    ...(shard ? { shard } : {}),
  };
}
