// The sixth function of the cloud pipeline: commit a run. On success it writes the manifest (last among the
// run's objects), moves latest.json, then deletes the backtest shards' intermediates (select merged them); on
// failure it writes a manifest that says which stage failed and why, and latest.json keeps pointing at the
// previous good run. The commit protocol: a run committed as succeeded is never overwritten by a failure (Commit
// may write and then fail to answer, and MarkRunFailed runs after it), and latest.json only ever names a
// succeeded manifest. EventBridge also calls it for executions that failed, timed out or were aborted, so a run
// that never reached MarkRunFailed still gets a failed manifest. It lives here rather than in a stage package because
// it is orchestration, not computation: it reads the state machine's accumulated state and shares the manifest
// format and CODE_VERSION with the local orchestrator.
import {
  assertNoProblems,
  check,
  EXECUTION_EVENT_SCHEMA,
  EXECUTION_STATUS_CHANGE,
  FINALIZE_EVENT_SCHEMA,
  InputError,
  parseDataRef,
  parseRunConfig,
  PIPELINE_STAGES,
  problems,
  type DataRef,
  type FinalizeEvent,
  type RunConfig,
  type StageName,
} from '@overfit/core';
import type { StageDefinition, StageDeps } from '@overfit/lambda';
import {
  ArtifactNotFoundError,
  asRecord,
  commitRun,
  getJson,
  RUN_ID_PATTERN,
  runKeys,
  type RunDataDescription,
  type RunManifest,
} from '@overfit/store';
import { CODE_VERSION, describeData, runSummary } from './manifest';

type RunSummaryInputs = Parameters<typeof runSummary>;

export interface FinalizeInput {
  runId: string;
  status: RunManifest['status'];
  /** When the execution started ($$.Execution.StartTime). */
  startedAt: string;
  /** The state machine's state at the end: the execution input plus each stage's small result. */
  run: Record<string, unknown>;
  /**
   * Set for an EventBridge "Execution Status Change" event: the execution ended outside the state machine's own
   * error handling (timed out, aborted, or MarkRunFailed itself failed). A manifest is written only if none exists.
   */
  executionEnded?: { status: string; error: string | null; cause: string | null };
}

export interface FinalizeOutput {
  runId: string;
  status: RunManifest['status'];
  manifestKey: string;
  verdict: string | null;
}

/** An EventBridge event for an execution that ended badly → a failure to record, if the run has no manifest yet. */
function parseExecutionEvent(fields: Record<string, unknown>): FinalizeInput {
  const { status } = check(EXECUTION_EVENT_SCHEMA, fields, 'event').detail;
  const detail = fields.detail as Record<string, unknown>;
  let input: Record<string, unknown> = {};
  try {
    input = asRecord(JSON.parse(String(detail.input ?? '{}')));
  } catch {
    // an execution input that is not an object (or was too large to include): the run id comes from the name
  }
  const runId = typeof input.runId === 'string' ? input.runId : detail.name;
  if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId))
    throw new InputError(`must name a run (got ${JSON.stringify(runId)})`, 'event.detail.name');
  const startedAt = new Date(Number(detail.startDate));
  if (Number.isNaN(startedAt.getTime()))
    throw new InputError(`must be a time in ms (got ${JSON.stringify(detail.startDate)})`, 'event.detail.startDate');
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return {
    runId,
    status: 'failed',
    startedAt: startedAt.toISOString(),
    run: { ...input, runId },
    executionEnded: { status, error: text(detail.error), cause: text(detail.cause) },
  };
}

export function parseFinalizeEvent(event: unknown): FinalizeInput {
  const fields = asRecord(event);
  if (fields['detail-type'] === EXECUTION_STATUS_CHANGE) return parseExecutionEvent(fields);
  const found = problems(FINALIZE_EVENT_SCHEMA, event, 'event');
  const { status, startedAt, run } = event as FinalizeEvent;
  if (typeof startedAt === 'string' && Number.isNaN(Date.parse(startedAt)))
    found.push({ where: 'event.startedAt', message: `must be an ISO time (got ${JSON.stringify(startedAt)})` });
  assertNoProblems(found);
  return { runId: run.runId, status, startedAt, run };
}

/** A Lambda's error arrives as {Error, Cause}; Lambda's own Cause is JSON with errorType and errorMessage. */
function errorMessage(error: unknown): string {
  const { Error: name, Cause: cause } = (error ?? {}) as { Error?: string; Cause?: string };
  try {
    const parsed = JSON.parse(cause ?? '') as { errorType?: string; errorMessage?: string };
    if (parsed.errorMessage) return `${parsed.errorType ?? name}: ${parsed.errorMessage}`;
  } catch {
    // a plain-text cause
  }
  return cause ? `${name}: ${cause}` : (name ?? 'unknown error');
}

type Result = { durationMs?: number } & Record<string, unknown>;

