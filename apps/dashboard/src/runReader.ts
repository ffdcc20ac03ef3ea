// Reads runs out of the artifact store for the API. A run is only trusted once its manifest exists (the
// pipeline writes it last), and from then on nothing in it changes, so manifests, run details and parsed strategy
// tables are cached by run id (bounded, least recently used first out). The run list reads the run folders' names
// and one manifest each, never every file of every run. A folder store is read refusing symbolic links (only
// regular files whose real path is inside the store); every key offered to the browser is checked like a URL path.
import { createHash } from 'node:crypto';
import { METRIC_NAMES, type MetricName, type MetricsTable, type RunConfig, type Strategy } from '@overfit/core';
import {
  ArtifactNotFoundError, contentTypeOf, getJson, LatestRunError, LocalStore, parsePerformanceTable, readLatestRunId, RUN_ID_PATTERN, runKeys,
  type ArtifactStore, type BestStrategyDocument, type RunManifest, type StrategiesDocument, type ValidationResults,
} from '@overfit/store';

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
  constructor(readonly runId: string, readonly problem: string) {
    super(`runs/${runId}/manifest.json ${problem}`);
    this.name = 'BrokenManifestError';
  }
}

/**
 * A relative path inside a run folder: no empty, "." or ".." segment, no "%" (encoded dots), known types only. The
 * artifact route takes only such paths, and a run's file list offers only such keys (an S3 key may hold anything).
 */
export const ARTIFACT_PATH = '^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/){0,4}[A-Za-z0-9_][A-Za-z0-9_.-]*\\.(?:png|csv|json)$';
const ARTIFACT_PATH_RE = new RegExp(ARTIFACT_PATH);

export interface RunFile {
  /** Path inside the run folder, e.g. plots/equity_curve.png. */
  path: string;
  url: string;
  contentType: string;
}

export interface RunDetail {
  manifest: RunManifest;
  validation: ValidationResults | null;
  best: BestStrategyDocument | null;
  /** results/overfitting_report.json when the run has one (PBO, DSR, SPA, …). */
  report: unknown;
  figures: RunFile[];
  files: RunFile[];
}

export type SortKey = 'id' | 'family' | 'direction' | MetricName;
export const SORT_KEYS: readonly SortKey[] = ['id', 'family', 'direction', ...METRIC_NAMES];

export interface StrategiesQuery {
  sort: SortKey;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
  family?: string;
  direction?: string;
  minTrades?: number;
}

type MetricValues = Record<MetricName, number | null>;

export interface StrategyRow {
  id: string;
  family: string;
  direction: string;
  params: Record<string, unknown>;
  training: MetricValues;
  /** Present when the run wrote validation_performance.csv. */
  validation?: MetricValues;
}

export interface StrategiesPage {
  total: number;
  matching: number;
  page: number;
  pageSize: number;
  pages: number;
  sort: SortKey;
  order: 'asc' | 'desc';
  bestId: string | null;
  /** Strategies with fewer training trades could not be selected. */
  minTrades: number;
  hasValidation: boolean;
  rows: StrategyRow[];
}

export interface Histogram {
  metric: MetricName;
  /** Equal-width bins over the defined values; `eligible` counts strategies with enough trades to be selected. */
  bins: { from: number; to: number; eligible: number; ineligible: number }[];
  /** Strategies whose value is undefined (no trades, flat returns). */
  undefinedCount: number;
  minTrades: number;
}

export interface Artifact {
  body: Buffer;
  contentType: string;
  etag: string;
  /** The run is committed: this object will never change. */
  immutable: boolean;
}

interface StrategyTable {
  strategies: Strategy[];
  training: MetricsTable;
  validation: MetricsTable | null;
  bestId: string | null;
}

const TABLE_CACHE_SIZE = 4;
const ARTIFACT_CACHE = { maxBytes: 64 * 1024 * 1024, maxItemBytes: 4 * 1024 * 1024 };
/** Committed runs' manifests (a few KB each) and details (tens of KB) kept in memory. */
export const MANIFEST_CACHE_SIZE = 10_000;
export const DETAIL_CACHE_SIZE = 200;

