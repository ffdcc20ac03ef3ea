import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { formatPriceCsv, syntheticMarket } from '@overfit/data';
import { getJson, LocalStore, readLatestRunId, type RunManifest, type ValidationResults } from '@overfit/store';
import { InProcessLauncher } from '../src/inProcessLauncher';
import { LauncherBusyError, StepFunctionsLauncher, type RunProgress } from '../src/runLauncher';
import { quickConfig, SMALL_MARKET } from './fixtures';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:overfitting-pipeline';
const config = quickConfig({ strategies: 40, families: ['sma_cross', 'coin_flip'] });
// Each test runs the real pipeline once or twice: seconds on a quiet machine, far more on a busy one.
jest.setTimeout(300_000);
// The bundled worker (dist/, built by test/globalSetup.cjs), as the server uses it.
const script = join(__dirname, '..', 'dist', 'pipeline-worker.cjs');

/** Each test of the enclosing describe gets a fresh temporary folder in `dir`, removed after it. */
let dir: string;
function eachInTempDir(prefix: string): void {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
}

describe('InProcessLauncher', () => {
  let store: LocalStore;
  eachInTempDir('launcher-test-');
  beforeEach(() => {
    store = new LocalStore(dir);
  });

  test('runs one at a time, in order, reporting stage and backtest progress, and commits each run', async () => {
    const finished: RunProgress[] = [];
    const launcher = new InProcessLauncher(store, { onFinished: (p) => finished.push({ ...p }) });
    const first = await launcher.start({ config, data: SMALL_MARKET });
    const second = await launcher.start({ config: { ...config, seed: 7 }, data: SMALL_MARKET });
    expect((await launcher.status(first.runId))?.state).toBe('running');
    expect((await launcher.status(second.runId))?.state).toBe('queued');
    expect(launcher.inFlight().map((job) => [job.runId, job.state, job.request.config.seed])).toEqual([
      [first.runId, 'running', 42],
      [second.runId, 'queued', 7],
    ]);
    while (finished.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    await launcher.close();

    expect(finished.map((p) => [p.runId, p.state])).toEqual([
      [first.runId, 'succeeded'],
      [second.runId, 'succeeded'],
    ]);
    expect(launcher.inFlight()).toEqual([]);
    const status = await launcher.status(second.runId);
    expect(status).toMatchObject({
      state: 'succeeded',
      stage: 'visualize',
      backtest: { done: 40, total: 40 },
      error: null,
    });
    for (const { runId } of [first, second]) {
      expect((await getJson<RunManifest>(store, `runs/${runId}/manifest.json`)).status).toBe('succeeded');
    }
    expect(await readLatestRunId(store)).toBe(second.runId);
  });

  test('a run whose data cannot be read fails with the reason and writes nothing', async () => {
    const launcher = new InProcessLauncher(store);
    const { runId } = await launcher.start({ config, data: { kind: 'file', path: join(dir, 'missing.csv') } });
    await launcher.close();
    const status = await launcher.status(runId);
    expect(status?.state).toBe('failed');
    expect(status?.error).toContain('missing.csv');
    expect(await readdir(dir)).toEqual([]);
  });

  test('refuses runs beyond the waiting room and after close; close drops the queued ones', async () => {
    const launcher = new InProcessLauncher(store, { maxWaiting: 1 });
    const running = await launcher.start({ config, data: SMALL_MARKET });
    const waiting = await launcher.start({ config, data: SMALL_MARKET });
    await expect(launcher.start({ config, data: SMALL_MARKET })).rejects.toThrow(LauncherBusyError);
    await launcher.close();
    expect((await launcher.status(running.runId))?.state).toBe('succeeded');
    expect(await launcher.status(waiting.runId)).toMatchObject({
      state: 'failed',
      error: 'the server shut down before the run started',
    });
    await expect(launcher.start({ config, data: SMALL_MARKET })).rejects.toThrow('shutting down');
    expect(await launcher.status('20990101T000000Z-ffffff')).toBeNull();
  });
});

describe('InProcessLauncher on a worker thread', () => {
  eachInTempDir('launcher-worker-test-');

  test('runs the pipeline off the main thread: progress arrives by message, the run is committed to the store', async () => {
    const stages: string[] = [];
    const store = new LocalStore(dir);
    const launcher = new InProcessLauncher(store, { worker: { script, store: { kind: 'local', dir } } });
    const { runId } = await launcher.start({ config, data: SMALL_MARKET });
    const seen = setInterval(() => {
      void launcher.status(runId).then((s) => {
        if (s?.stage && stages.at(-1) !== s.stage) stages.push(s.stage);
      });
    }, 1);
    await launcher.close();
    clearInterval(seen);
    expect(await launcher.status(runId)).toMatchObject({
      state: 'succeeded',
      stage: 'visualize',
      backtest: { done: 40, total: 40 },
      error: null,
    });
    expect(stages.length).toBeGreaterThan(1);
    expect((await getJson<RunManifest>(store, `runs/${runId}/manifest.json`)).status).toBe('succeeded');
    expect(await readLatestRunId(store)).toBe(runId);
  });

  // The bug of issue 16: the thread re-derived its store from the environment and read prices without a store, so
  // a data set kept in the store failed with "no store was given to read it from" while synthetic ones worked.
  test('a run on a data set kept in the store (store:<name>.csv) reads it through the launcher’s store', async () => {
    const store = new LocalStore(dir);
    await store.put('data/prices.csv', formatPriceCsv(syntheticMarket({ bars: 3_000, seed: 11 })));
    // No environment at all for the thread: everything it needs comes from the launcher.
    const launcher = new InProcessLauncher(store, { worker: { script, store: { kind: 'local', dir }, env: {} } });
    const { runId } = await launcher.start({ config, data: { kind: 'store', key: 'data/prices.csv' } });
    await launcher.close();
    expect(await launcher.status(runId)).toMatchObject({
      state: 'succeeded',
      error: null,
      backtest: { done: 40, total: 40 },
    });
    const manifest = await getJson<RunManifest>(store, `runs/${runId}/manifest.json`);
    expect(manifest).toMatchObject({
      runId,
      status: 'succeeded',
      data: { source: 'store:data/prices.csv', synthetic: false, rows: 3_000 },
    });
    expect(manifest.artifacts).toEqual(
      expect.arrayContaining([
        `runs/${runId}/results/validation_results.json`,
        `runs/${runId}/results/training_performance.csv`,
      ]),
    );
    const results = await getJson<ValidationResults>(store, `runs/${runId}/results/validation_results.json`);
    expect(results.strategy.id).toMatch(/^s\d{4}$/);
    expect(Number.isFinite(results.selection.training)).toBe(true);
  });

  test('a failure inside the worker fails the run with its message', async () => {
    const launcher = new InProcessLauncher(new LocalStore(dir), { worker: { script, store: { kind: 'local', dir } } });
    const { runId } = await launcher.start({ config, data: { kind: 'file', path: join(dir, 'missing.csv') } });
    await launcher.close();
    const status = await launcher.status(runId);
    expect(status?.state).toBe('failed');
    expect(status?.error).toContain('missing.csv');
  });
});

describe('InProcessLauncher at shutdown', () => {
  eachInTempDir('launcher-close-test-');

  test('a run still computing after the grace period is stopped and marked failed in its manifest, with the reason', async () => {
    const store = new LocalStore(dir);
    const launcher = new InProcessLauncher(store, { worker: { script, store: { kind: 'local', dir } } });
    // Far more than a fraction of a second of work, even on a fast machine.
    const { runId } = await launcher.start({ config: quickConfig({ strategies: 100_000 }), data: SMALL_MARKET });
    while ((await launcher.status(runId))?.stage !== 'backtest')
      await new Promise((resolve) => setTimeout(resolve, 20));
    await launcher.close({ graceMs: 100, reason: 'the dashboard received SIGTERM' });
    const message = 'the dashboard received SIGTERM while the run was under way; it was stopped after a grace of 0 s';
    expect(await launcher.status(runId)).toMatchObject({ state: 'failed', error: `backtest: ${message}` });
    const manifest = await getJson<RunManifest>(store, `runs/${runId}/manifest.json`);
    expect(manifest).toMatchObject({
      runId,
      status: 'failed',
      error: { stage: 'backtest', message },
      config: { strategies: 100_000 },
    });
    expect(manifest.artifacts).toContain(`runs/${runId}/strategies/strategies.json`);
    expect(await readLatestRunId(store)).toBeNull();
  });

  test('a run that finishes within the grace period is committed as usual', async () => {
    const store = new LocalStore(dir);
    const launcher = new InProcessLauncher(store, { worker: { script, store: { kind: 'local', dir } } });
    const { runId } = await launcher.start({ config, data: SMALL_MARKET });
    await launcher.close({ graceMs: 60_000, reason: 'the dashboard received SIGTERM' });
    expect((await launcher.status(runId))?.state).toBe('succeeded');
    expect((await getJson<RunManifest>(store, `runs/${runId}/manifest.json`)).status).toBe('succeeded');
  });
});

describe('InProcessLauncher when its worker thread dies', () => {
  eachInTempDir('launcher-crash-test-');

  test('a thread that dies mid-run leaves a failed manifest, not a run folder without one', async () => {
    // A stand-in for a pipeline thread killed part way (out of memory): it writes one artifact, reports the
    // backtest stage, and exits without a word.
    const script = join(dir, 'dying-worker.cjs');
    await writeFile(
      script,
      `
      const { parentPort, workerData } = require('node:worker_threads');
      const { mkdirSync, writeFileSync } = require('node:fs');
      const { join } = require('node:path');
      const folder = join(workerData.store.dir, 'runs', workerData.runId, 'strategies');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'strategies.json'), '{}');
      parentPort.postMessage({ kind: 'progress', event: { kind: 'stage', stage: 'backtest' } });
      setTimeout(() => process.exit(3), 50);
    `,
    );
    const store = new LocalStore(join(dir, 'store'));
    const launcher = new InProcessLauncher(store, {
      worker: { script, store: { kind: 'local', dir: join(dir, 'store') } },
    });
    const { runId } = await launcher.start({ config, data: SMALL_MARKET });
    await launcher.close();
    expect(await launcher.status(runId)).toMatchObject({
      state: 'failed',
      error: "backtest: the run's worker thread stopped (exit code 3)",
    });
    expect(await getJson<RunManifest>(store, `runs/${runId}/manifest.json`)).toMatchObject({
      status: 'failed',
      error: { stage: 'backtest', message: "the run's worker thread stopped (exit code 3)" },
      artifacts: [`runs/${runId}/strategies/strategies.json`],
    });
  });
});

describe('InProcessLauncher reports progress inside validate', () => {
  eachInTempDir('launcher-validate-test-');

  test('the worker’s validate events reach the run’s status: the step in words, done of total', async () => {
    // A stand-in pipeline thread with a scripted event sequence (the real validate emits the same events): it
    // reports validate's first steps, then waits until the test has looked at the status, then the rest.
    const script = join(dir, 'validating-worker.cjs');
    const go = join(dir, 'go');
    await writeFile(
      script,
      `
      const { parentPort } = require('node:worker_threads');
      const { existsSync } = require('node:fs');
      const post = (event) => parentPort.postMessage({ kind: 'progress', event });
      post({ kind: 'stage', stage: 'backtest' });
      post({ kind: 'backtest', done: 40, total: 40 });
      post({ kind: 'stage', stage: 'validate' });
      post({ kind: 'validate', step: 'null markets', done: 1, total: 10 });
      post({ kind: 'validate', step: 'null markets', done: 3, total: 10 });
      const wait = setInterval(() => {
        if (!existsSync(${JSON.stringify(go)})) return;
        clearInterval(wait);
        post({ kind: 'validate', step: 'bootstrap', done: 10, total: 10 });
        post({ kind: 'stage', stage: 'visualize' });
        parentPort.postMessage({ kind: 'succeeded' });
      }, 10);
    `,
    );
    const launcher = new InProcessLauncher(new LocalStore(dir), { worker: { script, store: { kind: 'local', dir } } });
    const { runId } = await launcher.start({ config, data: SMALL_MARKET });
    let status = await launcher.status(runId);
    while (status?.validate?.done !== 3) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = await launcher.status(runId);
    }
    expect(status).toMatchObject({
      state: 'running',
      stage: 'validate',
      backtest: { done: 40, total: 40 },
      validate: { step: 'null markets', done: 3, total: 10 },
    });
    await writeFile(go, '');
    await launcher.close();
    expect(await launcher.status(runId)).toMatchObject({
      state: 'succeeded',
      stage: 'visualize',
      validate: { step: 'bootstrap', done: 10, total: 10 },
    });
  });
});

