// Stage 3 — select: pick the "best" strategy by the selection metric on the training window, the way a
// researcher who tried them all would. Strategies with too few trades are not eligible: their metrics are noise.
import { InputError, rankEligible, SELECTION_METRIC_FIELDS, type Metrics, type SelectEvent } from '@overfit/core';
import {
  assertShardsCover,
  getJson,
  mergeShardResults,
  parseShardRange,
  parseStageEvent,
  putJson,
  readPerformanceTable,
  runKeys,
  type ArtifactStore,
  type BestStrategyDocument,
  type StrategiesDocument,
} from '@overfit/store';

/** Either the run-level training table of an unsharded backtest, or the shards to merge into it first. */
export type SelectInput = SelectEvent;

export interface SelectOutput {
  bestStrategyKey: string;
  bestId: string;
  eligible: number;
  /** The run-level backtest files (merged from the shards when there were shards), for the stages after. */
  trainingPerformanceKey: string;
  validationPerformanceKey: string;
  blockMomentsKey: string;
}

export function parseEvent(event: unknown): SelectInput {
  const base = parseStageEvent(event, 'select');
  const { strategiesKey, trainingPerformanceKey, shards } = event as SelectEvent & {
    trainingPerformanceKey?: string;
    shards?: unknown[];
  };
  if (shards !== undefined)
    return { ...base, strategiesKey, shards: shards.map((s, i) => parseShardRange(s, `event.shards[${i}]`)) };
  if (trainingPerformanceKey === undefined)
    throw new InputError('is needed when the event has no shards to merge', 'event.trainingPerformanceKey');
  return { ...base, strategiesKey, trainingPerformanceKey };
}

export async function run(input: SelectInput, deps: { store: ArtifactStore }): Promise<SelectOutput> {
  const { selectBy, minTrades } = input.config;
  const { strategies } = await getJson<StrategiesDocument>(deps.store, input.strategiesKey);
  const runLevel = runKeys(input.runId);
  let backtested = {
    trainingPerformanceKey: runLevel.trainingPerformance,
    validationPerformanceKey: runLevel.validationPerformance,
    blockMomentsKey: runLevel.blockMoments,
  };
  if ('shards' in input) {
    assertShardsCover(input.shards, strategies.length);
    backtested = await mergeShardResults(deps.store, input.runId, input.shards);
  } else {
    backtested.trainingPerformanceKey = input.trainingPerformanceKey;
  }
  const table = await readPerformanceTable(deps.store, backtested.trainingPerformanceKey);
  const ranked = rankEligible(table, input.config);
  if (ranked.length === 0) {
    throw new InputError(
      `none of the ${table.ids.length} strategies made at least ${minTrades} trades on the training window; lower minTrades or use more data`,
      'select',
    );
  }
  const best = ranked[0];
  const strategy = strategies.find((s) => s.id === table.ids[best]);
  if (!strategy)
    throw new Error(`strategy ${table.ids[best]} is in training_performance.csv but not in ${input.strategiesKey}`);
  const field = SELECTION_METRIC_FIELDS[selectBy];
  const document: BestStrategyDocument = {
    strategy,
    selectBy,
    minTrades,
    training: Object.fromEntries(Object.entries(table.columns).map(([m, column]) => [m, column[best]])) as Metrics,
    candidates: table.ids.length,
    eligible: ranked.length,
    leaders: ranked.slice(0, 5).map((i) => ({ id: table.ids[i], value: table.columns[field][i] })),
  };
  const key = runKeys(input.runId).bestStrategy;
  await putJson(deps.store, key, document);
  return { bestStrategyKey: key, bestId: strategy.id, eligible: ranked.length, ...backtested };
}
