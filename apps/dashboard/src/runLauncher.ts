// Starting runs from the web page. Two ways behind one interface: in this process (a laptop, `npm start`: the
// local pipeline, one run at a time, progress kept in memory) and as a Step Functions execution (AWS: the
// Lambdas do the work and write to S3; the execution's state is the progress).
import { Worker } from 'node:worker_threads';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { stageShownDuring, type DataRef, type RunConfig } from '@overfit/core';
import { cachedPriceLoader, type LoadedPrices } from '@overfit/data';
import { CODE_VERSION, describeCloudRun, executionArnOf, runLocalPipeline, startCloudRun, type ProgressEvent, type StageName } from '@overfit/pipeline';
import { commitRun, getJson, newRunId, runKeys, type ArtifactStore, type RunManifest } from '@overfit/store';

export type RunState = 'queued' | 'running' | 'succeeded' | 'failed';

export interface RunProgress {
  runId: string;
  state: RunState;
  /** The stage running now (for Step Functions, the state the execution last entered). */
  stage: StageName | null;
  /** Strategies backtested so far, of how many (in-process runs only). */
  backtest: { done: number; total: number } | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface RunRequest {
  config: RunConfig;
  data: DataRef;
}

export interface RunLauncher {
  readonly kind: 'in-process' | 'step-functions';
  /** Accept the run and return its id at once; the run goes on in the background. */
  start(request: RunRequest): Promise<{ runId: string }>;
  /** What the launcher knows about a run it started, or null (the store may still know it). */
  status(runId: string): Promise<RunProgress | null>;
  /** Runs this launcher has accepted that have not finished yet, with what they were asked to do. */
  inFlight(): (RunProgress & { request: RunRequest })[];
  /**
   * Stop accepting runs and wait for the ones under way: at most `graceMs` (default: as long as they take), after
   * which a run still computing is stopped and marked failed with `reason`.
   */
  close(options?: CloseOptions): Promise<void>;
}

export interface CloseOptions {
  graceMs?: number;
  /** Why the server closes, for the failed run's manifest, e.g. "the dashboard received SIGTERM". */
  reason?: string;
}

/** Too many runs waiting: the client should try again later (503). */
export class LauncherBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LauncherBusyError';
  }
}

/** The pipeline's thread died before the run could report (and record) its outcome. */
class WorkerCrashError extends Error {}

interface Job extends RunProgress {
  request: RunRequest;
}

/** What a pipeline worker thread (src/pipelineWorker.ts) is given, and what it tells the launcher. */
export interface PipelineWorkerData {
  runId: string;
  request: RunRequest;
}
export type PipelineWorkerMessage = { kind: 'progress'; event: ProgressEvent } | { kind: 'succeeded' } | { kind: 'failed'; message: string };

export interface InProcessOptions {
  maxWaiting?: number;
  keepFinished?: number;
  onFinished?: (progress: RunProgress) => void;
  /**
   * Run each pipeline on a worker thread from this bundled script, with `env` as its environment: the thread
   * opens the store from it as storeFromEnv reads it (STORE_DIR, or USE_S3, S3_BUCKET, …; the same store as the
   * launcher's) and the AWS SDK takes its credentials from it. Without a worker the pipeline runs on this
   * thread: fine for tests, but the server then answers nothing while a run computes.
   */
  worker?: { script: string; env: Record<string, string | undefined> };
}

/**
 * Runs the local pipeline in this process, one at a time (the backtest is CPU-bound: two at once would only
 * each take twice as long), with at most `maxWaiting` runs queued behind it.
 */
export class InProcessLauncher implements RunLauncher {
  readonly kind = 'in-process';
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running: Promise<void> | null = null;
  /** The job computing now, and its worker thread (when runs go to one). */
  private current: { job: Job; thread: Worker | null; stopping: boolean } | null = null;
  private closed = false;
  private readonly loadPrices: (ref: DataRef) => Promise<LoadedPrices>;

  constructor(
    private readonly store: ArtifactStore,
    private readonly options: InProcessOptions = {},
  ) {
    // Parsed prices are kept for the next run on the same data; store references are read through the store.
    this.loadPrices = cachedPriceLoader(store);
  }

