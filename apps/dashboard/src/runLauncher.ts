// Starting runs from the web page. Two ways behind one interface: in this process (a laptop, `npm start`: the
// local pipeline, one run at a time, progress kept in memory) and as a Step Functions execution (AWS: the
// Lambdas do the work and write to S3; the execution's state is the progress). The first is inProcessLauncher.ts.
import type { SFNClient } from '@aws-sdk/client-sfn';
import { stageShownDuring, type DataRef, type RunConfig } from '@overfit/core';
import { describeCloudRun, executionArnOf, startCloudRun, type ProgressEvent, type StageName } from '@overfit/pipeline';
import type { StoreConfig } from './config';

type RunState = 'queued' | 'running' | 'succeeded' | 'failed';

export interface RunProgress {
  runId: string;
  state: RunState;
  /** The stage running now (for Step Functions, the state the execution last entered). */
  stage: StageName | null;
  /** Strategies backtested so far, of how many (in-process runs only). */
  backtest: { done: number; total: number } | null;
  /**
   * How far validate has come (in-process runs only): the step under way in words ("null markets"), and its units
   * done of validate's whole.
   */
  validate: { step: string; done: number; total: number } | null;
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

/** What a pipeline worker thread (src/pipelineWorker.ts) is given, and what it tells the launcher. */
export interface PipelineWorkerData {
  runId: string;
  request: RunRequest;
  /** The launcher's store, as configured: the thread opens it itself (a store object cannot cross threads). */
  store: StoreConfig;
}
export type PipelineWorkerMessage =
  | { kind: 'progress'; event: ProgressEvent }
  | { kind: 'succeeded' }
  | { kind: 'failed'; message: string };

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
      validate: null,
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
      runId,
      state: 'running',
      stage: null,
      backtest: null,
      validate: null,
      error: null,
      startedAt,
      finishedAt: null,
      request,
    }));
  }

  async close(): Promise<void> {}
}
