// Stage 1 — generate: draw the run's random strategies (seeded) and store them, and plan how the backtest
// fans out: contiguous shards of strategies, run at most `maxConcurrency` at a time (the state machine's Map).
import { generateStrategies, type GenerateEvent } from '@overfit/core';
import {
  DEFAULT_SHARD_SIZE,
  parseStageEvent,
  planShards,
  putJson,
  runKeys,
  type ArtifactStore,
  type ShardRange,
  type StrategiesDocument,
} from '@overfit/store';

export type GenerateInput = GenerateEvent;

export interface GenerateOutput {
  strategiesKey: string;
  count: number;
  shards: ShardRange[];
  maxConcurrency: number;
}

const DEFAULT_MAX_CONCURRENCY = 10;

export function parseEvent(event: unknown): GenerateInput {
  const input: GenerateInput = parseStageEvent(event, 'generate');
  const { shardSize, maxConcurrency } = event as GenerateEvent;
  if (shardSize !== undefined) input.shardSize = shardSize;
  if (maxConcurrency !== undefined) input.maxConcurrency = maxConcurrency;
  return input;
}

export async function run(input: GenerateInput, deps: { store: ArtifactStore }): Promise<GenerateOutput> {
  const { strategies: count, seed, families } = input.config;
  const shards = planShards(count, input.shardSize ?? DEFAULT_SHARD_SIZE);
  const strategies = generateStrategies({ count, seed, families });
  const key = runKeys(input.runId).strategies;
  const document: StrategiesDocument = { seed, families, count, strategies };
  await putJson(deps.store, key, document);
  return { strategiesKey: key, count, shards, maxConcurrency: input.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY };
}