  async start(request: RunRequest): Promise<{ runId: string }> {
    if (this.closed) throw new LauncherBusyError('the server is shutting down');
    const maxWaiting = this.options.maxWaiting ?? 3;
    if (this.queue.length >= maxWaiting) throw new LauncherBusyError(`${this.queue.length} runs are already waiting; try again when one has finished`);
    const runId = newRunId();
    const job: Job = { runId, state: 'queued', stage: null, backtest: null, error: null, startedAt: new Date().toISOString(), finishedAt: null, request };
    this.jobs.set(runId, job);
    this.queue.push(job);
    this.forgetOldJobs();
    if (!this.running) this.running = this.drain();
    return { runId };
  }

  async status(runId: string): Promise<RunProgress | null> {
    const job = this.jobs.get(runId);
    if (!job) return null;
    const { request: _request, ...progress } = job;
    return { ...progress, backtest: progress.backtest && { ...progress.backtest } };
  }

  inFlight(): (RunProgress & { request: RunRequest })[] {
    return [...this.jobs.values()].filter((job) => job.finishedAt === null).map((job) => ({ ...job }));
  }

  async close(options: CloseOptions = {}): Promise<void> {
    this.closed = true;
    // Runs that never started are dropped (nothing of them was written); the one running is finished, if it can
    // be within the grace period, or stopped and marked failed: never left without a manifest.
    for (const job of this.queue.splice(0)) this.finish(job, 'failed', 'the server shut down before the run started');
    const running = this.running;
    if (!running) return;
    const { graceMs } = options;
    if (graceMs === undefined || !Number.isFinite(graceMs)) return running;
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      running.then(() => true),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), graceMs); }),
    ]).finally(() => clearTimeout(timer));
    if (!inTime) await this.stopCurrent(`${options.reason ?? 'the server shut down'} while the run was under way; it was stopped after a grace of ${Math.round(graceMs / 1000)} s`);
  }

  /** Stop the run computing now and, unless it committed itself meanwhile, write its manifest as failed. */
  private async stopCurrent(message: string): Promise<void> {
    const current = this.current;
    if (!current) return;
    const { job, thread } = current;
    // A run on this thread cannot be interrupted; one on a worker is, and nothing of it writes after this. Its
    // thread's exit is not the run's outcome: what is decided below is.
    current.stopping = true;
    if (thread) await thread.terminate();
    const keys = runKeys(job.runId);
    if (await this.store.exists(keys.manifest)) {
      // It committed itself just before the end of the grace period: the manifest is the truth.
      const { status, error } = await getJson<RunManifest>(this.store, keys.manifest);
      this.finish(job, status, error ? `${error.stage}: ${error.message}` : null);
      return;
    }
    const stage = job.stage ?? 'generate';
    this.finish(job, 'failed', `${stage}: ${message}`);
    await this.writeFailedManifest(job, stage, message);
  }

  /** The manifest of a run that could not write its own (stopped, or its thread died): failed, with the reason. */
  private async writeFailedManifest(job: Job, stage: StageName, message: string): Promise<void> {
    const keys = runKeys(job.runId);
    const written = (await this.store.list(keys.root)).filter((key) => key !== keys.manifest);
    await commitRun(this.store, {
      runId: job.runId, status: 'failed', createdAt: job.startedAt, finishedAt: new Date().toISOString(), config: job.request.config,
      data: null, codeVersion: CODE_VERSION, timings: {}, artifacts: written, error: { stage, message },
    });
  }

  /**
   * A worker thread that died without a word (out of memory, killed) left its run without a manifest: write it as
   * failed, unless the run never got past its checks (nothing of it was written) or committed itself after all.
   * Returns the message to report: the failure, and the manifest's own failure if it could not be written either.
   */
  private async recordCrash(job: Job, message: string): Promise<string> {
    if (job.stage === null) return message;
    try {
      if (await this.store.exists(runKeys(job.runId).manifest)) return message;
      await this.writeFailedManifest(job, job.stage, message);
      return `${job.stage}: ${message}`;
    } catch (error) {
      return `${job.stage}: ${message} (and the run could not be marked failed: ${error instanceof Error ? error.message : String(error)})`;
    }
  }

  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      job.state = 'running';
      const onProgress = (event: ProgressEvent) => {
        if (event.kind === 'stage') job.stage = event.stage;
        else job.backtest = { done: event.done, total: event.total };
      };
      const current = { job, thread: null, stopping: false };
      this.current = current;
      try {
        if (this.options.worker) await this.runOnWorker(job, this.options.worker, onProgress);
        else await runLocalPipeline({ ...job.request, store: this.store, runId: job.runId, loadPrices: this.loadPrices, onProgress });
        this.finish(job, 'succeeded', null);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!current.stopping) this.finish(job, 'failed', error instanceof WorkerCrashError ? await this.recordCrash(job, message) : message);
      }
      this.current = null;
      // Let status requests in between two runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.running = null;
  }

  private runOnWorker(job: Job, worker: NonNullable<InProcessOptions['worker']>, onProgress: (event: ProgressEvent) => void): Promise<void> {
    const workerData: PipelineWorkerData = { runId: job.runId, request: job.request };
    return new Promise((resolve, reject) => {
      const thread = new Worker(worker.script, { workerData, env: worker.env });
      if (this.current?.job === job) this.current.thread = thread;
      thread.on('message', (message: PipelineWorkerMessage) => {
        if (message.kind === 'progress') return onProgress(message.event);
        // The run is committed (or marked failed) before this message: whatever the thread still holds open
        // (idle sockets, a thread pool) must not keep the next run waiting.
        if (message.kind === 'succeeded') resolve();
        else reject(new Error(message.message));
        void thread.terminate();
      });
      thread.on('error', (error) => reject(new WorkerCrashError(`the run's worker thread failed: ${error.message}`)));
      // After resolve or reject this changes nothing; before, the thread died without a word.
      thread.on('exit', (code) => reject(new WorkerCrashError(`the run's worker thread stopped (exit code ${code})`)));
    });
  }

  private finish(job: Job, state: 'succeeded' | 'failed', error: string | null): void {
    // A run stopped at shutdown is finished once, by the shutdown, not again by its worker's exit.
    if (job.finishedAt !== null) return;
    job.state = state;
    job.error = error;
    job.finishedAt = new Date().toISOString();
    this.options.onFinished?.(job);
  }

  private forgetOldJobs(): void {
    const keep = this.options.keepFinished ?? 100;
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt !== null);
    for (const job of finished.slice(0, Math.max(0, finished.length - keep))) this.jobs.delete(job.runId);
  }
}

