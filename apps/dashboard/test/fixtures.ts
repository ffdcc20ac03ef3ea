// A real store for the tests: one small run made by the real pipeline, plus a run that failed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunConfig, type DataRef, type RunConfig } from '@overfit/core';
import { runLocalPipeline } from '@overfit/pipeline';
import { commitRun, LocalStore, type RunManifest } from '@overfit/store';
import type { RunLauncher, RunProgress, RunRequest } from '../src/runLauncher';

export const SMALL_MARKET: DataRef = { kind: 'synthetic', bars: 3_000, seed: 7, intervalSeconds: 3600 };
export const GOOD_RUN = '20260101T000000Z-aaaaaa';
export const FAILED_RUN = '20260102T000000Z-bbbbbb';

/** A run configuration for tests: no null-market control (it repeats the search; these tests need not wait). */
export function quickConfig(fields: Record<string, unknown>): RunConfig {
  return parseRunConfig({ ...fields, nullMarkets: 0 });
}

export interface Fixture {
  dir: string;
  store: LocalStore;
  cleanUp: () => Promise<void>;
}

/** A store with nothing in it, as before the first `npm run demo`. */
export async function makeEmptyFixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'dashboard-empty-'));
  return { dir, store: new LocalStore(dir), cleanUp: () => rm(dir, { recursive: true, force: true }) };
}

export async function makeFixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'dashboard-test-'));
  const store = new LocalStore(dir);
  await runLocalPipeline({ config: quickConfig({ strategies: 120, seed: 3 }), data: SMALL_MARKET, store, runId: GOOD_RUN });
  const failed: RunManifest = {
    runId: FAILED_RUN, status: 'failed', createdAt: '2026-01-02T00:00:00.000Z', finishedAt: '2026-01-02T00:00:01.000Z',
    config: parseRunConfig({ strategies: 50 }), data: null, codeVersion: 'test', timings: {}, artifacts: [],
    error: { stage: 'backtest', message: 'the disk was full' },
  };
  await commitRun(store, failed);
  return { dir, store, cleanUp: () => rm(dir, { recursive: true, force: true }) };
}

/** A launcher that records what it was asked to start, for testing the routes in front of it. */
export class RecordingLauncher implements RunLauncher {
  readonly kind = 'in-process';
  readonly requests: RunRequest[] = [];
  private count = 0;
  async start(request: RunRequest): Promise<{ runId: string }> {
    this.requests.push(request);
    this.count += 1;
    return { runId: `20260301T000000Z-${String(this.count).padStart(6, '0')}` };
  }
  async status(runId: string): Promise<RunProgress | null> {
    return this.requests.length > 0 && runId.startsWith('20260301T')
      ? { runId, state: 'running', stage: 'backtest', backtest: { done: 1, total: 2 }, error: null, startedAt: '2026-03-01T00:00:00.000Z', finishedAt: null }
      : null;
  }
  inFlight() {
    return [];
  }
  async close(): Promise<void> {}
}

/**
 * An overfitting report in the statistics stage's format (overfit-report/1), for runs made before the validate
 * stage wrote one. Values are made up but consistent; only their display is under test.
 */
export const SAMPLE_REPORT = {
  format: 'overfit-report/1',
  inputs: { strategies: 120, trainingBars: 2100, periodsPerYear: 8760, selectBy: 'win_rate', selectedId: 's0074', seed: 3 },
  sharpeAcrossTrials: { defined: 118, variance: 0.0004, varianceAnnual: 3.5, best: { id: 's0010', sharpe: 0.02, sharpeAnnual: 1.87 } },
  selected: { strategyId: 's0074', observations: 2100, sharpe: -0.0128, sharpeAnnual: -1.2, skewness: 0.1, kurtosis: 5.2, probabilisticSharpe: 0.28, minimumTrackRecordBars: null },
  bestBySharpe: null,
  deflatedSharpe: { strategyId: 's0010', trials: 120, sharpeVariance: 0.0004, expectedMaxSharpe: 0.05, expectedMaxSharpeAnnual: 4.68, sharpe: 0.02, observations: 2100, skewness: 0.1, kurtosis: 4.9, value: 0.031 },
  minimumBacktestLength: { trials: 120, targetSharpeAnnual: 1, years: 9.4, availableYears: 0.24 },
  haircut: null,
  pbo: { source: 'training block moments', blocks: 64, blockBars: 32, partitions: 16, barsPerPartition: 128, combinations: 12870, pbo: 0.537, probabilityOfLoss: 0.71, degradation: { slope: -0.4, intercept: 0, r2: 0.1 }, logits: [0.1, -0.3] },
  dataSnooping: {
    benchmark: 'buy_and_hold', observation: 'bar', observations: 2100, meanBlockLength: 24, replicates: 1000, seed: 3, strategiesTested: 120,
    realityCheck: { statistic: 1.2, pValue: 0.62, bestId: 's0010' },
    spa: { statistic: 1.2, lower: 0.41, consistent: 0.58, upper: 0.62, bestId: 's0010' },
  },
  rankCorrelation: { metric: 'win_rate', rho: 0.04, pairs: 120 },
  walkForward: null,
  nullMarkets: { markets: 0, model: 'gbm', metric: 'win_rate', realBest: 0.653, nullBests: [], percentile: null },
  verdict: { level: 'overfit_likely', summary: 'Selection on noise: the winner is what luck produces in a search this size.', findings: ['PBO 53.7 %: picking the best is no better than chance.'] },
};
