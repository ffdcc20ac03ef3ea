// Faults injected into the state machine Terraform deploys, run by aws-local-stepfunctions on s3rver: what a run
// leaves behind when a task times out, a Lambda answers late, S3 dies mid-run, or the failure handler fails too.
// The commit protocol under test: a run committed as succeeded is never overwritten by a failure, latest.json only
// ever names a succeeded manifest, and a run that fails still gets a manifest saying where and why.
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { parseRunConfig } from '@overfit/core';
import { createHandler } from '@overfit/lambda';
import {
  getJson,
  LocalStore,
  putJson,
  readLatestRunId,
  runKeys,
  s3ClientConfig,
  S3Store,
  shardKeys,
  type RunManifest,
} from '@overfit/store';
import { S3RVER_CREDENTIALS, startS3rver } from '@overfit/testing/s3rver';
import { memoryStore } from '@overfit/testing/stores';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finalizeStage, localFunctionArns, stateMachineDefinition, StateMachineRunError } from '../src';
import { onS3rver } from './onS3rver';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

// Whole pipelines over real HTTP: seconds each on a quiet machine, far more on a loaded one.
jest.setTimeout(120_000);

const on = onS3rver();

describe('the commit protocol', () => {
  it('a Commit that writes the run and then times out leaves the run committed: manifest succeeded, latest.json on it', async () => {
    const run = await on.runSmall({
      runId: 'commit-then-timeout',
      wrapTask: (state, invoke) => async (payload) => {
        if (state !== 'Commit') return invoke(payload);
        await invoke(payload);
        throw named('Sandbox.Timedout', 'Task timed out after 120.00 seconds');
      },
    });
    // MarkRunFailed found the committed success and left it; the execution ends in RunCommitted.
    expect(run.runId).toBe('commit-then-timeout');
    const manifest = await getJson<RunManifest>(on.store, runKeys('commit-then-timeout').manifest);
    expect(manifest.status).toBe('succeeded');
    expect(manifest.error).toBeUndefined();
    expect(await readLatestRunId(on.store)).toBe('commit-then-timeout');
  });

  it('a failure before the commit never moves latest.json, and the failed manifest names the stage', async () => {
    const good = await on.runSmall();
    await expect(
      on.runSmall({
        runId: 'visualize-fails',
        wrapTask: (state, invoke) => async (payload) => {
          if (state === 'Visualize') throw named('Error', 'canvas gone');
          return invoke(payload);
        },
      }),
    ).rejects.toThrow('run visualize-fails failed: Error: canvas gone');
    const manifest = await getJson<RunManifest>(on.store, runKeys('visualize-fails').manifest);
    expect(manifest.status).toBe('failed');
    expect(manifest.error).toEqual({ stage: 'visualize', message: 'Error: canvas gone' });
    expect(await readLatestRunId(on.store)).toBe(good.runId);
  });

  it("when MarkRunFailed itself keeps failing, the run fails with the original error, not the handler's", async () => {
    let markAttempts = 0;
    const failing = on.runSmall({
      runId: 'mark-fails-too',
      wrapTask: (state, invoke) => async (payload) => {
        if (state === 'Select') throw named('Lambda.Unknown', 'out of memory');
        if (state === 'MarkRunFailed') {
          markAttempts++;
          throw named('Lambda.ServiceException', 'finalize unavailable');
        }
        return invoke(payload);
      },
    });
    await expect(failing).rejects.toThrow('run mark-fails-too failed: Lambda.Unknown: out of memory');
    expect(markAttempts).toBe(7); // MarkRunFailed retries every error: the first try and six retries
    expect(await on.store.exists(runKeys('mark-fails-too').manifest)).toBe(false); // EventBridge → finalize records it (below)
  });

  it("deletes the backtest shards' intermediates once the run is committed, and only then", async () => {
    const run = await on.runSmall({
      runId: 'shards-cleaned',
      shardSize: 20,
    });
    expect(await on.store.list(`${runKeys(run.runId).root}shards/`)).toEqual([]);
    await expect(
      on.runSmall({
        runId: 'shards-kept',
        shardSize: 20,
        wrapTask: (state, invoke) => async (payload) => {
          if (state === 'Validate') throw named('Error', 'statistics failed');
          return invoke(payload);
        },
      }),
    ).rejects.toThrow(StateMachineRunError);
    // A failed run keeps them: they are what a person debugging it reads.
    expect(await on.store.list(`${runKeys('shards-kept').root}shards/`)).toEqual(
      [0, 1, 2].flatMap((i) => Object.values(shardKeys('shards-kept', i))).sort(),
    );
  });
});