/**
 * Starts runs as executions of the pipeline's state machine (named after the run); the Lambdas write the run
 * into the bucket. Status comes from the execution and the state it last entered (@overfit/pipeline's cloud runs).
 */
export class StepFunctionsLauncher implements RunLauncher {
  readonly kind = 'step-functions';

  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** Runs this server started, newest last, until their manifest lists them (see /api/runs); at most 100. */
  private readonly started = new Map<string, { request: RunRequest; startedAt: string }>();

  async start(request: RunRequest): Promise<{ runId: string }> {
    const { runId } = await startCloudRun(this.client, this.stateMachineArn, request);
    this.started.set(runId, { request, startedAt: new Date().toISOString() });
    if (this.started.size > 100) this.started.delete(this.started.keys().next().value as string);
    return { runId };
  }

  async status(runId: string): Promise<RunProgress | null> {
    const run = await describeCloudRun(this.client, executionArnOf(this.stateMachineArn, runId));
    if (!run) return null;
    return {
      runId,
      state: run.state,
      stage: run.currentState ? stageShownDuring(run.currentState) : null,
      backtest: null,
      error: run.error,
      startedAt: run.startedAt ?? new Date().toISOString(),
      finishedAt: run.stoppedAt,
    };
  }

  /**
   * The runs this server started, as running: the run list drops each once its manifest (written by the
   * state machine's last state, also when it fails) is in the bucket. Runs started elsewhere appear then too.
   */
  inFlight(): (RunProgress & { request: RunRequest })[] {
    return [...this.started].map(([runId, { request, startedAt }]) => ({
      runId, state: 'running', stage: null, backtest: null, error: null, startedAt, finishedAt: null, request,
    }));
  }

  async close(): Promise<void> {}
}
