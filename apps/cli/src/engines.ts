// Where `overfit run` runs: the local orchestrator (default), or the state machine Terraform deploys, executed
// in-process (`--engine stepfunctions-local`), both against a folder or an S3 store (`--store s3://bucket/prefix`,
// `--s3-endpoint` for s3rver or another S3-compatible server). `--data-key` names a CSV inside the store.
import { InputError, parseDataRef, STAGE_EVENT_SCHEMAS, type DataRef, type RunConfig } from '@overfit/core';
import { cachedPriceLoader, type DataReport } from '@overfit/data';
import { DEFAULT_SHARD_SIZE, openStore } from '@overfit/store';
import { runLocalPipeline, runStateMachineLocally, type ProgressEvent, type RunSummary } from '@overfit/pipeline';
import type { Flag } from './optionTable';
import type { FlagValues } from './parseFlags';

const GENERATE = STAGE_EVENT_SCHEMAS.generate.properties;

/** --data-key, --shard-size and --max-concurrency: for `run --engine stepfunctions-local` and `cloud start`. */
export const SHARDING_FLAGS: Flag[] = [
  {
    name: 'data-key',
    type: 'string',
    value: 'KEY',
    description: 'prices from a CSV kept in the store, as the Lambdas read them (instead of --data)',
  },
  // The limits are the generate event's, read off core's schema (which checks the event again).
  {
    name: 'shard-size',
    type: 'integer',
    value: 'N',
    default: DEFAULT_SHARD_SIZE,
    min: GENERATE.shardSize.minimum,
    max: GENERATE.shardSize.maximum,
    description: 'strategies per backtest shard',
  },
  {
    name: 'max-concurrency',
    type: 'integer',
    value: 'N',
    min: GENERATE.maxConcurrency.minimum,
    max: GENERATE.maxConcurrency.maximum,
    description: 'shards backtested at once (default: the generate stage’s)',
  },
];

export const ENGINE_FLAG: Flag = {
  name: 'engine',
  type: 'choice',
  value: 'E',
  default: 'local',
  choices: ['local', 'stepfunctions-local'],
  description: 'the local orchestrator, or the deployed state machine run in-process',
};

/** --data-key data/btc.csv: prices from the store itself (how the Lambdas read them). */
export function storeDataRef(values: FlagValues): DataRef | undefined {
  const key = values.string('data-key');
  if (key === undefined) return undefined;
  if (values.has('data'))
    throw new InputError(
      'give either --data (a file here) or --data-key (an object in the store), not both',
      '--data-key',
    );
  return parseDataRef({ kind: 'store', key }, '--data-key');
}

/** A run's summary, and the report of the data it ran on (its gaps and dropped rows, for the summary's words). */
export async function runOnEngine(
  values: FlagValues,
  config: RunConfig,
  fallbackData: () => DataRef,
  onProgress: (event: ProgressEvent) => void,
): Promise<{ summary: RunSummary; report: DataReport }> {
  const engine = values.string('engine');
  // Given, not defaulted: the state machine's generate stage applies its own defaults.
  const shardSize = values.given.get('shard-size') as number | undefined;
  const maxConcurrency = values.given.get('max-concurrency') as number | undefined;
  if (engine === 'local' && (shardSize !== undefined || maxConcurrency !== undefined)) {
    throw new InputError(
      'only applies to --engine stepfunctions-local (the local engine backtests in one pass)',
      shardSize !== undefined ? '--shard-size' : '--max-concurrency',
    );
  }
  const store = openStore(values.string('store') as string, { s3Endpoint: values.string('s3-endpoint') });
  const data = storeDataRef(values) ?? fallbackData();
  const loadPrices = cachedPriceLoader(store);
  const summary =
    engine === 'local'
      ? await runLocalPipeline({ config, data, store, loadPrices, onProgress })
      : await runStateMachineLocally({ config, data, store, loadPrices, onProgress, shardSize, maxConcurrency });
  // The loader keeps what the run loaded: this reads nothing again.
  return { summary, report: (await loadPrices(data)).report };
}