/** A map that keeps at most `max` entries, dropping the least recently used. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly max: number) {}
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  delete(key: K): void {
    this.map.delete(key);
  }
}

export class RunReader {
  private readonly store: ArtifactStore;
  private readonly manifests = new Lru<string, RunManifest>(MANIFEST_CACHE_SIZE);
  private readonly details = new Lru<string, Promise<RunDetail>>(DETAIL_CACHE_SIZE);
  private readonly tables = new Map<string, Promise<StrategyTable>>();
  /** Files of committed runs, least recently used first, at most ARTIFACT_CACHE.maxBytes in all. */
  private readonly artifacts = new Map<string, Artifact>();
  private artifactBytes = 0;

  constructor(store: ArtifactStore) {
    // Unpacking someone's run archive into the store must not expose the machine: no symbolic link is followed.
    this.store = store instanceof LocalStore ? store.refusingLinks() : store;
  }

  /**
   * Every committed run (succeeded or failed), newest first, and the runs whose manifest cannot be read (left
   * out of the list, reported apart: one damaged run must not hide the others). Reads one manifest per run
   * folder, and only those not yet cached.
   */
  async listRuns(): Promise<{ runs: RunListItem[]; broken: BrokenRun[] }> {
    const ids = (await this.runIds()).filter((id) => RUN_ID_PATTERN.test(id));
    const broken: BrokenRun[] = [];
    const manifests = await Promise.all(ids.map(async (id) => {
      try {
        return await this.manifest(id);
      } catch (error) {
        if (!(error instanceof BrokenManifestError)) throw error;
        broken.push({ key: `runs/${id}/manifest.json`, problem: error.problem });
        return null;
      }
    }));
    const runs = manifests
      .filter((m): m is RunManifest => m !== null)
      .map(listItemOf)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.runId < b.runId ? 1 : -1));
    return { runs, broken: broken.sort((a, b) => (a.key < b.key ? -1 : 1)) };
  }

  /** The run folders' names: one directory listing when the store can, otherwise the manifests' keys. */
  private async runIds(): Promise<string[]> {
    if (this.store.listFolders) return this.store.listFolders('runs/');
    return (await this.store.list('runs/'))
      .map((key) => /^runs\/([^/]+)\/manifest\.json$/.exec(key)?.[1])
      .filter((id): id is string => id !== undefined);
  }

  /** The run latest.json names, or null (none yet, or a latest.json that names no run: then `problem` says so). */
  async latest(): Promise<{ runId: string | null; problem: BrokenRun | null }> {
    try {
      return { runId: await readLatestRunId(this.store), problem: null };
    } catch (error) {
      if (!(error instanceof LatestRunError)) throw error;
      return { runId: null, problem: { key: 'latest.json', problem: 'does not name a run' } };
    }
  }

  /**
   * The run's manifest, or null while the run is unknown or still being written; a BrokenManifestError when it
   * exists but is not a manifest of this run.
   */
  async manifest(runId: string): Promise<RunManifest | null> {
    const cached = this.manifests.get(runId);
    if (cached) return cached;
    let bytes: Buffer;
    try {
      bytes = await this.store.get(runKeys(runId).manifest);
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) return null;
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new BrokenManifestError(runId, 'is not valid JSON');
    }
    const manifest = checkedManifest(value, runId);
    // Committed (succeeded or failed): it never changes again.
    this.manifests.set(runId, manifest);
    return manifest;
  }

  /** The run's manifest, results and file list; cached, since a committed run never changes. */
  async detail(runId: string): Promise<RunDetail | null> {
    const cached = this.details.get(runId);
    if (cached) return cached;
    const manifest = await this.manifest(runId);
    if (!manifest) return null;
    const loading = this.loadDetail(runId, manifest);
    this.details.set(runId, loading);
    loading.catch(() => this.details.delete(runId));
    return loading;
  }

  private async loadDetail(runId: string, manifest: RunManifest): Promise<RunDetail> {
    const keys = runKeys(runId);
    const [validation, best, report, stored] = await Promise.all([
      this.optionalJson<ValidationResults>(keys.validationResults),
      this.optionalJson<BestStrategyDocument>(keys.bestStrategy),
      this.optionalJson<unknown>(keys.overfittingReport),
      this.store.list(keys.root),
    ]);
    // What a person may want to open: not the manifest (it is `manifest` above), binary moments, or the per-shard
    // intermediates of a sharded backtest (merged into the run-level files by the select stage).
    const files = stored
      .map((key) => key.slice(keys.root.length))
      .filter((path) => path !== 'manifest.json' && !path.endsWith('.bin') && !path.startsWith('shards/') && ARTIFACT_PATH_RE.test(path))
      .map((path) => fileOf(runId, path));
    return { manifest, validation, best, report, figures: files.filter((f) => f.contentType === 'image/png'), files };
  }

  /** One page of the run's strategies with their training (and, when present, validation) metrics. */
  async strategies(runId: string, query: StrategiesQuery): Promise<StrategiesPage | null> {
    const manifest = await this.manifest(runId);
    if (!manifest || !(await this.store.exists(runKeys(runId).trainingPerformance))) return null;
    const table = await this.table(runId);
    const { strategies, training } = table;

    let rows = strategies.map((_, i) => i);
    if (query.family !== undefined) rows = rows.filter((i) => strategies[i].family === query.family);
    if (query.direction !== undefined) rows = rows.filter((i) => strategies[i].direction === query.direction);
    if (query.minTrades !== undefined) {
      const trades = training.columns.trades;
      rows = rows.filter((i) => trades[i] >= (query.minTrades as number));
    }
    rows.sort(comparator(table, query.sort, query.order));

    const pages = Math.max(1, Math.ceil(rows.length / query.pageSize));
    const start = (query.page - 1) * query.pageSize;
    return {
      total: strategies.length,
      matching: rows.length,
      page: query.page,
      pageSize: query.pageSize,
      pages,
      sort: query.sort,
      order: query.order,
      bestId: table.bestId,
      minTrades: (manifest.config as Partial<RunConfig>).minTrades ?? 0,
      hasValidation: table.validation !== null,
      rows: rows.slice(start, start + query.pageSize).map((i) => rowOf(table, i)),
    };
  }

  /** How the run's strategies spread on one training metric: the picture of how the best stands out by luck. */
  async histogram(runId: string, metric: MetricName, binCount: number): Promise<Histogram | null> {
    const manifest = await this.manifest(runId);
    if (!manifest || !(await this.store.exists(runKeys(runId).trainingPerformance))) return null;
    const { training } = await this.table(runId);
    const minTrades = (manifest.config as Partial<RunConfig>).minTrades ?? 0;
    const values = training.columns[metric];
    const trades = training.columns.trades;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    let undefinedCount = 0;
    if (lo === Infinity) return { metric, bins: [], undefinedCount: values.length, minTrades };
    const width = hi > lo ? (hi - lo) / binCount : 1;
    const bins = Array.from({ length: hi > lo ? binCount : 1 }, (_, b) => ({ from: lo + b * width, to: lo + (b + 1) * width, eligible: 0, ineligible: 0 }));
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        undefinedCount += 1;
        return;
      }
      const bin = bins[Math.min(bins.length - 1, Math.floor((v - lo) / width))];
      if (trades[i] >= minTrades) bin.eligible += 1;
      else bin.ineligible += 1;
    });
    return { metric, bins, undefinedCount, minTrades };
  }

  /** An object under runs/<runId>/, or null when it does not exist. `path` must already be validated. */
  async artifact(runId: string, path: string): Promise<Artifact | null> {
    if (!ARTIFACT_PATH_RE.test(path)) return null;
    const key = `${runKeys(runId).root}${path}`;
    const cached = this.artifacts.get(key);
    if (cached) {
      this.artifacts.delete(key);
      this.artifacts.set(key, cached);
      return cached;
    }
    let body: Buffer;
    try {
      body = await this.store.get(key);
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) return null;
      throw error;
    }
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    const artifact = { body, contentType: contentTypeOf(key), etag, immutable: (await this.manifest(runId).catch(() => null)) !== null };
    if (artifact.immutable) this.remember(key, artifact);
    return artifact;
  }

  /** Keep a committed run's file in memory (they never change): a figure is read from S3 once, not per visitor. */
  private remember(key: string, artifact: Artifact): void {
    if (artifact.body.length > ARTIFACT_CACHE.maxItemBytes || this.artifacts.has(key)) return;
    this.artifacts.set(key, artifact);
    this.artifactBytes += artifact.body.length;
    for (const [oldKey, old] of this.artifacts) {
      if (this.artifactBytes <= ARTIFACT_CACHE.maxBytes) break;
      this.artifacts.delete(oldKey);
      this.artifactBytes -= old.body.length;
    }
  }

  private async optionalJson<T>(key: string): Promise<T | null> {
    try {
      return await getJson<T>(this.store, key);
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) return null;
      throw error;
    }
  }

  private table(runId: string): Promise<StrategyTable> {
    const cached = this.tables.get(runId);
    if (cached) {
      // Refresh its place: the map's order is the eviction order.
      this.tables.delete(runId);
      this.tables.set(runId, cached);
      return cached;
    }
    const loading = this.loadTable(runId);
    this.tables.set(runId, loading);
    loading.catch(() => this.tables.delete(runId));
    while (this.tables.size > TABLE_CACHE_SIZE) this.tables.delete(this.tables.keys().next().value as string);
    return loading;
  }

  private async loadTable(runId: string): Promise<StrategyTable> {
    const keys = runKeys(runId);
    const [document, trainingCsv, validationCsv, best] = await Promise.all([
      getJson<StrategiesDocument>(this.store, keys.strategies),
      this.store.get(keys.trainingPerformance),
      this.store.get(keys.validationPerformance).catch((error: unknown) => {
        if (error instanceof ArtifactNotFoundError) return null;
        throw error;
      }),
      this.optionalJson<BestStrategyDocument>(keys.bestStrategy),
    ]);
    const training = parsePerformanceTable(trainingCsv.toString('utf8'), keys.trainingPerformance);
    const validation = validationCsv ? parsePerformanceTable(validationCsv.toString('utf8'), keys.validationPerformance) : null;
    const byId = new Map(document.strategies.map((s) => [s.id, s]));
    const strategies = training.ids.map((id) => {
      const strategy = byId.get(id);
      if (!strategy) throw new Error(`run ${runId}: strategy ${id} is in training_performance.csv but not in strategies.json`);
      return strategy;
    });
    if (validation && validation.ids.some((id, i) => id !== training.ids[i])) {
      throw new Error(`run ${runId}: validation_performance.csv rows are not in the order of training_performance.csv`);
    }
    return { strategies, training, validation, bestId: best?.strategy.id ?? null };
  }
}

