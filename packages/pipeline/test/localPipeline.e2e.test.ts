import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, parseRunConfig, type DataRef } from '@overfit/core';
import { getJson, LocalStore, readLatestRunId, runKeys, type RunManifest } from '@overfit/store';
import { storeWith } from '@overfit/testing/stores';
import { runLocalPipeline } from '../src';

const synthetic: DataRef = { kind: 'synthetic', bars: 3000, seed: 11, intervalSeconds: 3600 };
const config = parseRunConfig({ strategies: 60, seed: 5, nullMarkets: 1 });
// Whole runs: one to three seconds each on a quiet machine, ten times that on a busy one.
jest.setTimeout(300_000);

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'overfit-pipeline-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const ARTIFACTS = (runId: string) => {
  const k = runKeys(runId);
  return [
    k.strategies,
    k.trainingPerformance,
    k.validationPerformance,
    k.blockMoments,
    k.bestStrategy,
    k.validationResults,
    k.overfittingReport,
    k.winRateHistogram,
    k.performanceComparison,
    k.equityCurve,
    k.isVsOosScatter,
    k.pboLogits,
    k.expectedMaxSharpe,
    k.walkForwardEquity,
  ];
};

describe('runLocalPipeline', () => {
  it('runs all five stages, writes every artifact, and commits the run', async () => {
    const store = new LocalStore(join(root, 'store'));
    const stages: string[] = [];
    const validating: { step: string; done: number; total: number }[] = [];
    const summary = await runLocalPipeline({
      config,
      data: synthetic,
      store,
      onProgress: (e) => {
        if (e.kind === 'stage') stages.push(e.stage);
        if (e.kind === 'validate') validating.push({ step: e.step, done: e.done, total: e.total });
      },
    });
    expect(stages).toEqual(['generate', 'backtest', 'select', 'validate', 'visualize']);
    // Validate's own steps: walk-forward's 60 strategies and the null market's 60, to the last one.
    expect(new Set(validating.map((e) => e.step))).toEqual(new Set(['walk-forward', 'null markets']));
    expect(validating[validating.length - 1]).toMatchObject({ done: 120, total: 120 });
    for (const key of ARTIFACTS(summary.runId)) expect(await store.exists(key)).toBe(true);
    const manifest = await getJson<RunManifest>(store, runKeys(summary.runId).manifest);
    expect(manifest).toMatchObject({
      status: 'succeeded',
      runId: summary.runId,
      data: { synthetic: true, rows: 3000 },
    });
    expect(manifest.artifacts).toEqual([...ARTIFACTS(summary.runId)].sort());
    expect(Object.keys(manifest.timings)).toEqual(['generate', 'backtest', 'select', 'validate', 'visualize']);
    expect(await readLatestRunId(store)).toBe(summary.runId);
    expect(['overfit', 'held_up', 'inconclusive']).toContain(summary.results.originalRule.verdict);
    expect(manifest.summary).toMatchObject({
      verdict: summary.overfitting!.verdict.level,
      headline: summary.overfitting!.verdict.headline,
      selectBy: 'win_rate',
    });
    expect(summary.results.windows.training.bars).toBe(2100);
    expect(summary.results.windows.validation).toMatchObject({ start: 2100, end: 3000, bars: 900 });
  });

  it('is reproducible: the same seed gives byte-identical artifacts', async () => {
    const a = new LocalStore(join(root, 'a'));
    const b = new LocalStore(join(root, 'b'));
    const ra = await runLocalPipeline({ config, data: synthetic, store: a, runId: 'same' });
    const rb = await runLocalPipeline({ config, data: synthetic, store: b, runId: 'same' });
    const k = runKeys(ra.runId);
    for (const key of [k.strategies, k.trainingPerformance, k.bestStrategy, k.validationResults, k.overfittingReport]) {
      expect((await a.get(key)).equals(await b.get(key))).toBe(true);
    }
    expect(rb.results).toEqual(ra.results);
    const other = new LocalStore(join(root, 'c'));
    await runLocalPipeline({ config: { ...config, seed: 6 }, data: synthetic, store: other, runId: 'same' });
    expect((await other.get(k.strategies)).equals(await a.get(k.strategies))).toBe(false);
  }, 600_000); // three whole runs

  it('refuses bad data before the run exists', async () => {
    const file = join(root, 'bad.csv');
    await writeFile(
      file,
      'timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,1,1,abc,1\n2024-01-01T01:00:00Z,1,1,1,1,1\n',
    );
    const store = new LocalStore(join(root, 'store'));
    await expect(runLocalPipeline({ config, data: { kind: 'file', path: file }, store })).rejects.toBeInstanceOf(
      InputError,
    );
    expect(existsSync(join(root, 'store'))).toBe(false);
  });

  it('refuses data too short for the longest lookback before the run exists', async () => {
    const store = new LocalStore(join(root, 'store'));
    const short: DataRef = { kind: 'synthetic', bars: 200, seed: 1, intervalSeconds: 3600 };
    await expect(runLocalPipeline({ config, data: short, store })).rejects.toThrow(/training window has 140 bars/);
    expect(existsSync(join(root, 'store'))).toBe(false);
  });

  it('marks a run failed, keeps latest.json on the last good run, when a stage fails', async () => {
    const inner = new LocalStore(join(root, 'store'));
    const good = await runLocalPipeline({ config, data: synthetic, store: inner });
    const failing = storeWith(inner, {
      put: async (key, body) => {
        if (key.endsWith('validation_results.json')) throw new Error('disk full');
        return inner.put(key, body);
      },
    });
    await expect(runLocalPipeline({ config, data: synthetic, store: failing, runId: 'broken' })).rejects.toThrow(
      'disk full',
    );
    expect(await getJson<RunManifest>(inner, runKeys('broken').manifest)).toMatchObject({
      status: 'failed',
      error: { stage: 'validate', message: 'disk full' },
    });
    expect(await readLatestRunId(inner)).toBe(good.runId);
    expect(await inner.exists(runKeys('broken').validationResults)).toBe(false);
  });

  it('fails clearly when no strategy has enough trades', async () => {
    const store = new LocalStore(join(root, 'store'));
    await expect(
      runLocalPipeline({ config: { ...config, minTrades: 1_000_000 }, data: synthetic, store, runId: 'few' }),
    ).rejects.toThrow(/none of the 60 strategies made at least 1000000 trades/);
    expect((await getJson<RunManifest>(store, runKeys('few').manifest)).status).toBe('failed');
    expect(await readLatestRunId(store)).toBeNull();
  });
});
