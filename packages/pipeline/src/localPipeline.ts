// The local orchestrator: the five stages in order on one machine, with the same events the Lambdas get.
// Input problems are found before the run exists (nothing is written); a failure after that leaves the run
// marked failed in its manifest and latest.json untouched.
import {
  generateStrategies,
  splitWindows,
  type DataRef,
  type OverfittingReport,
  type RunConfig,
  type StageName,
} from '@overfit/core';
import { assertTradablePrices, cachedPriceLoader, type LoadedPrices } from '@overfit/data';
import {
  commitRun,
  getJson,
  newRunId,
  runKeys,
  type ArtifactStore,
  type RunDataDescription,
  type RunStatus,
  type SucceededRunManifest,
  type ValidationResults,
} from '@overfit/store';
import * as generate from '@overfit/stage-generate';
import * as backtest from '@overfit/stage-backtest';
import * as select from '@overfit/stage-select';
import * as validate from '@overfit/stage-validate';
import * as visualize from '@overfit/stage-visualize';
import { CODE_VERSION, describeData, runSummary } from './manifest';

/** The stage registry's names (@overfit/core), as the progress events and failed manifests name them. */
export type { StageName };

/**
 * What a run reports while it works: a stage starting, strategies backtested, and validate's own steps (`step` names
 * the part under way in words, e.g. "null markets"; `done` of `total` counts validate's work units as a whole).
 */
export type ProgressEvent =
  | { kind: 'stage'; stage: StageName }
  | { kind: 'backtest'; done: number; total: number }
  | { kind: 'validate'; step: string; done: number; total: number };

export interface LocalRunOptions {
  config: RunConfig;
  data: DataRef;
  store: ArtifactStore;
  loadPrices?: (ref: DataRef) => Promise<LoadedPrices>;
  onProgress?: (event: ProgressEvent) => void;
  runId?: string;
}

/** What a run returns to its caller (the CLI prints it): built by readRunSummary only, whichever engine ran it. */
export interface RunSummary {
  runId: string;
  store: string;
  data: RunDataDescription;
  config: RunConfig;
  eligible: number;
  results: ValidationResults;
  /** The statistics of the selection process (results/overfitting_report.json); absent from a run without one. */
  overfitting?: OverfittingReport;
  artifacts: string[];
  timings: Record<string, number>;
}

/** A succeeded run's summary: its manifest (written or about to be) and the two result documents it names. */
export async function readRunSummary(store: ArtifactStore, manifest: SucceededRunManifest): Promise<RunSummary> {
  const { runId } = manifest;
  const keys = runKeys(runId);
  const results = await getJson<ValidationResults>(store, keys.validationResults);
  const overfitting = await getJson<OverfittingReport>(store, keys.overfittingReport);
  // The finalize function describes the data unless it cannot load it again (then the manifest's data is null).
  if (!manifest.data) throw new Error(`run ${runId} succeeded, but its manifest does not describe its data`);
  return {
    runId,
    store: store.location,
    data: manifest.data,
    config: manifest.config,
    eligible: manifest.summary.eligible,
    results,
    overfitting,
    artifacts: manifest.artifacts,
    timings: manifest.timings,
  };
}

/** Pre-flight: bad data or a config the data cannot support fails here, before the run folder exists. */
export async function assertRunnable(
  config: RunConfig,
  data: DataRef,
  loadPrices: (ref: DataRef) => Promise<LoadedPrices>,
): Promise<LoadedPrices> {
  const prices = await loadPrices(data);
  const windows = splitWindows(prices.series.close.length, config.trainFraction);
  backtest.assertEnoughBars(
    generateStrategies({ count: config.strategies, seed: config.seed, families: config.families }),
    windows.training.end - windows.training.start,
    prices.source.path,
  );
  if (data.kind !== 'synthetic') assertTradablePrices(prices);
  return prices;
}

export async function runLocalPipeline(options: LocalRunOptions): Promise<RunSummary> {
  const { config, data, store } = options;
  // Through the run's store: a data set kept there (kind 'store') is read from where the run writes.
  const loadPrices = options.loadPrices ?? cachedPriceLoader(store);
  const progress = options.onProgress ?? (() => {});

  const prices = await assertRunnable(config, data, loadPrices);

  const runId = options.runId ?? newRunId();
  const createdAt = new Date().toISOString();
  const timings: Record<string, number> = {};
  const artifacts: string[] = [];
  const base = { runId, config, data };
  const manifest = <S extends RunStatus>(status: S) => ({
    runId,
    status,
    createdAt,
    finishedAt: new Date().toISOString(),
    config,
    data: describeData(data, prices),
    codeVersion: CODE_VERSION,
    timings,
    artifacts: [...artifacts].sort(),
  });

  let current: StageName = 'generate';
  const step = async <T>(stage: StageName, work: () => Promise<T>): Promise<T> => {
    current = stage;
    progress({ kind: 'stage', stage });
    const started = performance.now();
    const result = await work();
    timings[stage] = Math.round(performance.now() - started);
    return result;
  };

  try {
    const generated = await step('generate', () => generate.run(base, { store }));
    artifacts.push(generated.strategiesKey);
    const backtested = await step('backtest', () =>
      backtest.run(
        { ...base, strategiesKey: generated.strategiesKey },
        {
          store,
          loadPrices,
          onProgress: (done, total) => progress({ kind: 'backtest', done, total }),
        },
      ),
    );
    artifacts.push(backtested.trainingPerformanceKey, backtested.validationPerformanceKey, backtested.blockMomentsKey);
    const selected = await step('select', () =>
      select.run(
        { ...base, strategiesKey: generated.strategiesKey, trainingPerformanceKey: backtested.trainingPerformanceKey },
        { store },
      ),
    );
    artifacts.push(selected.bestStrategyKey);
    const validated = await step('validate', () =>
      validate.run(
        { ...base, ...generated, ...backtested, ...selected },
        {
          store,
          loadPrices,
          onProgress: (step, done, total) => progress({ kind: 'validate', step, done, total }),
        },
      ),
    );
    artifacts.push(validated.validationResultsKey, validated.overfittingReportKey);
    const visualized = await step('visualize', () =>
      visualize.run({ ...base, ...backtested, ...validated }, { store, loadPrices }),
    );
    artifacts.push(...visualized.plotKeys);

    const succeeded: SucceededRunManifest = {
      ...manifest('succeeded'),
      summary: runSummary(selected, validated, config.selectBy),
    };
    const summary = await readRunSummary(store, succeeded);
    await commitRun(store, succeeded);
    return summary;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await commitRun(store, { ...manifest('failed'), error: { stage: current, message } });
    throw error;
  }
}