/** How an execution that ended outside the state machine's error handling is described in the manifest. */
function executionEndedMessage({ status, error, cause }: NonNullable<FinalizeInput['executionEnded']>): string {
  const what =
    status === 'TIMED_OUT'
      ? 'the execution timed out'
      : status === 'ABORTED'
        ? 'the execution was aborted'
        : 'the execution failed';
  return [`${status}: ${what}`, error, cause].filter(Boolean).join('; ');
}

/** The run's manifest if one was written, else null. */
async function existingManifest(deps: StageDeps, key: string): Promise<RunManifest | null> {
  try {
    return await getJson<RunManifest>(deps.store, key);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return null;
    throw error;
  }
}

export async function finalizeRun(input: FinalizeInput, deps: StageDeps): Promise<FinalizeOutput> {
  const { runId, run } = input;
  const keys = runKeys(runId);
  if (input.status === 'failed') {
    // A committed success stands (Commit wrote it, then failed to answer); an event for a run MarkRunFailed
    // already recorded changes nothing.
    const existing = await existingManifest(deps, keys.manifest);
    if (existing && (existing.status === 'succeeded' || input.executionEnded)) {
      const verdict = existing.status === 'succeeded' ? String(existing.summary?.verdict ?? '') : null;
      return { runId, status: existing.status, manifestKey: keys.manifest, verdict };
    }
  }
  // Each stage's result sits in the state at the registry's resultPath (the ASL's ResultPath).
  const resultOf = (name: StageName) =>
    run[PIPELINE_STAGES.find((stage) => stage.name === name)!.resultPath] as Result | Result[] | undefined;
  const timings: Record<string, number> = {};
  for (const { name } of PIPELINE_STAGES) {
    const value = resultOf(name);
    // The backtest is the sum of its shards' compute time (they may run in parallel).
    const ms = Array.isArray(value)
      ? value.reduce((sum, shard) => sum + (shard.durationMs ?? 0), 0)
      : value?.durationMs;
    if (typeof ms === 'number') timings[name] = ms;
  }
  // Config and data as the stages accepted them; a run that failed on a bad event keeps what it was given.
  let config: RunConfig | undefined;
  let data: RunDataDescription | null = null;
  try {
    config = parseRunConfig(run.config);
    const ref: DataRef = parseDataRef(run.data);
    data = describeData(ref, await deps.loadPrices(ref));
  } catch {
    // left as given / null: the failure is recorded below
  }
  // The shards' files are the backtest's intermediates, merged into results/ by select: not the run's artifacts.
  const artifacts = (await deps.store.list(keys.root)).filter(
    (key) => key !== keys.manifest && !key.startsWith(`${keys.root}shards/`),
  );
  const select = resultOf('select') as Result | undefined;
  const validate = resultOf('validate') as Result | undefined;
  const failedStage = PIPELINE_STAGES.find((stage) => resultOf(stage.name) === undefined)?.name ?? 'finalize';
  const times = { createdAt: new Date(input.startedAt).toISOString(), finishedAt: new Date().toISOString() };
  let manifest: RunManifest;
  if (input.status === 'succeeded') {
    // Every stage accepted this config, so it parses; were it not to, the commit fails naming the field.
    const accepted = config ?? parseRunConfig(run.config);
    manifest = {
      runId,
      status: 'succeeded',
      ...times,
      config: accepted,
      data,
      codeVersion: CODE_VERSION,
      timings,
      artifacts,
      summary: runSummary(select as RunSummaryInputs[0], validate as RunSummaryInputs[1], accepted.selectBy),
    };
  } else {
    const error = input.executionEnded
      ? { stage: 'execution', message: executionEndedMessage(input.executionEnded) }
      : { stage: failedStage, message: errorMessage(run.error) };
    manifest = {
      runId,
      status: 'failed',
      ...times,
      config: config ?? run.config,
      data,
      codeVersion: CODE_VERSION,
      timings,
      artifacts,
      error,
    };
  }
  await commitRun(deps.store, manifest);
  // Only after the commit: until then a retried select could still need them.
  if (input.status === 'succeeded') await deleteShardFiles(deps, keys.root);
  return {
    runId,
    status: input.status,
    manifestKey: keys.manifest,
    verdict: input.status === 'succeeded' ? String(validate?.verdict ?? '') : null,
  };
}

export const finalizeStage: StageDefinition<FinalizeInput, FinalizeOutput> = {
  stage: 'finalize',
  parseEvent: parseFinalizeEvent,
  run: finalizeRun,
};

/** The backtest shards' intermediates under runs/<runId>/shards/, merged into results/ by select. */
async function deleteShardFiles(deps: StageDeps, runRoot: string): Promise<void> {
  const shardFiles = await deps.store.list(`${runRoot}shards/`);
  // A store that cannot delete (none of the project's) keeps them; the manifest never lists them either way.
  if (shardFiles.length > 0 && deps.store.delete) await deps.store.delete(shardFiles);
}
