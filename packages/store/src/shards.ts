// Sharding the backtest: the strategies of a run are cut into contiguous index ranges, each backtested on its
// own (one Lambda each under the state machine's Map), and the shard results are merged back into the run-level
// files byte for byte as one unsharded backtest would have written them. The merge streams: it holds one
// shard's object at a time, so 100,000 strategies never need the whole table or moments matrix in memory.
import { InputError } from '@overfit/core';
import { type ArtifactStore, contentTypeOf } from './artifactStore';
import { concatBlockMoments } from './blockMoments';
import { concatPerformanceTables } from './performanceTable';
import { asRecord } from './stageEvent';
import { runKeys } from './runLayout';

/** Strategies [start, end) of the run's strategies.json, the index-th shard. */
export interface ShardRange {
  index: number;
  start: number;
  end: number;
}

/**
 * At most this many shards: Step Functions' inline Map runs them as iterations of one execution, whose history
 * is capped at 25,000 events (about 8 per iteration) and whose state output at 256 KB.
 */
export const MAX_SHARDS = 1000;
export const DEFAULT_SHARD_SIZE = 1000;

export function planShards(count: number, shardSize: number): ShardRange[] {
  const shards = Math.ceil(count / shardSize);
  if (shards > MAX_SHARDS) {
    throw new InputError(
      `${count} strategies in shards of ${shardSize} make ${shards} shards; at most ${MAX_SHARDS} (use a shard size of at least ${Math.ceil(count / MAX_SHARDS)})`,
      'shardSize',
    );
  }
  return Array.from({ length: shards }, (_, index) => ({
    index,
    start: index * shardSize,
    end: Math.min(count, (index + 1) * shardSize),
  }));
}

export function parseShardRange(value: unknown, where: string): ShardRange {
  const fields = asRecord(value, where);
  const int = (name: keyof ShardRange, min: number) => {
    const v = fields[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      throw new InputError(`must be an integer ≥ ${min} (got ${JSON.stringify(v)})`, `${where}.${name}`);
    return v;
  };
  const shard = { index: int('index', 0), start: int('start', 0), end: int('end', 1) };
  if (shard.end <= shard.start)
    throw new InputError(`is empty: end ${shard.end} must be greater than start ${shard.start}`, where);
  return shard;
}

/** The shards must tile 0 … count−1 in order, or the merged files would not be the run's. */
export function assertShardsCover(shards: readonly ShardRange[], count: number, where = 'event.shards'): void {
  let next = 0;
  shards.forEach((shard, i) => {
    if (shard.index !== i || shard.start !== next)
      throw new InputError(`shard ${i} is ${JSON.stringify(shard)}; expected index ${i} starting at ${next}`, where);
    next = shard.end;
  });
  if (next !== count) throw new InputError(`cover strategies 0 to ${next - 1}, but the run has ${count}`, where);
}

export function shardKeys(runId: string, index: number) {
  const folder = `${runKeys(runId).root}shards/${String(index).padStart(4, '0')}`;
  return {
    trainingPerformance: `${folder}/training_performance.csv`,
    validationPerformance: `${folder}/validation_performance.csv`,
    blockMoments: `${folder}/block_moments.bin`,
  };
}

/** Merge the shards' three files into the run-level ones; returns the run-level keys. */
export async function mergeShardResults(store: ArtifactStore, runId: string, shards: readonly ShardRange[]) {
  const keys = runKeys(runId);
  const parts = shards.map((s) => shardKeys(runId, s.index));
  // Each run-level file is its shards' files in shard order, streamed.
  const concat = {
    trainingPerformance: concatPerformanceTables,
    validationPerformance: concatPerformanceTables,
    blockMoments: concatBlockMoments,
  };
  for (const file of ['trainingPerformance', 'validationPerformance', 'blockMoments'] as const) {
    const merged = concat[file](
      store,
      parts.map((p) => p[file]),
    );
    await store.put(keys[file], merged, contentTypeOf(keys[file]));
  }
  return {
    trainingPerformanceKey: keys.trainingPerformance,
    validationPerformanceKey: keys.validationPerformance,
    blockMomentsKey: keys.blockMoments,
  };
}