describe('an execution that ends outside the state machine (EventBridge → finalize)', () => {
  let folder: string;
  let local: LocalStore;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'overfit-events-'));
    local = new LocalStore(folder);
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));
  const finalize = () =>
    createHandler(finalizeStage, {
      deps: () => ({
        store: local,
        loadPrices: async () => {
          throw new Error('no data here');
        },
      }),
      logLevel: 'SILENT',
    });
  const statusChange = (status: string, runId: string, extra: Record<string, unknown> = {}) => ({
    version: '0',
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: `arn:aws:states:eu-west-1:123456789012:execution:overfitting-lab-production-pipeline:${runId}`,
      name: runId,
      status,
      startDate: Date.parse('2026-12-06T10:00:00Z'),
      stopDate: Date.parse('2026-12-06T22:00:00Z'),
      input: JSON.stringify({ runId, config: { strategies: 500 }, data: { kind: 'store', key: 'data/btc.csv' } }),
      ...extra,
    },
  });

  it.each([
    ['TIMED_OUT', 'TIMED_OUT: the execution timed out'],
    ['ABORTED', 'ABORTED: the execution was aborted'],
  ])('%s writes a failed manifest for a run that has none', async (status, message) => {
    const result = await finalize()(statusChange(status, 'ended-early'));
    expect(result).toMatchObject({
      runId: 'ended-early',
      status: 'failed',
      manifestKey: runKeys('ended-early').manifest,
    });
    const manifest = await getJson<RunManifest>(local, runKeys('ended-early').manifest);
    expect(manifest).toMatchObject({
      status: 'failed',
      createdAt: '2026-12-06T10:00:00.000Z',
      error: { stage: 'execution', message },
    });
    expect(await readLatestRunId(local)).toBeNull();
  });

  it('a FAILED event keeps the manifest MarkRunFailed already wrote, and never touches a committed success', async () => {
    const recorded = {
      runId: 'r-failed',
      status: 'failed',
      error: { stage: 'select', message: 'Lambda.Unknown: out of memory' },
    };
    await putJson(local, runKeys('r-failed').manifest, recorded);
    await finalize()(statusChange('FAILED', 'r-failed', { error: 'Lambda.Unknown', cause: 'out of memory' }));
    expect(await getJson(local, runKeys('r-failed').manifest)).toEqual(recorded);

    const committed = { runId: 'r-ok', status: 'succeeded', summary: { verdict: 'overfit' } };
    await putJson(local, runKeys('r-ok').manifest, committed);
    await putJson(local, 'latest.json', { runId: 'r-ok' });
    expect(await finalize()(statusChange('TIMED_OUT', 'r-ok'))).toMatchObject({
      status: 'succeeded',
      verdict: 'overfit',
    });
    expect(await getJson(local, runKeys('r-ok').manifest)).toEqual(committed);
    expect(await readLatestRunId(local)).toBe('r-ok');
  });

  it("a FAILED event for a run MarkRunFailed could not record writes it, with the execution's error", async () => {
    await finalize()(statusChange('FAILED', 'unrecorded', { error: 'Lambda.Unknown', cause: 'out of memory' }));
    expect((await getJson<RunManifest>(local, runKeys('unrecorded').manifest)).error).toEqual({
      stage: 'execution',
      message: 'FAILED: the execution failed; Lambda.Unknown; out of memory',
    });
  });

  it('refuses an event of another kind, naming the field', async () => {
    await expect(finalize()(statusChange('SUCCEEDED', 'r1'))).rejects.toThrow(
      'event.detail.status: must be FAILED, TIMED_OUT or ABORTED (got "SUCCEEDED")',
    );
  });
});