const MANIFEST_STATUSES: readonly string[] = ['succeeded', 'failed'];

/** The fields the dashboard relies on, checked: a manifest of another run, or of no known status, is broken. */
function checkedManifest(value: unknown, runId: string): RunManifest {
  const fields = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  if (!fields) throw new BrokenManifestError(runId, 'is not a JSON object');
  if (fields.runId !== runId) throw new BrokenManifestError(runId, `names another run (${JSON.stringify(fields.runId)?.slice(0, 80)})`);
  if (typeof fields.status !== 'string' || !MANIFEST_STATUSES.includes(fields.status)) {
    throw new BrokenManifestError(runId, `has no known status (${JSON.stringify(fields.status)?.slice(0, 80)})`);
  }
  if (typeof fields.createdAt !== 'string' || Number.isNaN(Date.parse(fields.createdAt))) throw new BrokenManifestError(runId, 'has no creation time');
  if (fields.finishedAt !== undefined && fields.finishedAt !== null && typeof fields.finishedAt !== 'string') throw new BrokenManifestError(runId, 'has a finish time that is not text');
  return value as RunManifest;
}

const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const recordOf = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A list row from a manifest; any field of the wrong type is shown as unknown (null), never as a 500. */
function listItemOf(manifest: RunManifest): RunListItem {
  const config = recordOf(manifest.config);
  const summary = recordOf(manifest.summary);
  const data = recordOf(manifest.data);
  const error = recordOf(manifest.error);
  const strategies = numberOrNull(config.strategies);
  return {
    runId: manifest.runId,
    status: manifest.status,
    createdAt: manifest.createdAt,
    finishedAt: textOrNull(manifest.finishedAt),
    strategies: strategies !== null && Number.isInteger(strategies) ? strategies : null,
    selectBy: textOrNull(config.selectBy),
    dataSource: textOrNull(data.source),
    synthetic: typeof data.synthetic === 'boolean' ? data.synthetic : null,
    verdict: textOrNull(summary.verdict),
    headline: textOrNull(summary.headline),
    tone: textOrNull(summary.tone),
    drop: numberOrNull(summary.drop),
    bestId: textOrNull(summary.bestId),
    error: manifest.error ? `${textOrNull(error.stage) ?? 'unknown stage'}: ${textOrNull(error.message) ?? 'no message'}` : null,
  };
}

