// The cloud paths of the CLI: `run --engine stepfunctions-local` through the built bundle against s3rver (the
// bundle runs in a child process; s3rver answers in this one, so the child is awaited, never spawned
// synchronously), and `cloud start|status` with Step Functions mocked at the SDK level.
import { rm } from 'node:fs/promises';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { formatPriceCsv, syntheticMarket } from '@overfit/data';
import { getJson, readLatestRunId, runKeys, S3Store, type RunManifest } from '@overfit/store';
import { startS3rver, type TestS3 } from '@overfit/testing/s3rver';
import type { SfnClientFactory } from '../src/cloudCommand';
import { dispatch } from '../src/commands';

/** `overfit cloud …args` in this process with Step Functions mocked: its output. */
const cloudCommand = async (args: string[], sfnClient: SfnClientFactory) =>
  (await dispatch(['cloud', ...args], { sfnClient })).output;
import { cliTempRoot, overfitIn } from './spawnCli';

const overfit = (args: string[], env: Record<string, string> = {}) => overfitIn(root, args, env, 480_000);

let root: string;
let s3: TestS3;
let store: S3Store;
// s3rver checks signatures against this key pair; the SDK's Node 20 deprecation notice would otherwise fill stderr.
const credentials = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
beforeAll(async () => {
  root = await cliTempRoot('overfit-cli-cloud-');
  s3 = await startS3rver(['lab']);
  store = new S3Store({ bucket: 'lab', prefix: 'cli', client: s3.client });
  await store.put('data/prices.csv', formatPriceCsv(syntheticMarket({ bars: 3000, seed: 3 })));
});
afterAll(async () => {
  await s3.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('overfit run --engine stepfunctions-local', () => {
  it('runs the state machine against an S3 store, with prices read from the bucket', async () => {
    const { code, stdout, stderr } = await overfit(
      [
        'run',
        '--engine',
        'stepfunctions-local',
        '--store',
        's3://lab/cli',
        '--s3-endpoint',
        s3.endpoint,
        '--data-key',
        'data/prices.csv',
        '--strategies',
        '40',
        '--shard-size',
        '15',
        '--null-markets',
        '0',
        '--json',
      ],
      credentials,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.runFolder).toBe(`s3://lab/cli/runs/${summary.runId}`);
    expect(summary.data).toMatchObject({ source: 'store:data/prices.csv', rows: 3000 });
    expect(await readLatestRunId(store)).toBe(summary.runId);
    const manifest = await getJson<RunManifest>(store, runKeys(summary.runId).manifest);
    expect(manifest.status).toBe('succeeded');
    expect(summary.artifacts).toEqual(manifest.artifacts.map((key) => `s3://lab/cli/${key}`));
    // 40 in shards of 15: three shards, merged by select and deleted once the run was committed.
    expect(await store.list(`runs/${summary.runId}/shards/`)).toEqual([]);
  }, 600_000);

  it('names the flag of a bad engine, store or shard size (exit 2, nothing written)', async () => {
    expect(await overfit(['run', '--engine', 'lambda'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--engine: must be one of local, stepfunctions-local (got "lambda")'),
    });
    expect(await overfit(['run', '--store', 's3://No_Such'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--store: "No_Such" is not an S3 bucket name'),
    });
    expect(await overfit(['run', '--shard-size', '100'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--shard-size: only applies to --engine stepfunctions-local'),
    });
    expect(await overfit(['run', '--data', 'x.csv', '--data-key', 'data/x.csv'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--data-key: give either --data'),
    });
  });
});

describe('overfit cloud', () => {
  const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:overfit';
  const sfn = mockClient(SFNClient);
  beforeEach(() => sfn.reset());
  const client = () => new SFNClient({ region: 'us-east-1' });

  it('starts a run and waits for it, printing the final status', async () => {
    sfn.on(StartExecutionCommand).callsFake((input) => ({
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:overfit:${input.name}`,
    }));
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING', startDate: new Date('2026-11-24T10:00:00Z') })
      .resolves({
        status: 'SUCCEEDED',
        startDate: new Date('2026-11-24T10:00:00Z'),
        stopDate: new Date('2026-11-24T10:03:00Z'),
        output: '{"verdict":"overfit"}',
      });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const out = await cloudCommand(
        [
          'start',
          '--state-machine-arn',
          MACHINE,
          '--strategies',
          '5000',
          '--data-key',
          'data/btc.csv',
          '--shard-size',
          '1250',
          '--wait',
          '--poll-seconds',
          '0',
        ],
        client,
      );
      expect(out).toMatch(
        /: SUCCEEDED\n {2}execution arn:aws:states:us-east-1:123456789012:execution:overfit:\d{8}T\d{6}Z-[0-9a-f]{6}\n/,
      );
      expect(out).toContain('output {"verdict":"overfit"}');
    } finally {
      stderr.mockRestore();
    }
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0].args[0].input.input!);
    expect(input).toMatchObject({
      config: { strategies: 5000 },
      data: { kind: 'store', key: 'data/btc.csv' },
      shardSize: 1250,
    });
  });

  it('fails with the execution error when the run fails', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE.replace('stateMachine', 'execution')}:r` });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED', error: 'Lambda.ServiceException', cause: 'boom' });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    await expect(
      cloudCommand(['start', '--state-machine-arn', MACHINE, '--wait', '--poll-seconds', '0', '--json'], client),
    ).rejects.toThrow(/FAILED: Lambda.ServiceException: boom/);
  });

  it('shows the status of an execution, and names what is wrong with the arguments', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', startDate: new Date('2026-11-24T10:00:00Z') });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 3, type: 'MapStateEntered', timestamp: new Date(), stateEnteredEventDetails: { name: 'Backtest' } },
      ],
    });
    const status = JSON.parse(
      await cloudCommand(['status', 'arn:aws:states:us-east-1:123456789012:execution:overfit:run-9', '--json'], client),
    );
    expect(status).toMatchObject({ runId: 'run-9', state: 'running', currentState: 'Backtest' });
    await expect(cloudCommand(['status', 'run-9'], client)).rejects.toThrow('cloud status: needs an execution ARN');
    await expect(cloudCommand(['start'], client)).rejects.toThrow('--state-machine-arn: needs the ARN');
    await expect(cloudCommand(['stop'], client)).rejects.toThrow('cloud: unknown cloud command "stop"');
  });
});
