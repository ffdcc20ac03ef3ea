// Reads runs out of the artifact store for the API. A run is only trusted once its manifest exists (the pipeline
// writes it last), and from then on nothing in it changes, so what is read of a committed run is kept in one
// bounded cache (runCache.ts). The run list reads the run folders' names and one manifest each, never every file
// of every run. A folder store is read refusing symbolic links (only regular files whose real path is inside the
// store); every key offered to the browser is checked like a URL path. What the pipeline wrote but cannot be read
// back is a CorruptArtifactError (the server's fault, not the client's). Paging and binning are in runTable.ts.
import { createHash } from 'node:crypto';
import { CorruptArtifactError, METRIC_NAMES, type MetricName } from '@overfit/core';
import {
  ArtifactNotFoundError,
  contentTypeOf,
  LatestRunError,
  LocalStore,
  parseJsonDocument,
  parsePerformanceTable,
  readLatestRunId,
  RUN_ID_PATTERN,
  runKeys,
  type ArtifactStore,
  type BestStrategyDocument,
  type RunManifest,
  type StrategiesDocument,
  type ValidationResults,
} from '@overfit/store';
import { RunCache } from './runCache';
import {
  ARTIFACT_PATH_RE,
  BrokenManifestError,
  checkedManifest,
  fileOf,
  listItemOf,
  minTradesOf,
  publicManifest,
  type BrokenRun,
  type RunFile,
  type RunListItem,
} from './runManifest';
import {
  histogramOf,
  strategiesPage,
  type Histogram,
  type StrategiesPage,
  type StrategiesQuery,
  type StrategyTable,
} from './runTable';

export interface RunDetail {
  manifest: RunManifest;
  validation: ValidationResults | null;
  best: BestStrategyDocument | null;
  /** results/overfitting_report.json when the run has one (PBO, DSR, SPA, …). */
  report: unknown;
  figures: RunFile[];
  files: RunFile[];
}

export interface Artifact {
  body: Buffer;
  contentType: string;
  /** A digest of the body: the same file always has the same tag, a changed one another. */
  etag: string;
  /** The run is committed: this object will never change. */
  immutable: boolean;
}

/** A committed run's file above this is served from the store each time rather than kept in memory. */
const MAX_KEPT_ARTIFACT_BYTES = 4 * 1024 * 1024;

export class RunReader {
  private readonly store: ArtifactStore;

