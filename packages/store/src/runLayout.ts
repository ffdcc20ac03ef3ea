// Where a run's artifacts live. Every run writes only under runs/<runId>/; it is committed by writing its
// manifest last and then pointing latest.json at it, so a reader never sees a half-written run.
import { randomBytes } from 'node:crypto';
import { CorruptArtifactError, RUN_ID_SCHEMA, type RunConfig, type SelectionMetric } from '@overfit/core';
import { getJson, putJson, type ArtifactStore } from './artifactStore';

export const LATEST_KEY = 'latest.json';
/** A run id: letters, digits, "_" and "-", at most 64 (the stage events' contract). */
export const RUN_ID_PATTERN = new RegExp(RUN_ID_SCHEMA.pattern as string);

export function assertValidRunId(runId: string): void {
  if (!RUN_ID_PATTERN.test(runId))
    throw new Error(`invalid run id "${runId}": letters, digits, "_" and "-", at most 64`);
}

/** A sortable, unique id: UTC time to the second plus 6 random hex digits, e.g. 20261124T031500Z-a1b2c3. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function runKeys(runId: string) {
  assertValidRunId(runId);
  const root = `runs/${runId}`;
  return {
    root: `${root}/`,
    strategies: `${root}/strategies/strategies.json`,
    trainingPerformance: `${root}/results/training_performance.csv`,
    validationPerformance: `${root}/results/validation_performance.csv`,
    blockMoments: `${root}/results/block_moments.bin`,
    bestStrategy: `${root}/results/best_strategy.json`,
    validationResults: `${root}/results/validation_results.json`,
    overfittingReport: `${root}/results/overfitting_report.json`,
    /** The histogram of a run that selects by win rate (the default); see histogramKey for any selection metric. */
    winRateHistogram: `${root}/plots/${histogramName('win_rate')}`,
    performanceComparison: `${root}/plots/performance_comparison.png`,
    equityCurve: `${root}/plots/equity_curve.png`,
    isVsOosScatter: `${root}/plots/is_vs_oos_scatter.png`,
    pboLogits: `${root}/plots/pbo_logits.png`,
    expectedMaxSharpe: `${root}/plots/expected_max_sharpe.png`,
    walkForwardEquity: `${root}/plots/walk_forward_equity.png`,
    manifest: `${root}/manifest.json`,
  };
}
export type RunKeys = ReturnType<typeof runKeys>;

/** The histogram of the selection metric is named after it: sharpe_histogram.png, win_rate_histogram.png. */
export const histogramName = (selectBy: SelectionMetric): string => `${selectBy}_histogram.png`;

/** Where a run's histogram of its selection metric lives (runs before this wrote win_rate_histogram.png always). */
export const histogramKey = (runId: string, selectBy: SelectionMetric): string =>
  `${runKeys(runId).root}plots/${histogramName(selectBy)}`;

export type RunStatus = 'succeeded' | 'failed';

/** The manifest's description of the run's data. */
export interface RunDataDescription {
  source: string;
  synthetic: boolean;
  sha256: string;
  rows: number;
  first: string;
  last: string;
  barSeconds: number;
  /** Rows a lenient read left out: how many, and the first 100 with line, kind and reason. */
  dropped?: { count: number; rows: { line: number; kind: string; reason: string }[] };
}

interface RunManifestCommon {
  runId: string;
  createdAt: string;
  finishedAt: string;
  codeVersion: string;
  /** Wall time of each stage in milliseconds, in execution order. */
  timings: Record<string, number>;
  /** Keys of every artifact the run wrote (manifest excluded). */
  artifacts: string[];
}

/** runs/<id>/manifest.json of a run that finished: its verdict in `summary`. */
export interface SucceededRunManifest extends RunManifestCommon {
  status: 'succeeded';
  /** The validated run configuration, as the stages received it. */
  config: RunConfig;
  data: RunDataDescription | null;
  summary: RunSummaryRecord;
  error?: undefined;
}

