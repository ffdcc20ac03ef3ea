// The cloud pipeline on loopback: the ASL Terraform deploys, run in-process by aws-local-stepfunctions, the
// stage handlers bound to its Task states, artifacts in s3rver over the real S3 protocol.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import aslValidator from 'asl-validator';
import { parseRunConfig, type DataRef } from '@overfit/core';
import { formatPriceCsv, syntheticMarket } from '@overfit/data';
import {
  getJson,
  LocalStore,
  readLatestRunId,
  runKeys,
  S3Store,
  shardKeys,
  type ArtifactStore,
  type RunManifest,
} from '@overfit/store';
import {
  ASL_PLACEHOLDERS,
  localFunctionArns,
  runLocalPipeline,
  runStateMachineLocally,
  stateMachineDefinition,
  stateMachineTemplate,
  StateMachineRunError,
} from '../src';
import { onS3rver, small, synthetic } from './onS3rver';

const SHARED_HOURLY = resolve(__dirname, '../../../../shared/data/btc_usd_1h.csv');
const longer: DataRef = { kind: 'synthetic', bars: 20_000, seed: 11, intervalSeconds: 3600 };

// Every run here is a whole pipeline over real HTTP: seconds each on a quiet machine, minutes on a busy one.
jest.setTimeout(600_000);

const on = onS3rver();

/** A run's tables, moments and JSON results: what the local orchestrator and the state machine write alike. */
const dataArtifacts = (keys: ReturnType<typeof runKeys>) => [
  keys.strategies,
  keys.trainingPerformance,
  keys.validationPerformance,
  keys.blockMoments,
  keys.bestStrategy,
  keys.validationResults,
];

