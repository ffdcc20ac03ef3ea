// What the dashboard takes from a run's manifest, without a store: the checks that make a manifest trusted, the
// row of the run list built from it, and the files of a run folder a browser may open.
import type { RunConfig } from '@overfit/core';
import { contentTypeOf, type RunManifest } from '@overfit/store';

export interface RunListItem {
  runId: string;
  status: RunManifest['status'] | 'queued' | 'running';
  createdAt: string;
  finishedAt: string | null;
  strategies: number | null;
  selectBy: string | null;
  dataSource: string | null;
  synthetic: boolean | null;
  /** The run's verdict level, its one-sentence headline and its tone (good / bad / neutral), from the manifest. */
  verdict: string | null;
  headline: string | null;
  tone: string | null;
  drop: number | null;
  bestId: string | null;
  error: string | null;
}

/** A run the list had to leave out, and why (said without the server's paths). */
export interface BrokenRun {
  /** The object that could not be read: runs/<id>/manifest.json or latest.json. */
  key: string;
  problem: string;
}

/** A run's manifest exists but is not one (not JSON, or not the shape a manifest has). */
export class BrokenManifestError extends Error {
  constructor(
    readonly runId: string,
    readonly problem: string,
  ) {
    super(`runs/${runId}/manifest.json ${problem}`);
    this.name = 'BrokenManifestError';
  }
}

/**
 * A relative path inside a run folder: no empty, "." or ".." segment, no "%" (encoded dots), known types only. The
 * artifact route takes only such paths, and a run's file list offers only such keys (an S3 key may hold anything).
 */
export const ARTIFACT_PATH = '^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/){0,4}[A-Za-z0-9_][A-Za-z0-9_.-]*\\.(?:png|csv|json)$';
export const ARTIFACT_PATH_RE = new RegExp(ARTIFACT_PATH);

export interface RunFile {
  /** Path inside the run folder, e.g. plots/equity_curve.png. */
  path: string;
  url: string;
  contentType: string;
}

export function fileOf(runId: string, path: string): RunFile {
  return { path, url: `/api/runs/${runId}/artifacts/${path}`, contentType: contentTypeOf(path) };
}

const MANIFEST_STATUSES: readonly string[] = ['succeeded', 'failed'];

/** The fields the dashboard relies on, checked: a manifest of another run, or of no known status, is broken. */
export function checkedManifest(value: unknown, runId: string): RunManifest {
  const fields =
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  if (!fields) throw new BrokenManifestError(runId, 'is not a JSON object');
  if (fields.runId !== runId)
    throw new BrokenManifestError(runId, `names another run (${JSON.stringify(fields.runId)?.slice(0, 80)})`);
  if (typeof fields.status !== 'string' || !MANIFEST_STATUSES.includes(fields.status)) {
    throw new BrokenManifestError(runId, `has no known status (${JSON.stringify(fields.status)?.slice(0, 80)})`);
  }
  if (typeof fields.createdAt !== 'string' || Number.isNaN(Date.parse(fields.createdAt)))
    throw new BrokenManifestError(runId, 'has no creation time');
  if (fields.finishedAt !== undefined && fields.finishedAt !== null && typeof fields.finishedAt !== 'string')
    throw new BrokenManifestError(runId, 'has a finish time that is not text');
  return value as RunManifest;
}

const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The run's settings: a succeeded run's are its validated RunConfig; a failed run's are whatever it was given (it may
 * have failed on them), so only an object is read, field by field.
 */
function settingsOf(manifest: RunManifest): Partial<Record<keyof RunConfig, unknown>> {
  if (manifest.status === 'succeeded') return manifest.config;
  return isRecord(manifest.config) ? manifest.config : {};
}

/**
 * A list row from a manifest. Its fields are read as RunManifest types them, each checked on the way: a stored file
 * may hold anything, and a field of the wrong type is shown as unknown (null), never as a 500.
 */
export function listItemOf(manifest: RunManifest): RunListItem {
  const settings = settingsOf(manifest);
  const { summary, data, error } = manifest;
  const strategies = numberOrNull(settings.strategies);
  return {
    runId: manifest.runId,
    status: manifest.status,
    createdAt: manifest.createdAt,
    finishedAt: textOrNull(manifest.finishedAt),
    strategies: strategies !== null && Number.isInteger(strategies) ? strategies : null,
    selectBy: textOrNull(settings.selectBy),
    dataSource: typeof data?.source === 'string' ? publicSource(data.source) : null,
    synthetic: typeof data?.synthetic === 'boolean' ? data.synthetic : null,
    verdict: textOrNull(summary?.verdict),
    headline: textOrNull(summary?.headline),
    tone: textOrNull(summary?.tone),
    drop: numberOrNull(summary?.drop),
    bestId: textOrNull(summary?.bestId),
    error: error ? `${textOrNull(error.stage) ?? 'unknown stage'}: ${textOrNull(error.message) ?? 'no message'}` : null,
  };
}

/**
 * A data source as a visitor may read it: a file's name and its read options, never where the server keeps it (a run
 * on a file records its absolute path: "/srv/data/btc.csv (lenient)" is shown as "btc.csv (lenient)").
 */
export function publicSource(source: string): string {
  if (!/^(?:\/|[A-Za-z]:[\\/])/.test(source)) return source;
  const options = source.endsWith(')') ? source.lastIndexOf(' (') : -1;
  const path = options > 0 ? source.slice(0, options) : source;
  return `${path.split(/[\\/]/).pop()}${options > 0 ? source.slice(options) : ''}`;
}

/** The manifest as the API shows it: its data source without the server's folders. */
export function publicManifest(manifest: RunManifest): RunManifest {
  const { data } = manifest;
  if (typeof data?.source !== 'string') return manifest;
  return { ...manifest, data: { ...data, source: publicSource(data.source) } };
}

/** A failed run's error as one line, "stage: message"; null for a run that succeeded. */
export function failureOf(manifest: Pick<RunManifest, 'error'>): string | null {
  return manifest.error ? `${manifest.error.stage}: ${manifest.error.message}` : null;
}

/** The run's minTrades setting (strategies with fewer training trades could not be selected); 0 when absent. */
export function minTradesOf(manifest: RunManifest): number {
  const value = settingsOf(manifest).minTrades;
  return typeof value === 'number' ? value : 0;
}