describe('StepFunctionsLauncher', () => {
  const sfn = mockClient(SFNClient);
  beforeEach(() => sfn.reset());
  const launcher = () => new StepFunctionsLauncher(new SFNClient({ region: 'eu-west-1' }), STATE_MACHINE);
  /** An execution history, newest event first, that last entered `state`. */
  const enteredLast = (state: string) => ({
    events: [
      {
        type: 'TaskStateEntered' as const,
        stateEnteredEventDetails: { name: state },
        timestamp: new Date(),
        id: 2,
        previousEventId: 1,
      },
    ],
  });

  test('starts an execution named after the run, with the run id, config and data as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    const data = { kind: 'store' as const, key: 'data/btc_usd_1h.csv' };
    const sfnLauncher = launcher();
    const { runId } = await sfnLauncher.start({ config, data });
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.stateMachineArn).toBe(STATE_MACHINE);
    expect(input.name).toBe(runId);
    expect(JSON.parse(input.input!)).toEqual({ runId, config, data });
    // Running, with what it was asked, and nothing known yet of its stage, progress, error or end.
    const inFlight = sfnLauncher.inFlight();
    expect(inFlight).toHaveLength(1);
    const { runId: id, state, request, startedAt, ...unknown } = inFlight[0];
    expect([id, state, request, typeof startedAt]).toEqual([runId, 'running', { config, data }, 'string']);
    expect(Object.values(unknown).every((value) => value === null)).toBe(true);
    expect(Object.keys(unknown).sort()).toEqual(['backtest', 'error', 'finishedAt', 'stage', 'validate']);
  });

  test('reports the execution as the run state, its current state as the stage; an unknown execution is null', async () => {
    const runId = '20261124T120000Z-abcdef';
    const executionArn = 'arn:aws:states:eu-west-1:123456789012:execution:overfitting-pipeline:20261124T120000Z-abcdef';
    const startDate = new Date('2026-11-24T12:00:00Z');
    const stopDate = new Date('2026-11-24T12:01:00Z');
    sfn
      .on(DescribeExecutionCommand, { executionArn })
      .resolvesOnce({ status: 'RUNNING', startDate })
      .resolvesOnce({ status: 'SUCCEEDED', startDate, stopDate })
      .resolvesOnce({
        status: 'FAILED',
        startDate,
        stopDate,
        error: 'States.TaskFailed',
        cause: 'backtest: out of memory',
      });
    sfn
      .on(GetExecutionHistoryCommand, { executionArn })
      .resolvesOnce(enteredLast('BacktestShard'))
      .resolvesOnce(enteredLast('Commit'))
      .resolvesOnce(enteredLast('MarkRunFailed'));
    expect(await launcher().status(runId)).toEqual({
      runId,
      state: 'running',
      stage: 'backtest',
      backtest: null,
      validate: null,
      error: null,
      startedAt: startDate.toISOString(),
      finishedAt: null,
    });
    expect(await launcher().status(runId)).toMatchObject({
      state: 'succeeded',
      stage: 'visualize',
      finishedAt: stopDate.toISOString(),
    });
    expect(await launcher().status(runId)).toMatchObject({
      state: 'failed',
      stage: null,
      error: 'States.TaskFailed: backtest: out of memory',
    });

    sfn
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    expect(await launcher().status('20990101T000000Z-ffffff')).toBeNull();
  });
});
