// The kernels on real worker threads: the worker entry is bundled here the way tools/build-cli.mjs bundles it for
// the CLI, then the results must equal the reference bit for bit, whatever the number of workers or chunk size.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { syntheticMarket } from '@overfit/data';
import {
  backtestAllReference,
  backtestWindows,
  createMarket,
  foldWindows,
  generateStrategies,
  METRIC_NAMES,
  splitWindows,
  type BacktestResults,
  type MetricsTable,
  type WindowsResults,
} from '../src';
import { backtestAllOnPool as backtestInParallel, backtestWindowsOnPool, WORKER_BUNDLE } from '../src/pool';

// An esbuild bundle, then thousands of strategies on up to three threads: a second or two on a quiet machine.
jest.setTimeout(300_000);

let dir: string;
let workerScript: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overfit-worker-'));
  workerScript = join(dir, WORKER_BUNDLE);
  await build({
    entryPoints: [join(__dirname, '../src/worker.ts')],
    outfile: workerScript,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    external: ['@napi-rs/canvas'],
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function fingerprint(r: BacktestResults) {
  return {
    ids: r.training.ids,
    training: METRIC_NAMES.map((m) => bits(r.training.columns[m])),
    validation: METRIC_NAMES.map((m) => bits(r.validation.columns[m])),
    sum: bits(r.trainingMoments.sum),
    sumSquares: bits(r.trainingMoments.sumSquares),
  };
}

const market = createMarket(syntheticMarket({ bars: 2500, seed: 3 }));
const windows = splitWindows(2500, 0.7);
const strategies = generateStrategies({ count: 120, seed: 11 });
const costs = { feesBps: 10, slippageBps: 1 };
const reference = fingerprint(backtestAllReference(strategies, market, windows, costs, { blocks: 16 }));

it.each([
  [2, 7],
  [3, 50],
  [2, 1000],
])('gives the reference results on %i worker threads with chunks of %i', async (workers, chunkSize) => {
  const progress: number[] = [];
  const results = await backtestInParallel(strategies, market, windows, costs, {
    blocks: 16,
    workers,
    chunkSize,
    workerScript,
    onProgress: (done: number) => progress.push(done),
  });
  expect(fingerprint(results)).toEqual(reference);
  expect(progress[progress.length - 1]).toBe(120);
  expect(results.training.columns.trades.buffer).toBeInstanceOf(SharedArrayBuffer); // the threads wrote in place
});

it('runs the same kernel in this thread when there is no worker bundle (unbundled runs, jest)', async () => {
  const results = await backtestInParallel(strategies, market, windows, costs, {
    blocks: 16,
    workers: 4,
    chunkSize: 9,
  });
  expect(fingerprint(results)).toEqual(reference);
  expect(results.training.columns.trades.buffer).toBeInstanceOf(ArrayBuffer);
});

it('rejects, and leaves no worker running, when a worker fails', async () => {
  const broken = join(dir, 'broken-worker.cjs');
  await writeFile(
    broken,
    "require('node:worker_threads').parentPort.on('message', () => { throw new Error('kernel exploded'); });\n",
  );
  await expect(
    backtestInParallel(strategies, market, windows, costs, { blocks: 16, workers: 2, workerScript: broken }),
  ).rejects.toThrow('kernel exploded');
});

it('checks costs and windows before starting any thread', async () => {
  await expect(
    backtestInParallel(
      strategies,
      market,
      windows,
      { feesBps: Number.NaN, slippageBps: 0 },
      { blocks: 16, workers: 2, workerScript },
    ),
  ).rejects.toThrow(/costs/);
});

// Walk-forward's folds in one positions pass: each fold's table is what backtestAll gives with that fold as a window.
const folds = foldWindows({ start: 0, end: 2500 }, 5);
const tableBits = (t: MetricsTable) => ({ ids: t.ids, columns: METRIC_NAMES.map((m) => bits(t.columns[m])) });
const foldReference = [0, 2, 4].flatMap((f) => {
  const pair = { training: folds[f], validation: folds[Math.min(f + 1, 4)] };
  const r = backtestAllReference(strategies, market, pair, costs, { blocks: 1 });
  return f < 4 ? [tableBits(r.training), tableBits(r.validation)] : [tableBits(r.training)];
});
const foldPrints = (r: WindowsResults) => r.tables.map(tableBits);

it('scores every fold in one pass with the per-fold results, in this thread and on 1 or 2 workers', async () => {
  expect(foldPrints(backtestWindows(strategies, market, folds, costs))).toEqual(foldReference);
  for (const workers of [1, 2]) {
    const progress: number[] = [];
    const results = await backtestWindowsOnPool(strategies, market, folds, costs, {
      workers,
      workerScript,
      chunkSize: 13,
      onProgress: (done: number) => progress.push(done),
    });
    expect(foldPrints(results)).toEqual(foldReference);
    expect(progress[progress.length - 1]).toBe(120);
    expect(results.tables[0].columns.trades.buffer).toBeInstanceOf(workers > 1 ? SharedArrayBuffer : ArrayBuffer);
  }
});

it('runs jobs queued at once, one after the other on the same threads, each with its own results', async () => {
  const both = [
    backtestInParallel(strategies, market, windows, costs, { blocks: 16, workers: 2, workerScript }),
    backtestWindowsOnPool(strategies, market, folds, costs, { workers: 2, workerScript, chunkSize: 7 }),
  ] as const;
  const [all, windowed] = await Promise.all(both);
  expect(fingerprint(all)).toEqual(reference);
  expect(foldPrints(windowed)).toEqual(foldReference);
});
