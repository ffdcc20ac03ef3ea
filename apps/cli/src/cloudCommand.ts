// overfit cloud start|status: runs on AWS, through the deployed state machine (see @overfit/pipeline cloudRuns).
// `start` takes the run flags of `overfit run` that make sense remotely; the Lambdas read prices from the bucket
// (--data-key data/btc_usd_1h.csv) or draw the synthetic market when no key is given.
import { DEFAULT_SYNTHETIC, InputError, type DataRef } from '@overfit/core';
import {
  type createSfnClient,
  describeCloudRun,
  startCloudRun,
  waitForCloudRun,
  type CloudRunStatus,
} from '@overfit/pipeline';
import { SHARDING_FLAGS, storeDataRef } from './engines';
import { runConfigFromFlags } from './flags';
import { JSON_FLAG, RUN_CONFIG_FLAGS, type CommandSpec, type Flag } from './optionTable';
import type { FlagValues } from './parseFlags';

const REGION_FLAG: Flag = {
  name: 'region',
  type: 'string',
  value: 'R',
  description: 'AWS region (default: the usual AWS configuration; for status, the ARN’s)',
};

// The run flags of `overfit run` that make sense remotely: the Lambdas read prices from the bucket or draw them.
export const CLOUD_START_SPEC: CommandSpec = {
  name: 'cloud start',
  summary: 'start a run on AWS through the deployed state machine',
  flags: [
    {
      name: 'state-machine-arn',
      type: 'string',
      value: 'ARN',
      description: 'the deployed state machine (or STATE_MACHINE_ARN; terraform output state_machine_arn)',
    },
    ...Object.values(RUN_CONFIG_FLAGS),
    ...SHARDING_FLAGS,
    REGION_FLAG,
    { name: 'wait', type: 'boolean', description: 'wait for the run to end, printing each state it enters' },
    {
      name: 'poll-seconds',
      type: 'number',
      value: 'S',
      default: 5,
      min: 0,
      max: 3600,
      description: 'seconds between status checks with --wait',
    },
    JSON_FLAG,
  ],
};

export const CLOUD_STATUS_SPEC: CommandSpec = {
  name: 'cloud status',
  summary: 'status, current state, error or output of a run on AWS',
  positionals: [{ name: 'EXECUTION_ARN', description: 'the execution `cloud start` printed' }],
  flags: [REGION_FLAG, JSON_FLAG],
};

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

export async function cloudStartCommand(values: FlagValues, clientFor: SfnClientFactory): Promise<string> {
  const arn = values.string('state-machine-arn') ?? process.env.STATE_MACHINE_ARN;
  if (!arn)
    throw new InputError(
      'needs the ARN of the deployed state machine (or STATE_MACHINE_ARN; terraform output state_machine_arn)',
      '--state-machine-arn',
    );
  const config = runConfigFromFlags(values.given);
  const data: DataRef = storeDataRef(values) ?? ({ ...DEFAULT_SYNTHETIC, seed: config.seed } as DataRef);
  const client = clientFor(values.string('region'));
  const started = await startCloudRun(client, arn, {
    config,
    data,
    shardSize: values.given.get('shard-size') as number | undefined,
    maxConcurrency: values.given.get('max-concurrency') as number | undefined,
  });
  const json = values.boolean('json');
  if (!values.boolean('wait'))
    return json
      ? JSON.stringify(started, null, 2)
      : `started run ${started.runId}\n  execution ${started.executionArn}\n  follow it: overfit cloud status ${started.executionArn}`;
  let last = '';
  const final = await waitForCloudRun(client, started.executionArn, {
    intervalMs: (values.number('poll-seconds') as number) * 1000,
    onStatus: (s) => {
      const line = `${s.status} ${s.currentState ?? ''}`.trim();
      if (line !== last && !json) process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      last = line;
    },
  });
  if (final.state === 'failed')
    throw new Error(`run ${final.runId} ${final.status}: ${final.error ?? 'no error given'}`);
  return json ? JSON.stringify(final, null, 2) : describeStatus(final);
}

export async function cloudStatusCommand(
  values: FlagValues,
  positionals: string[],
  clientFor: SfnClientFactory,
): Promise<string> {
  const executionArn = positionals[0];
  if (!executionArn || !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(executionArn)) {
    throw new InputError(
      `needs an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:MACHINE:RUN_ID; got ${JSON.stringify(executionArn ?? '')})`,
      'cloud status',
    );
  }
  const status = await describeCloudRun(clientFor(values.string('region') ?? executionArn.split(':')[3]), executionArn);
  if (!status) throw new InputError('no such execution', executionArn);
  return values.boolean('json') ? JSON.stringify(status, null, 2) : describeStatus(status);
}