describe('retries and limits', () => {
  it('retries Lambda.AWSLambdaException, and never retries a task that timed out', async () => {
    let selectCalls = 0;
    const run = await on.runSmall({
      wrapTask: (state, invoke) => async (payload) => {
        if (state === 'Select' && ++selectCalls <= 2) throw named('Lambda.AWSLambdaException', 'Internal error');
        return invoke(payload);
      },
    });
    expect(selectCalls).toBe(3);
    expect((await getJson<RunManifest>(on.store, runKeys(run.runId).manifest)).status).toBe('succeeded');

    let shardCalls = 0;
    await expect(
      on.runSmall({
        runId: 'shard-timed-out',
        shardSize: 60,
        wrapTask: (state, invoke) => async (payload) => {
          if (state === 'BacktestShard') {
            shardCalls++;
            throw named('States.Timeout', 'the task timed out');
          }
          return invoke(payload);
        },
      }),
    ).rejects.toThrow('run shard-timed-out failed: States.Timeout');
    expect(shardCalls).toBe(1);
    expect((await getJson<RunManifest>(on.store, runKeys('shard-timed-out').manifest)).error?.stage).toBe('backtest');
  });

  it('runs at most 40 backtest shards at a time, whatever the input asks for', async () => {
    let running = 0;
    let started = 0;
    let most = 0;
    let fortyStarted!: () => void;
    const forty = new Promise<void>((done) => (fortyStarted = done));
    const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
    await on.runSmall({
      // 44 shards of one strategy: four more than the cap, and few strategies for the stages after the Map. The cap is
      // the Map's, not the store's: a store in memory spares 44 shards' writes and reads over HTTP.
      store: await memoryStore(),
      config: parseRunConfig({ strategies: 44, seed: 5, nullMarkets: 0 }),
      shardSize: 1,
      maxConcurrency: 200,
      wrapTask: (state, invoke) => async (payload) => {
        if (state !== 'BacktestShard') return invoke(payload);
        most = Math.max(most, ++running);
        if (++started === 40) fortyStarted();
        try {
          // Hold the first shards until 40 have started (so the Map's own limit is what bounds them), then a moment
          // more, in which a Map without the cap would start the other 4 of the 44.
          await Promise.race([forty, sleep(20_000)]);
          await sleep(100);
          return await invoke(payload);
        } finally {
          running--;
        }
      },
    });
    expect(started).toBe(44);
    expect(most).toBe(40);
  });

  it("gives every task more time than its Lambda has, so the Lambda's own timeout error is the one reported", () => {
    // The Lambda timeouts of infrastructure/terraform/main.tf; Terraform checks the same margin on every plan.
    const lambdaTimeouts: Record<string, number> = {
      generate: 120,
      backtest: 900,
      select: 300,
      validate: 900,
      visualize: 300,
      finalize: 120,
    };
    type State = { Type: string; Parameters: { FunctionName: string }; TimeoutSeconds: number };
    type States = Record<string, State> & { Backtest: { ItemProcessor: { States: Record<string, State> } } };
    const { States } = stateMachineDefinition(localFunctionArns()) as unknown as { States: States };
    const tasks: Record<string, State> = { ...States, ...States.Backtest.ItemProcessor.States };
    const margins = Object.entries(tasks)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name, state]) => {
        const fn = /function:overfit-(\w+)$/.exec(state.Parameters.FunctionName)![1];
        return [name, state.TimeoutSeconds - lambdaTimeouts[fn]];
      });
    expect(Object.fromEntries(margins)).toEqual({
      Generate: 60,
      BacktestShard: 60,
      Select: 60,
      Validate: 60,
      Visualize: 60,
      Commit: 60,
      MarkRunFailed: 60,
    });
  });
});

describe('S3 failing mid-run', () => {
  it('names the stage and the key, and the run still gets its failed manifest once S3 is back', async () => {
    const first = await startS3rver(['artifacts']);
    const port = Number(new URL(first.endpoint).port);
    // Its own client (first.stop() destroys the helper's), short timeouts so a dead server fails fast.
    const client = new S3Client({
      ...s3ClientConfig('us-east-1', first.endpoint, { connectionTimeoutMs: 500, requestIdleTimeoutMs: 2000 }),
      credentials: S3RVER_CREDENTIALS,
    });
    const flaky = new S3Store({ bucket: 'artifacts', client });
    let revived: S3rver | undefined;
    try {
      const good = await on.runSmall({ store: flaky });
      let markAttempts = 0;
      const run = on.runSmall({
        store: flaky,
        runId: 's3-gone',
        wrapTask: (state, invoke) => async (payload) => {
          if (state === 'Validate') await first.stop();
          if (state === 'MarkRunFailed' && ++markAttempts === 2) {
            // S3 answers again before the first retry, on the same address, with the same files.
            revived = new S3rver({
              address: '127.0.0.1',
              port,
              silent: true,
              directory: first.directory,
              configureBuckets: [{ name: 'artifacts' }],
            });
            await revived.run();
          }
          return invoke(payload);
        },
      });
      await expect(run).rejects.toThrow(
        /^run s3-gone failed: S3RequestError: validate stage: S3 (GET|HEAD|LIST) s3:\/\/artifacts\/runs\/s3-gone\/\S+: .*ECONNREFUSED/,
      );
      expect(markAttempts).toBe(2);
      const manifest = await getJson<RunManifest>(flaky, runKeys('s3-gone').manifest);
      expect(manifest.status).toBe('failed');
      expect(manifest.error?.stage).toBe('validate');
      expect(manifest.error?.message).toMatch(
        /^S3RequestError: validate stage: S3 \w+ s3:\/\/artifacts\/runs\/s3-gone\//,
      );
      expect(await readLatestRunId(flaky)).toBe(good.runId);
    } finally {
      client.destroy();
      revived?.httpServer?.closeAllConnections();
      await revived?.close();
      await first.dispose();
    }
  });
});
