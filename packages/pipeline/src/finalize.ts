// The sixth function of the cloud pipeline: commit a run. On success it writes the manifest (last among the
// run's objects), then moves latest.json; on failure it writes a manifest that says which stage failed and why,
// and latest.json keeps pointing at the previous good run. It lives here rather than in a stage package because
// it is orchestration, not computation: it reads the state machine's accumulated state and shares the manifest
// format and CODE_VERSION with the local orchestrator.
import { InputError, parseDataRef, parseRunConfig, type DataRef } from '@overfit/core';
import type { StageDefinition, StageDeps } from '@overfit/lambda';
import { asRecord, commitRun, RUN_ID_PATTERN, runKeys, type RunManifest } from '@overfit/store';
import type { StageName } from './localPipeline';
import { CODE_VERSION, describeData, runSummary } from './manifest';

type RunSummaryInputs = Parameters<typeof runSummary>;

export interface FinalizeInput {
  runId: string;
  status: RunManifest['status'];
  /** When the execution started ($$.Execution.StartTime). */
  startedAt: string;
  /** The state machine's state at the end: the execution input plus each stage's small result. */
  run: Record<string, unknown>;
}

export interface FinalizeOutput {
  runId: string;
  status: RunManifest['status'];
  manifestKey: string;
  verdict: string | null;
}

const STAGES: StageName[] = ['generate', 'backtest', 'select', 'validate', 'visualize'];
/** Where each stage's result sits in the state (the ASL's ResultPath). */
const RESULT_PATH: Record<StageName, string> = { generate: 'generate', backtest: 'shards', select: 'select', validate: 'validate', visualize: 'visualize' };

export function parseFinalizeEvent(event: unknown): FinalizeInput {
  const fields = asRecord(event);
  const status = fields.status;
  if (status !== 'succeeded' && status !== 'failed') throw new InputError(`must be "succeeded" or "failed" (got ${JSON.stringify(status)})`, 'event.status');
  const startedAt = fields.startedAt;
  if (typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt))) throw new InputError(`must be an ISO time (got ${JSON.stringify(startedAt)})`, 'event.startedAt');
  const run = asRecord(fields.run, 'event.run');
  if (typeof run.runId !== 'string' || !RUN_ID_PATTERN.test(run.runId)) {
    throw new InputError(`must be a run id of letters, digits, "_" and "-" (got ${JSON.stringify(run.runId)})`, 'event.run.runId');
  }
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

export async function finalizeRun(input: FinalizeInput, deps: StageDeps): Promise<FinalizeOutput> {
  const { runId, run } = input;
  const result = (stage: StageName) => run[RESULT_PATH[stage]] as Result | Result[] | undefined;
  const timings: Record<string, number> = {};
  for (const stage of STAGES) {
    const value = result(stage);
    // The backtest is the sum of its shards' compute time (they may run in parallel).
    const ms = Array.isArray(value) ? value.reduce((sum, shard) => sum + (shard.durationMs ?? 0), 0) : value?.durationMs;
    if (typeof ms === 'number') timings[stage] = ms;
  }
  // Config and data as the stages accepted them; a run that failed on a bad event keeps what it was given.
  let config: unknown = run.config;
  let data: RunManifest['data'] = null;
  try {
    config = parseRunConfig(run.config);
    const ref: DataRef = parseDataRef(run.data);
    data = describeData(ref, await deps.loadPrices(ref));
  } catch {
    // left as given / null: the failure is recorded below
  }
  const keys = runKeys(runId);
  // The shards' files are the backtest's intermediates, merged into results/ by select: not the run's artifacts.
  const artifacts = (await deps.store.list(keys.root)).filter((key) => key !== keys.manifest && !key.startsWith(`${keys.root}shards/`));
  const select = result('select') as Result | undefined;
  const validate = result('validate') as Result | undefined;
  const failedStage = STAGES.find((stage) => result(stage) === undefined) ?? 'finalize';
  const manifest: RunManifest = {
    runId, status: input.status, createdAt: new Date(input.startedAt).toISOString(), finishedAt: new Date().toISOString(),
    config, data, codeVersion: CODE_VERSION, timings, artifacts,
    ...(input.status === 'succeeded'
      ? { summary: runSummary(select as RunSummaryInputs[0], validate as RunSummaryInputs[1], String((config as { selectBy?: string }).selectBy)) }
      : { error: { stage: failedStage, message: errorMessage(run.error) } }),
  };
  await commitRun(deps.store, manifest);
  return { runId, status: input.status, manifestKey: keys.manifest, verdict: input.status === 'succeeded' ? String(validate?.verdict ?? '') : null };
}

export const finalizeStage: StageDefinition<FinalizeInput, FinalizeOutput> = { stage: 'finalize', parseEvent: parseFinalizeEvent, run: finalizeRun };
