// overfit cloud start|status: runs on AWS, through the deployed state machine (see @overfit/pipeline cloudRuns).
// `start` takes the run flags of `overfit run` that make sense remotely; the Lambdas read prices from the bucket
// (--data-key data/btc_usd_1h.csv) or draw the synthetic market when no key is given.
import { DEFAULT_SYNTHETIC, InputError, type DataRef } from '@overfit/core';
import {
  createSfnClient,
  describeCloudRun,
  startCloudRun,
  waitForCloudRun,
  type CloudRunStatus,
} from '@overfit/pipeline';
import { storeDataRef } from './engines';
import { integerFlag, numberFlag, parse, RUN_OPTIONS, runConfigFromFlags } from './flags';

const {
  data: _file,
  format: _format,
  lenient: _lenient,
  resample: _resample,
  store: _store,
  engine: _engine,
  's3-endpoint': _endpoint,
  ...REMOTE_RUN_OPTIONS
} = RUN_OPTIONS;

const START_OPTIONS = {
  ...REMOTE_RUN_OPTIONS,
  'state-machine-arn': { type: 'string' },
  region: { type: 'string' },
  wait: { type: 'boolean', default: false },
  'poll-seconds': { type: 'string' },
} as const;

/** The client is injectable so tests can mock Step Functions; AWS credentials come from the usual chain. */
export type SfnClientFactory = typeof createSfnClient;

function describeStatus(s: CloudRunStatus): string {
  const where = s.state === 'running' ? ` — in ${s.currentState ?? 'the queue'}` : '';
  const lines = [
    `${s.runId}: ${s.status}${where}`,
    `  execution ${s.executionArn}`,
    `  started ${s.startedAt ?? '—'}${s.stoppedAt ? `, stopped ${s.stoppedAt}` : ''}`,
  ];
  if (s.error) lines.push(`  error ${s.error}`);
  if (s.output) lines.push(`  output ${JSON.stringify(s.output)}`);
  return lines.join('\n');
}

export async function cloudCommand(args: string[], clientFor: SfnClientFactory = createSfnClient): Promise<string> {
  const [sub, ...rest] = args;
  if (sub === 'start') {
    const { values } = parse(rest, START_OPTIONS, 0);
    const arn = values['state-machine-arn'] ?? process.env.STATE_MACHINE_ARN;
    if (!arn)
      throw new InputError(
        'needs the ARN of the deployed state machine (or STATE_MACHINE_ARN; terraform output state_machine_arn)',
        '--state-machine-arn',
      );
    const config = runConfigFromFlags(values);
    const data: DataRef = storeDataRef(values) ?? ({ ...DEFAULT_SYNTHETIC, seed: config.seed } as DataRef);
    const integer = (flag: 'shard-size' | 'max-concurrency', max: number) =>
      integerFlag(values[flag], `--${flag}`, 1, max);
    const client = clientFor(values.region);
    const started = await startCloudRun(client, arn, {
      config,
      data,
      shardSize: integer('shard-size', 1_000_000),
      maxConcurrency: integer('max-concurrency', 1000),
    });
    if (!values.wait)
      return values.json
        ? JSON.stringify(started, null, 2)
        : `started run ${started.runId}\n  execution ${started.executionArn}\n  follow it: overfit cloud status ${started.executionArn}`;
    let last = '';
    const final = await waitForCloudRun(client, started.executionArn, {
      intervalMs: (numberFlag(values['poll-seconds'], '--poll-seconds') ?? 5) * 1000,
      onStatus: (s) => {
        const line = `${s.status} ${s.currentState ?? ''}`.trim();
        if (line !== last && !values.json) process.stderr.write(`${new Date().toISOString()} ${line}\n`);
        last = line;
      },
    });
    if (final.state === 'failed')
      throw new Error(`run ${final.runId} ${final.status}: ${final.error ?? 'no error given'}`);
    return values.json ? JSON.stringify(final, null, 2) : describeStatus(final);
  }
  if (sub === 'status') {
    const { values, positionals } = parse(
      rest,
      { region: { type: 'string' }, json: { type: 'boolean', default: false } },
      1,
    );
    const executionArn = positionals[0];
    if (!executionArn || !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(executionArn)) {
      throw new InputError(
        `needs an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:MACHINE:RUN_ID; got ${JSON.stringify(executionArn ?? '')})`,
        'cloud status',
      );
    }
    const status = await describeCloudRun(clientFor(values.region ?? executionArn.split(':')[3]), executionArn);
    if (!status) throw new InputError('no such execution', executionArn);
    return values.json ? JSON.stringify(status, null, 2) : describeStatus(status);
  }
  throw new InputError(`unknown cloud command ${JSON.stringify(sub ?? '')} (known: start, status)`, 'cloud');
}