async function readBack(key: string): Promise<Buffer> {
  const object = await on.s3.client.send(new GetObjectCommand({ Bucket: 'artifacts', Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

describe('the state machine definition', () => {
  it('has exactly the six function placeholders Terraform fills, and is valid ASL once filled', () => {
    const template = stateMachineTemplate();
    expect([...new Set(template.match(/\$\{[^}]+\}/g))].sort()).toEqual(ASL_PLACEHOLDERS.map((p) => `\${${p}}`).sort());
    const { isValid, errorsText } = aslValidator(stateMachineDefinition(localFunctionArns()) as never, {
      checkArn: true,
      checkPaths: true,
    });
    expect(errorsText()).toBe('');
    expect(isValid).toBe(true);
  });

  it('retries transient Lambda service errors (never a timeout) with backoff and routes every failure to MarkRunFailed', () => {
    const { States } = stateMachineDefinition(localFunctionArns()) as {
      States: Record<string, Record<string, unknown>>;
    };
    for (const name of ['Generate', 'Select', 'Validate', 'Visualize', 'Commit']) {
      const [retry] = States[name].Retry as { ErrorEquals: string[]; BackoffRate: number }[];
      expect(retry.ErrorEquals).toEqual([
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.TooManyRequestsException',
        'Lambda.SdkClientException',
      ]);
      expect(retry.BackoffRate).toBeGreaterThan(1);
      expect((States[name].Catch as { Next: string }[])[0].Next).toBe('MarkRunFailed');
    }
    expect(States.Backtest.Type).toBe('Map');
    expect(States.Backtest.MaxConcurrencyPath).toBe('$.generate.maxConcurrency');
    expect(States.RunFailed.Type).toBe('Fail');
  });
});

describe('runStateMachineLocally on s3rver', () => {
  it('writes byte for byte what the local orchestrator writes, with the backtest in uneven shards', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'overfit-sfn-'));
    try {
      const local = await runLocalPipeline({
        config: small,
        data: synthetic,
        store: new LocalStore(folder),
        runId: 'same-run',
      });
      const validating: number[] = [];
      const cloud = await on.runSmall({
        store: new S3Store({ bucket: 'artifacts', prefix: 'bytes', client: on.s3.client }),
        runId: 'same-run',
        shardSize: 17,
        maxConcurrency: 2,
        onProgress: (e) => e.kind === 'validate' && validating.push(e.done),
      });
      // The validate handler runs in this process and reports its steps: walk-forward's 60 strategies (no null market).
      expect(validating[validating.length - 1]).toBe(60);
      for (const key of dataArtifacts(runKeys('same-run'))) {
        expect({ key, equal: (await readBack(`bytes/${key}`)).equals(await readFile(join(folder, key))) }).toEqual({
          key,
          equal: true,
        });
      }
      expect(cloud.results).toEqual(local.results);
      // 60 = 17+17+17+9: four shards, merged by select and deleted by the commit.
      await expect(readBack(`bytes/${shardKeys('same-run', 0).trainingPerformance}`)).rejects.toMatchObject({
        name: 'NoSuchKey',
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('retries a throttled stage and completes', async () => {
    let calls = 0;
    const summary = await on.runSmall({
      shardSize: 30,
      wrapTask: (state, invoke) => async (payload) => {
        if (state === 'Select' && ++calls <= 2)
          throw Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' });
        return invoke(payload);
      },
    });
    expect(calls).toBe(3);
    expect((await getJson<RunManifest>(on.store, runKeys(summary.runId).manifest)).status).toBe('succeeded');
    expect(await readLatestRunId(on.store)).toBe(summary.runId);
  });

  it('records a stage that always fails in the manifest, and leaves latest.json on the last good run', async () => {
    const good = await on.runSmall();
    let attempts = 0;
    const failing = on.runSmall({
      runId: 'validate-fails',
      wrapTask: (state, invoke) => async (payload) => {
        if (state === 'Validate') {
          attempts++;
          throw Object.assign(new Error('disk on fire'), { name: 'Lambda.ServiceException' });
        }
        return invoke(payload);
      },
    });
    await expect(failing).rejects.toThrow(StateMachineRunError);
    await expect(failing).rejects.toThrow('run validate-fails failed: Lambda.ServiceException: disk on fire');
    expect(attempts).toBe(5); // the first try and four retries
    const manifest = await getJson<RunManifest>(on.store, runKeys('validate-fails').manifest);
    expect(manifest.status).toBe('failed');
    expect(manifest.error).toEqual({ stage: 'validate', message: 'Lambda.ServiceException: disk on fire' });
    expect(manifest.artifacts).toContain(runKeys('validate-fails').bestStrategy);
    expect(await readLatestRunId(on.store)).toBe(good.runId);
  });

  it('refuses bad input before the run exists', async () => {
    const config = parseRunConfig({ strategies: 10, families: ['sma_cross'] });
    await expect(
      runStateMachineLocally({
        config,
        data: { kind: 'synthetic', bars: 150, seed: 1, intervalSeconds: 3600 },
        store: on.store,
        runId: 'too-short',
      }),
    ).rejects.toThrow(/training window has 105 bars/);
    await expect(
      runStateMachineLocally({
        config,
        data: { kind: 'store', key: 'data/missing.csv' },
        store: on.store,
        runId: 'no-data',
      }),
    ).rejects.toThrow('s3://artifacts/data/missing.csv: no such object in the store');
    expect(await on.store.list('runs/too-short/')).toEqual([]);
    expect(await on.store.list('runs/no-data/')).toEqual([]);
  });

  it('keeps every state far below the 256 KB payload limit at 100,000 strategies in 1,000 shards', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'overfit-payload-'));
    let largest = { state: '', bytes: 0 };
    const measure = (state: string, value: unknown) => {
      const bytes = Buffer.byteLength(JSON.stringify(value));
      if (bytes > largest.bytes) largest = { state, bytes };
    };
    // Real generate and finalize; the compute stages answer with outputs of their real shape, instantly.
    const windows = { training: { start: 0, end: 14_000 }, validation: { start: 14_000, end: 20_000 } };
    const stubs: Record<string, (payload: { runId: string; shard?: { start: number; end: number } }) => unknown> = {
      BacktestShard: (p) => ({
        ...shardKeys(p.runId, 0),
        count: p.shard!.end - p.shard!.start,
        windows,
        shard: p.shard,
        durationMs: 1234,
      }),
      Select: (p) => ({
        bestStrategyKey: runKeys(p.runId).bestStrategy,
        bestId: 's012345',
        eligible: 99999,
        trainingPerformanceKey: runKeys(p.runId).trainingPerformance,
        validationPerformanceKey: runKeys(p.runId).validationPerformance,
        blockMomentsKey: runKeys(p.runId).blockMoments,
        durationMs: 1,
      }),
      Validate: (p) => ({
        validationResultsKey: runKeys(p.runId).validationResults,
        overfittingReportKey: runKeys(p.runId).overfittingReport,
        verdict: 'overfit',
        drop: 0.31,
        durationMs: 1,
      }),
      Visualize: (p) => ({
        plotKeys: [
          runKeys(p.runId).winRateHistogram,
          runKeys(p.runId).performanceComparison,
          runKeys(p.runId).equityCurve,
        ],
        durationMs: 1,
      }),
    };
    const localStore = new LocalStore(folder);
    try {
      const config = parseRunConfig({ strategies: 100_000, seed: 3 });
      await expect(
        runStateMachineLocally({
          config,
          data: longer,
          store: localStore,
          runId: 'wide',
          shardSize: 100,
          maxConcurrency: 40,
          wrapTask: (state, invoke) => async (payload) => {
            measure(state, payload);
            const result = stubs[state] ? stubs[state](payload as never) : await invoke(payload);
            measure(state, result);
            return result;
          },
        }),
      ).rejects.toThrow(
        `no artifact "${runKeys('wide').manifest.replace('manifest.json', 'results/validation_results.json')}"`,
      ); // stubs wrote none; the commit happened
      const manifest = await getJson<RunManifest>(localStore, runKeys('wide').manifest);
      expect(manifest.status).toBe('succeeded');
      expect(largest.state).toBe('Commit'); // the whole state: input, plan, every shard's summary
      expect(largest.bytes).toBeGreaterThan(30_000);
      expect(largest.bytes).toBeLessThan(128 * 1024);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('the end-to-end cloud-local run', () => {
  const real = existsSync(SHARED_HOURLY);
  // The backtest Lambda's own worker-thread script (built by npm run build, which this package's test depends on):
  // the kernel on threads, as the Lambda runs it, instead of the far slower in-thread path under jest.
  const worker = resolve(__dirname, '../../../dist/lambda/backtest/backtest-worker.cjs');
  const previousWorker = process.env.OVERFIT_BACKTEST_WORKER;
  beforeAll(() => {
    if (existsSync(worker)) process.env.OVERFIT_BACKTEST_WORKER = worker;
  });
  afterAll(() => {
    if (previousWorker === undefined) delete process.env.OVERFIT_BACKTEST_WORKER;
    else process.env.OVERFIT_BACKTEST_WORKER = previousWorker;
  });
  it(`runs 40 strategies on ${real ? 'the real hourly BTC history' : 'a synthetic hourly series (../shared/data is absent)'} in 4 shards and reads every artifact back over S3`, async () => {
    const csv = real
      ? await readFile(SHARED_HOURLY)
      : Buffer.from(formatPriceCsv(syntheticMarket({ bars: 20_000, seed: 7, intervalMs: 3_600_000 })));
    await on.s3.client.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'e2e/data/btc_usd_1h.csv', Body: csv }));
    const e2e: ArtifactStore = new S3Store({ bucket: 'artifacts', prefix: 'e2e', client: on.s3.client });
    const stages: string[] = [];
    const summary = await runStateMachineLocally({
      // No null-market repeats (tested elsewhere). 40 strategies in 4 shards: the orchestration, the shards and the
      // long real history are the point here, not the number of strategies (2,000 took 705 s at load 25; validate
      // runs in this process, under jest).
      config: parseRunConfig({ strategies: 40, seed: 42, nullMarkets: 0 }),
      data: { kind: 'store', key: 'data/btc_usd_1h.csv' },
      store: e2e,
      shardSize: 10,
      maxConcurrency: 4,
      onProgress: (e) => e.kind === 'stage' && stages.push(e.stage),
    });
    expect(stages).toEqual(['generate', 'backtest', 'select', 'validate', 'visualize']);
    const keys = runKeys(summary.runId);
    const manifest = JSON.parse((await readBack(`e2e/${keys.manifest}`)).toString()) as RunManifest;
    expect(manifest.status).toBe('succeeded');
    expect(manifest.data).toMatchObject({
      source: 'store:data/btc_usd_1h.csv',
      rows: real ? 71_214 : 20_000,
      synthetic: false,
    });
    expect(Object.keys(manifest.timings)).toEqual(['generate', 'backtest', 'select', 'validate', 'visualize']);
    expect(JSON.parse((await readBack('e2e/latest.json')).toString())).toEqual({ runId: summary.runId });
    for (const key of [
      ...dataArtifacts(keys),
      keys.overfittingReport,
      keys.winRateHistogram,
      keys.performanceComparison,
      keys.equityCurve,
    ]) {
      expect(manifest.artifacts).toContain(key);
    }
    // The four shards' intermediates were merged by select and deleted once the run was committed.
    expect(await e2e.list(`${keys.root}shards/`)).toEqual([]);
    for (const key of manifest.artifacts) {
      const bytes = await readBack(`e2e/${key}`);
      if (key.endsWith('.png')) expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      if (key.endsWith('.json')) expect(() => JSON.parse(bytes.toString())).not.toThrow();
      if (key === keys.trainingPerformance) expect(bytes.toString().trim().split('\n')).toHaveLength(41);
    }
    expect(summary.results.selection.metric).toBe('win_rate');
    expect(summary.artifacts).toEqual(manifest.artifacts);
  }, 1_200_000); // 2,000 strategies took 88 s on the shared 2-core machine under load and 705 s at load 25
});
