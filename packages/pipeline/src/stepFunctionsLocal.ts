// `overfit run --engine stepfunctions-local`: the state machine definition Terraform deploys, executed in this
// process by aws-local-stepfunctions, with each Task state bound to the same stage handler its Lambda runs
// (event validation, logging and all). The store is whatever the caller opened: s3rver, S3 or a folder.
// Retries keep their rules but not their waits: locally, nothing is gained by sleeping.
import { StateMachine, type RunOptions } from 'aws-local-stepfunctions';

type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
import {
  InputError,
  isRemoteInputError,
  stageStartedBy,
  TASK_FUNCTIONS,
  type DataRef,
  type RunConfig,
} from '@overfit/core';
import { cachedPriceLoader, type LoadedPrices } from '@overfit/data';
import { createHandler, type HandlerRuntime, type StageDeps } from '@overfit/lambda';
import { DEFAULT_SHARD_SIZE, getJson, newRunId, runKeys, type ArtifactStore, type RunManifest } from '@overfit/store';
import type { ValidateDeps } from '@overfit/stage-validate';
import { assertRunnable, readRunSummary, type ProgressEvent, type RunSummary } from './localPipeline';
import { STAGE_DEFINITIONS } from './stageDefinitions';
import { localFunctionArns, stateMachineDefinition } from './stateMachine';

// aws-local-stepfunctions uses Promise.withResolvers (Node ≥ 22); this is its exact contract for Node 20.
const promiseStatics = Promise as unknown as { withResolvers?: unknown };
promiseStatics.withResolvers ??= <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
};

type Invoke = (payload: unknown) => Promise<unknown>;

let machine: StateMachine | undefined;
/**
 * The deployed definition, parsed and validated once per process: aws-local-stepfunctions compiles its JSON-schema
 * validator for each new StateMachine (0.17 s under jest), and a machine holds nothing of a run, whose handlers are
 * given to `run`. A dashboard or a test file runs many.
 */
function localStateMachine(): StateMachine {
  machine ??= new StateMachine(
    stateMachineDefinition(localFunctionArns()) as unknown as ConstructorParameters<typeof StateMachine>[0],
  );
  return machine;
}

export interface StateMachineRunOptions {
  config: RunConfig;
  data: DataRef;
  store: ArtifactStore;
  runId?: string;
  shardSize?: number;
  maxConcurrency?: number;
  loadPrices?: (ref: DataRef) => Promise<LoadedPrices>;
  onProgress?: (event: ProgressEvent) => void;
  /** Powertools log level of the stage handlers (default SILENT: the CLI prints its own summary). */
  logLevel?: HandlerRuntime['logLevel'];
  /** Tests wrap a Task's invocation to inject faults (throttling, failures) where a Lambda would fail. */
  wrapTask?: (state: string, invoke: Invoke) => Invoke;
}

/** The execution failed; `errorName` is the Fail state's Error (the failing stage's error name). */
export class StateMachineRunError extends Error {
  readonly errorName: string;
  constructor(errorName: string, message: string) {
    super(message);
    this.name = 'StateMachineRunError';
    this.errorName = errorName;
  }
}

/** Run the state machine to the end; resolves with the same summary as the local orchestrator. */
export async function runStateMachineLocally(options: StateMachineRunOptions): Promise<RunSummary> {
  const { config, data, store } = options;
  const loadPrices = options.loadPrices ?? cachedPriceLoader(store);
  await assertRunnable(config, data, loadPrices);
  const runId = options.runId ?? newRunId();

  const deps: StageDeps = { store, loadPrices };
  const runtime: HandlerRuntime = { deps: () => deps, logLevel: options.logLevel ?? 'SILENT', publishMetrics: false };
  // In this process validate can report its own steps (a Lambda cannot); the other stages get the plain deps.
  const progress = options.onProgress;
  const validateDeps: ValidateDeps = {
    ...deps,
    onProgress: progress && ((step, done, total) => progress({ kind: 'validate', step, done, total })),
  };
  const runtimeOf = (name: string): HandlerRuntime =>
    name === 'validate' ? { ...runtime, deps: () => validateDeps } : runtime;
  const handlers = Object.fromEntries(
    Object.entries(STAGE_DEFINITIONS).map(([name, definition]) => [name, createHandler(definition, runtimeOf(name))]),
  );
  // A lambda:invoke Task gets {FunctionName, Payload} and returns what the integration returns.
  const taskHandlers = Object.fromEntries(
    Object.entries(TASK_FUNCTIONS).map(([state, fn]) => {
      const invoke: Invoke = (payload) => handlers[fn](payload);
      const wrapped = options.wrapTask ? options.wrapTask(state, invoke) : invoke;
      return [
        state,
        async (input: unknown) => ({
          StatusCode: 200,
          Payload: await wrapped((input as { Payload: unknown }).Payload),
        }),
      ];
    }),
  );

  const machine = localStateMachine();
  const input = {
    runId,
    config,
    data,
    ...(options.shardSize ? { shardSize: options.shardSize } : {}),
    ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
  };
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: taskHandlers as NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers'],
      retryIntervalOverrides: Object.fromEntries(Object.keys(TASK_FUNCTIONS).map((state) => [state, 0])),
    },
  });
  const following = progress
    ? followProgress(execution.eventLogs, config.strategies, options.shardSize ?? DEFAULT_SHARD_SIZE, progress)
    : Promise.resolve();
  try {
    await execution.result;
  } catch (error) {
    const cause = (error as Error).cause as Error | undefined;
    const [name, message] = [cause?.name ?? 'Error', cause?.message ?? (error as Error).message];
    // A bad input found by a stage is still the user's to fix (exit 2); anything else is a failed run.
    throw isRemoteInputError(name)
      ? new InputError(message, undefined, { cause: error })
      : new StateMachineRunError(name, `run ${runId} failed: ${name}: ${message}`);
  } finally {
    await following;
  }
  // The committed run, read back from the store like any reader would (a run that ended well has committed it).
  const manifest = await getJson<RunManifest>(store, runKeys(runId).manifest);
  if (manifest.status !== 'succeeded')
    throw new StateMachineRunError('RunFailed', `run ${runId} ended without committing a succeeded manifest`);
  return readRunSummary(store, manifest);
}

/** Stage changes from the execution's events; backtest progress counts the strategies of finished shards. */
async function followProgress(
  events: AsyncGenerator<EventLog>,
  strategies: number,
  shardSize: number,
  progress: (event: ProgressEvent) => void,
) {
  let done = 0;
  for await (const event of events) {
    const started = event.type === 'StateEntered' ? stageStartedBy(event.state.name) : undefined;
    if (started) progress({ kind: 'stage', stage: started });
    if (event.type === 'MapIterationSucceeded') {
      done = Math.min(strategies, done + shardSize);
      progress({ kind: 'backtest', done, total: strategies });
    }
  }
}
