// Reads runs out of the artifact store for the API. A run is only trusted once its manifest exists (the
// pipeline writes it last), and from then on nothing in it changes, so manifests and parsed strategy tables are
// cached by run id.
import { createHash } from 'node:crypto';
import { METRIC_NAMES, type MetricName, type MetricsTable, type RunConfig, type Strategy } from '@overfit/core';
import {
  ArtifactNotFoundError, contentTypeOf, getJson, parseTrainingPerformance, readLatestRunId, runKeys,
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
  verdict: string | null;
  drop: number | null;
  bestId: string | null;
  error: string | null;
}

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

export class RunReader {
  private readonly manifests = new Map<string, RunManifest>();
  private readonly tables = new Map<string, Promise<StrategyTable>>();
  /** Files of committed runs, least recently used first, at most ARTIFACT_CACHE.maxBytes in all. */
  private readonly artifacts = new Map<string, Artifact>();
  private artifactBytes = 0;

  constructor(private readonly store: ArtifactStore) {}

  /** Every committed run (succeeded or failed), newest first. */
  async listRuns(): Promise<RunListItem[]> {
    const keys = await this.store.list('runs/');
    const ids = keys
      .map((key) => /^runs\/([^/]+)\/manifest\.json$/.exec(key)?.[1])
      .filter((id): id is string => id !== undefined);
    const manifests = await Promise.all(ids.map((id) => this.manifest(id)));
    return manifests
      .filter((m): m is RunManifest => m !== null)
      .map(listItemOf)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.runId < b.runId ? 1 : -1));
  }

  latestRunId(): Promise<string | null> {
    return readLatestRunId(this.store);
  }

  /** The run's manifest, or null while the run is unknown or still being written. */
  async manifest(runId: string): Promise<RunManifest | null> {
    const cached = this.manifests.get(runId);
    if (cached) return cached;
    const manifest = await this.optionalJson<RunManifest>(runKeys(runId).manifest);
    if (manifest) this.manifests.set(runId, manifest);
    return manifest;
  }

  async detail(runId: string): Promise<RunDetail | null> {
    const manifest = await this.manifest(runId);
    if (!manifest) return null;
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
      .filter((path) => path !== 'manifest.json' && !path.endsWith('.bin') && !path.startsWith('shards/'))
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
    const artifact = { body, contentType: contentTypeOf(key), etag, immutable: (await this.manifest(runId)) !== null };
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
    const training = parseTrainingPerformance(trainingCsv.toString('utf8'));
    const validation = validationCsv ? parseTrainingPerformance(validationCsv.toString('utf8')) : null;
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

function listItemOf(manifest: RunManifest): RunListItem {
  const config = (manifest.config ?? {}) as Partial<RunConfig>;
  const summary = (manifest.summary ?? {}) as { verdict?: string; drop?: number | null; bestId?: string };
  return {
    runId: manifest.runId,
    status: manifest.status,
    createdAt: manifest.createdAt,
    finishedAt: manifest.finishedAt,
    strategies: config.strategies ?? null,
    selectBy: config.selectBy ?? null,
    dataSource: manifest.data?.source ?? null,
    synthetic: manifest.data?.synthetic ?? null,
    verdict: summary.verdict ?? null,
    drop: summary.drop ?? null,
    bestId: summary.bestId ?? null,
    error: manifest.error ? `${manifest.error.stage}: ${manifest.error.message}` : null,
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
