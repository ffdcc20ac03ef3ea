// Runs on AWS: start an execution of the deployed state machine and follow it, on @aws-sdk/client-sfn. The
// execution is named after the run, so a run id alone finds its execution. Used by `overfit cloud` and the
// dashboard (which starts runs from the web page).
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { InputError, type DataRef, type RunConfig } from '@overfit/core';
import { newRunId } from '@overfit/store';

export interface CloudRunRequest {
  config: RunConfig;
  /** Lambdas read prices from the bucket ({kind:'store', key:'data/…csv'}) or draw a synthetic market. */
  data: DataRef;
  runId?: string;
  shardSize?: number;
  maxConcurrency?: number;
}

export type CloudRunState = 'running' | 'succeeded' | 'failed';

export interface CloudRunStatus {
  runId: string;
  executionArn: string;
  /** Step Functions' status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE. */
  status: string;
  state: CloudRunState;
  /** The state the execution is in or last entered (Generate, Backtest, Select, …), from its history. */
  currentState: string | null;
  startedAt: string | null;
  stoppedAt: string | null;
  /** "Error: cause" of a failed execution. */
  error: string | null;
  /** The Commit state's output of a finished run: { runId, status, manifestKey, verdict }. */
  output: unknown;
}

const STATES: Record<string, CloudRunState> = {
  RUNNING: 'running',
  PENDING_REDRIVE: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  TIMED_OUT: 'failed',
  ABORTED: 'failed',
};

/** A Step Functions client; credentials from the usual chain (environment, profile, role). */
export const createSfnClient = (region?: string): SFNClient =>
  new SFNClient({ region: region ?? process.env.AWS_REGION ?? 'us-east-1' });

/** The execution input: what Generate and every later state read (see state-machine.asl.json). */
export function executionInput(runId: string, request: CloudRunRequest): string {
  return JSON.stringify({
    runId,
    config: request.config,
    data: request.data,
    ...(request.shardSize ? { shardSize: request.shardSize } : {}),
    ...(request.maxConcurrency ? { maxConcurrency: request.maxConcurrency } : {}),
  });
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;

export function assertStateMachineArn(arn: string, where = 'stateMachineArn'): void {
  if (!STATE_MACHINE_ARN.test(arn))
    throw new InputError(
      `is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME; got ${JSON.stringify(arn)})`,
      where,
    );
}

/** arn:…:stateMachine:NAME + run id → arn:…:execution:NAME:RUN_ID. */
export function executionArnOf(stateMachineArn: string, runId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${runId}`;
}

export function runIdOfExecution(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf(':') + 1);
}

export async function startCloudRun(
  client: SFNClient,
  stateMachineArn: string,
  request: CloudRunRequest,
): Promise<{ runId: string; executionArn: string }> {
  assertStateMachineArn(stateMachineArn);
  const runId = request.runId ?? newRunId();
  const started = await client.send(
    new StartExecutionCommand({ stateMachineArn, name: runId, input: executionInput(runId, request) }),
  );
  return { runId, executionArn: started.executionArn ?? executionArnOf(stateMachineArn, runId) };
}

/** The state an execution last entered: the newest *StateEntered event of its history. */
function lastEnteredState(events: HistoryEvent[]): string | null {
  for (const event of events) {
    const name = event.stateEnteredEventDetails?.name;
    if (name && event.type?.endsWith('StateEntered')) return name;
  }
  return null;
}

/** The execution's status, or null when no such execution exists. */
export async function describeCloudRun(client: SFNClient, executionArn: string): Promise<CloudRunStatus | null> {
  let execution: DescribeExecutionCommandOutput;
  try {
    execution = await client.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist || (error as Error).name === 'ExecutionDoesNotExist') return null;
    throw error;
  }
  const history = await client.send(
    new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 50 }),
  );
  const status = execution.status ?? 'RUNNING';
  const state = STATES[status] ?? 'running';
  return {
    runId: runIdOfExecution(executionArn),
    executionArn,
    status,
    state,
    currentState: lastEnteredState(history.events ?? []),
    startedAt: execution.startDate?.toISOString() ?? null,
    stoppedAt: execution.stopDate?.toISOString() ?? null,
    error: state === 'failed' ? [execution.error ?? status, execution.cause].filter(Boolean).join(': ') : null,
    output: execution.output ? JSON.parse(execution.output) : null,
  };
}

/** Poll until the execution stops; `onStatus` sees every poll (the CLI prints progress from it). */
export async function waitForCloudRun(
  client: SFNClient,
  executionArn: string,
  options: {
    intervalMs?: number;
    timeoutMs?: number;
    onStatus?: (status: CloudRunStatus) => void;
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<CloudRunStatus> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const deadline = Date.now() + (options.timeoutMs ?? 60 * 60_000);
  for (;;) {
    const status = await describeCloudRun(client, executionArn);
    if (!status) throw new InputError('no such execution', executionArn);
    options.onStatus?.(status);
    if (status.state !== 'running') return status;
    if (Date.now() > deadline)
      throw new Error(
        `${executionArn} is still ${status.status} after ${Math.round((options.timeoutMs ?? 3_600_000) / 1000)} s`,
      );
    await sleep(options.intervalMs ?? 5000);
  }
}