/** runs/<id>/manifest.json of a run that failed: which stage, and why. */
export interface FailedRunManifest extends RunManifestCommon {
  status: 'failed';
  /** The run configuration as the stages accepted it; as it was given when the run failed on the event itself. */
  config: unknown;
  /** Null when the run failed before its data was described. */
  data: RunDataDescription | null;
  error: { stage: string; message: string };
  summary?: undefined;
}

export type RunManifest = SucceededRunManifest | FailedRunManifest;

/** A succeeded run's verdict and selection, in its manifest: what the run list shows without opening the run. */
export interface RunSummaryRecord {
  bestId: string;
  eligible: number;
  selectBy: string;
  /** overfitting_report.json's verdict level, headline and tone. */
  verdict: string;
  headline: string;
  tone: string;
  /** The selection metric's relative fall from training to validation. */
  drop: number | null;
}

/**
 * Commit a run: the manifest goes last among the run's objects, then latest.json moves to it, but only for a
 * run that succeeded. A failed run keeps its manifest (status "failed") and never becomes latest. When a failed
 * run's manifest cannot be written (the disk that failed the run is still full), the error thrown says the run's
 * own failure first, from the manifest, and the write's failure after it (its `cause`): never the write alone.
 */
export async function commitRun(store: ArtifactStore, manifest: RunManifest): Promise<void> {
  try {
    await putJson(store, runKeys(manifest.runId).manifest, manifest);
  } catch (writeError) {
    if (manifest.status !== 'failed' || !manifest.error) throw writeError;
    throw runFailedError(manifest, manifest.error.message, writeError, writeError);
  }
  if (manifest.status === 'succeeded') await putJson(store, LATEST_KEY, { runId: manifest.runId });
}

/** A run failed, and its failed manifest could not be written either. */
export class RunFailedError extends Error {
  constructor(
    message: string,
    readonly writeError: unknown,
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = 'RunFailedError';
  }
}

function runFailedError(manifest: RunManifest, said: string, writeError: unknown, cause: unknown): RunFailedError {
  const stage = manifest.error?.stage ? `${manifest.error.stage}: ` : '';
  const write = writeError instanceof Error ? writeError.message : String(writeError);
  return new RunFailedError(
    `${stage}${said} (and run ${manifest.runId} could not be marked failed: ${write})`,
    writeError,
    cause,
  );
}

/**
 * A failed run's manifest, written after the failure `failure`; returns what the caller should throw: the
 * failure itself, or, when the manifest cannot be written either, a RunFailedError that says the failure first
 * and has it as `cause` (the write's error is said after it, and kept as `writeError`).
 *   } catch (error) { throw await recordFailedRun(store, manifest('failed', …), error); }
 */
export async function recordFailedRun(store: ArtifactStore, manifest: RunManifest, failure: unknown): Promise<unknown> {
  try {
    await putJson(store, runKeys(manifest.runId).manifest, manifest);
    return failure;
  } catch (writeError) {
    return runFailedError(manifest, failure instanceof Error ? failure.message : String(failure), writeError, failure);
  }
}

/** latest.json does not hold `{ "runId": "<a run id>" }`. */
export class LatestRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LatestRunError';
  }
}

/**
 * The run latest.json names, or null when there is none yet; a latest.json that names no valid run id is a
 * LatestRunError.
 */
export async function readLatestRunId(store: ArtifactStore): Promise<string | null> {
  if (!(await store.exists(LATEST_KEY))) return null;
  let value: unknown;
  try {
    value = await getJson<unknown>(store, LATEST_KEY);
  } catch (error) {
    if (error instanceof CorruptArtifactError)
      throw new LatestRunError(`${LATEST_KEY} in ${store.location} is not valid JSON`);
    throw error;
  }
  const runId = (value as { runId?: unknown } | null)?.runId;
  if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) {
    throw new LatestRunError(
      `${LATEST_KEY} in ${store.location} does not name a run (runId is ${JSON.stringify(runId)?.slice(0, 80)})`,
    );
  }
  return runId;
}
