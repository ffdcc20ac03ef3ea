// Runs in this process (a laptop, `npm start`): the local pipeline, one run at a time, progress kept in memory;
// each run computes on a worker thread of its own when the server is bundled (see pipelineWorker.ts).
import { Worker } from 'node:worker_threads';
import type { DataRef } from '@overfit/core';
import { cachedPriceLoader, type LoadedPrices } from '@overfit/data';
import { CODE_VERSION, runLocalPipeline, type ProgressEvent, type StageName } from '@overfit/pipeline';
import { commitRun, getJson, newRunId, runKeys, type ArtifactStore, type RunManifest } from '@overfit/store';
import type { StoreConfig } from './config';
import { failureOf } from './runManifest';
import {
  LauncherBusyError,
  type CloseOptions,
  type PipelineWorkerData,
  type PipelineWorkerMessage,
  type RunLauncher,
  type RunProgress,
  type RunRequest,
} from './runLauncher';

/** The pipeline's thread died before the run could report (and record) its outcome. */
class WorkerCrashError extends Error {}

interface Job extends RunProgress {
  request: RunRequest;
}

export interface InProcessOptions {
  maxWaiting?: number;
  keepFinished?: number;
  onFinished?: (progress: RunProgress) => void;
  /**
   * Run each pipeline on a worker thread from this bundled script. `store` is how the launcher's own store was
   * configured (the thread opens the same one from it); `env`, when given, is the thread's environment instead of
   * this process's (the AWS SDK takes its credentials from there). Without a worker the pipeline runs on this
   * thread: fine for tests, but the server then answers nothing while a run computes.
   */
  worker?: { script: string; store: StoreConfig; env?: Record<string, string | undefined> };
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
    if (this.queue.length >= maxWaiting)
      throw new LauncherBusyError(`${this.queue.length} runs are already waiting; try again when one has finished`);
    const runId = newRunId();
    const job: Job = {
      runId,
      state: 'queued',
      stage: null,
      backtest: null,
      validate: null,
      error: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      request,
    };
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
    return {
      ...progress,
      backtest: progress.backtest && { ...progress.backtest },
      validate: progress.validate && { ...progress.validate },
    };
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
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (!inTime)
      await this.stopCurrent(
        `${options.reason ?? 'the server shut down'} while the run was under way; it was stopped after a grace of ${Math.round(graceMs / 1000)} s`,
      );
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
      const manifest = await getJson<RunManifest>(this.store, keys.manifest);
      this.finish(job, manifest.status, failureOf(manifest));
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
      runId: job.runId,
      status: 'failed',
      createdAt: job.startedAt,
      finishedAt: new Date().toISOString(),
      config: job.request.config,
      data: null,
      codeVersion: CODE_VERSION,
      timings: {},
      artifacts: written,
      error: { stage, message },
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
        else if (event.kind === 'backtest') job.backtest = { done: event.done, total: event.total };
        else if (event.kind === 'validate') job.validate = { step: event.step, done: event.done, total: event.total };
      };
      const current = { job, thread: null, stopping: false };
      this.current = current;
      try {
        if (this.options.worker) await this.runOnWorker(job, this.options.worker, onProgress);
        else
          await runLocalPipeline({
            ...job.request,
            store: this.store,
            runId: job.runId,
            loadPrices: this.loadPrices,
            onProgress,
          });
        this.finish(job, 'succeeded', null);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!current.stopping)
          this.finish(
            job,
            'failed',
            error instanceof WorkerCrashError ? await this.recordCrash(job, message) : message,
          );
      }
      this.current = null;
      // Let status requests in between two runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.running = null;
  }

  private runOnWorker(
    job: Job,
    worker: NonNullable<InProcessOptions['worker']>,
    onProgress: (event: ProgressEvent) => void,
  ): Promise<void> {
    const workerData: PipelineWorkerData = { runId: job.runId, request: job.request, store: worker.store };
    return new Promise((resolve, reject) => {
      const thread = new Worker(worker.script, { workerData, ...(worker.env ? { env: worker.env } : {}) });
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
