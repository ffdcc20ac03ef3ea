// Where `overfit run` runs: the local orchestrator (default), or the state machine Terraform deploys, executed
// in-process (`--engine stepfunctions-local`), both against a folder or an S3 store (`--store s3://bucket/prefix`,
// `--s3-endpoint` for s3rver or another S3-compatible server). `--data-key` names a CSV inside the store.
import { InputError, parseDataRef, type DataRef, type RunConfig } from '@overfit/core';
import { cachedPriceLoader } from '@overfit/data';
import { openStore } from '@overfit/store';
import { runLocalPipeline, runStateMachineLocally, type ProgressEvent, type RunSummary } from '@overfit/pipeline';
import { integerFlag } from './flags';

const ENGINES = ['local', 'stepfunctions-local'] as const;

type Values = Record<string, string | boolean | undefined>;

/** --data-key data/btc.csv: prices from the store itself (how the Lambdas read them). */
export function storeDataRef(values: Values): DataRef | undefined {
  const key = values['data-key'] as string | undefined;
  if (key === undefined) return undefined;
  if (values.data !== undefined)
    throw new InputError(
      'give either --data (a file here) or --data-key (an object in the store), not both',
      '--data-key',
    );
  return parseDataRef({ kind: 'store', key }, '--data-key');
}

export async function runOnEngine(
  values: Values,
  config: RunConfig,
  fallbackData: () => DataRef,
  onProgress: (event: ProgressEvent) => void,
): Promise<RunSummary> {
  const engine = (values.engine as string | undefined) ?? 'local';
  if (!(ENGINES as readonly string[]).includes(engine))
    throw new InputError(`must be one of ${ENGINES.join(', ')} (got ${JSON.stringify(engine)})`, '--engine');
  const shardSize = integerFlag(values['shard-size'] as string | undefined, '--shard-size', 1, 1_000_000);
  const maxConcurrency = integerFlag(values['max-concurrency'] as string | undefined, '--max-concurrency', 1, 1000);
  if (engine === 'local' && (shardSize !== undefined || maxConcurrency !== undefined)) {
    throw new InputError(
      'only applies to --engine stepfunctions-local (the local engine backtests in one pass)',
      shardSize !== undefined ? '--shard-size' : '--max-concurrency',
    );
  }
  const store = openStore(values.store as string, { s3Endpoint: values['s3-endpoint'] as string | undefined });
  const data = storeDataRef(values) ?? fallbackData();
  const loadPrices = cachedPriceLoader(store);
  if (engine === 'local') return runLocalPipeline({ config, data, store, loadPrices, onProgress });
  return runStateMachineLocally({ config, data, store, loadPrices, onProgress, shardSize, maxConcurrency });
}