function fileOf(runId: string, path: string): RunFile {
  return { path, url: `/api/runs/${runId}/artifacts/${path}`, contentType: contentTypeOf(path) };
}

const finiteOrNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

function metricsOf(table: MetricsTable, i: number): MetricValues {
  return Object.fromEntries(METRIC_NAMES.map((m) => [m, finiteOrNull(table.columns[m][i])])) as MetricValues;
}

function rowOf(table: StrategyTable, i: number): StrategyRow {
  const { id, family, direction, ...params } = table.strategies[i];
  const row: StrategyRow = { id, family, direction, params, training: metricsOf(table.training, i) };
  if (table.validation) row.validation = metricsOf(table.validation, i);
  return row;
}

/** Sort by the key, then by id; an undefined metric (NaN) goes last in either order. */
function comparator(table: StrategyTable, sort: SortKey, order: 'asc' | 'desc'): (a: number, b: number) => number {
  const sign = order === 'asc' ? 1 : -1;
  const { strategies } = table;
  const byId = (a: number, b: number) => (strategies[a].id < strategies[b].id ? -1 : strategies[a].id > strategies[b].id ? 1 : 0);
  if (sort === 'id') return (a, b) => sign * byId(a, b);
  if (sort === 'family' || sort === 'direction') {
    return (a, b) => {
      const x = strategies[a][sort];
      const y = strategies[b][sort];
      return x === y ? byId(a, b) : sign * (x < y ? -1 : 1);
    };
  }
  const column = table.training.columns[sort];
  return (a, b) => {
    const x = column[a];
    const y = column[b];
    const xMissing = Number.isNaN(x);
    const yMissing = Number.isNaN(y);
    if (xMissing || yMissing) return xMissing === yMissing ? byId(a, b) : xMissing ? 1 : -1;
    return x === y ? byId(a, b) : sign * (x < y ? -1 : 1);
  };
}