  constructor(
    store: ArtifactStore,
    private readonly cache = new RunCache(),
  ) {
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
    const manifests = await Promise.all(
      ids.map(async (id) => {
        try {
          return await this.manifest(id);
        } catch (error) {
          if (!(error instanceof BrokenManifestError)) throw error;
          broken.push({ key: `runs/${id}/manifest.json`, problem: error.problem });
          return null;
        }
      }),
    );
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
  manifest(runId: string): Promise<RunManifest | null> {
    return this.cache.get(`manifest:${runId}`, async () => {
      const bytes = await this.optional(runKeys(runId).manifest);
      if (!bytes) return { value: null, bytes: null };
      let value: unknown;
      try {
        value = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new BrokenManifestError(runId, 'is not valid JSON');
      }
      // Committed (succeeded or failed): it never changes again.
      return { value: checkedManifest(value, runId), bytes: bytes.length };
    });
  }

  /** The run's manifest, results and file list, or null before the run is committed. */
  async detail(runId: string): Promise<RunDetail | null> {
    const manifest = await this.manifest(runId);
    if (!manifest) return null;
    return this.cache.get(`detail:${runId}`, async () => {
      const detail = await this.loadDetail(runId, manifest);
      return { value: detail, bytes: JSON.stringify(detail).length };
    });
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
      .filter(
        (path) =>
          path !== 'manifest.json' &&
          !path.endsWith('.bin') &&
          !path.startsWith('shards/') &&
          ARTIFACT_PATH_RE.test(path),
      )
      .map((path) => fileOf(runId, path));
    const figures = files.filter((f) => f.contentType === 'image/png');
    return { manifest: publicManifest(manifest), validation, best, report, figures, files };
  }

  /** One page of the run's strategies with their training (and, when present, validation) metrics. */
  async strategies(runId: string, query: StrategiesQuery): Promise<StrategiesPage | null> {
    const run = await this.committedTable(runId);
    return run && strategiesPage(run.table, query, minTradesOf(run.manifest));
  }

  /** How the run's strategies spread on one training metric. */
  async histogram(runId: string, metric: MetricName, binCount: number): Promise<Histogram | null> {
    const run = await this.committedTable(runId);
    return run && histogramOf(run.table.training, metric, binCount, minTradesOf(run.manifest));
  }

  /** An object under runs/<runId>/, or null when it does not exist. `path` must already be validated. */
  async artifact(runId: string, path: string): Promise<Artifact | null> {
    if (!ARTIFACT_PATH_RE.test(path)) return null;
    const key = `${runKeys(runId).root}${path}`;
    return this.cache.get(`artifact:${key}`, async () => {
      const body = await this.optional(key);
      if (!body) return { value: null, bytes: null };
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      const immutable = (await this.manifest(runId).catch(() => null)) !== null;
      // A committed run's file is read from S3 once, not per visitor; a run being written may still change it.
      const keep = immutable && body.length <= MAX_KEPT_ARTIFACT_BYTES;
      return { value: { body, contentType: contentTypeOf(key), etag, immutable }, bytes: keep ? body.length : null };
    });
  }

  /** The manifest and strategy table of a committed run that has strategies, or null. */
  private async committedTable(runId: string): Promise<{ manifest: RunManifest; table: StrategyTable } | null> {
    const manifest = await this.manifest(runId);
    if (!manifest || !(await this.store.exists(runKeys(runId).trainingPerformance))) return null;
    const table = await this.cache.get(`table:${runId}`, async () => {
      const loaded = await this.loadTable(runId);
      const columns = METRIC_NAMES.length * (loaded.validation ? 2 : 1);
      return { value: loaded, bytes: loaded.strategies.length * (columns * 8 + 256) };
    });
    return { manifest, table };
  }

  private async loadTable(runId: string): Promise<StrategyTable> {
    const keys = runKeys(runId);
    const [document, trainingCsv, validationCsv, best] = await Promise.all([
      this.optionalJson<StrategiesDocument>(keys.strategies),
      this.store.get(keys.trainingPerformance),
      this.optional(keys.validationPerformance),
      this.optionalJson<BestStrategyDocument>(keys.bestStrategy),
    ]);
    if (!document)
      throw new CorruptArtifactError(keys.strategies, 'is missing, though training_performance.csv is there');
    const training = parsePerformanceTable(trainingCsv.toString('utf8'), keys.trainingPerformance);
    const validation = validationCsv
      ? parsePerformanceTable(validationCsv.toString('utf8'), keys.validationPerformance)
      : null;
    const byId = new Map(document.strategies.map((s) => [s.id, s]));
    const strategies = training.ids.map((id) => {
      const strategy = byId.get(id);
      if (!strategy)
        throw new CorruptArtifactError(keys.trainingPerformance, `strategy ${id} is not in strategies.json`);
      return strategy;
    });
    if (validation?.ids.some((id, i) => id !== training.ids[i])) {
      throw new CorruptArtifactError(
        keys.validationPerformance,
        'its rows are not in the order of training_performance.csv',
      );
    }
    return { strategies, training, validation, bestId: best?.strategy.id ?? null };
  }

  /** The object's bytes, or null when there is none. */
  private async optional(key: string): Promise<Buffer | null> {
    try {
      return await this.store.get(key);
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) return null;
      throw error;
    }
  }

  private async optionalJson<T>(key: string): Promise<T | null> {
    const bytes = await this.optional(key);
    return bytes && parsed(key, () => parseJsonDocument<T>(bytes.toString('utf8')));
  }
}

/** A stored artifact that does not parse is corrupt: the pipeline wrote it, the client asked nothing wrong. */
function parsed<T>(key: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CorruptArtifactError) throw error;
    throw new CorruptArtifactError(key, error instanceof Error ? error.message : String(error), { cause: error });
  }
}
