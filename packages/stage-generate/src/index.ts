// Stage 1 — generate: draw the run's random strategies (seeded) and store them, and plan how the backtest
// fans out: contiguous shards of strategies, run at most `maxConcurrency` at a time (the state machine's Map).
import { generateStrategies, InputError } from '@overfit/core';
import {
  asRecord, DEFAULT_SHARD_SIZE, parseStageEvent, planShards, putJson, runKeys,
  type ArtifactStore, type ShardRange, type StageEvent, type StrategiesDocument,
} from '@overfit/store';

export interface GenerateInput extends StageEvent {
  /** Strategies per backtest shard (default 1000). */
  shardSize?: number;
  /** Shards backtested at once under Step Functions (default 10). */
  maxConcurrency?: number;
}

export interface GenerateOutput {
  strategiesKey: string;
  count: number;
  shards: ShardRange[];
  maxConcurrency: number;
}

export const DEFAULT_MAX_CONCURRENCY = 10;

export function parseEvent(event: unknown): GenerateInput {
  const fields = asRecord(event);
  const input: GenerateInput = parseStageEvent(event);
  for (const [name, max] of [['shardSize', 1_000_000], ['maxConcurrency', 1000]] as const) {
    const value = fields[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
      throw new InputError(`must be an integer from 1 to ${max} (got ${JSON.stringify(value)})`, `event.${name}`);
    }
    input[name] = value;
  }
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
