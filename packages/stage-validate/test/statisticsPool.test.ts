// The statistics' kernel jobs on real worker threads give the very report the in-thread path gives: the worker entry
// is bundled here as the CLI's build bundles it, then the report is built in this thread and on the pool with one
// and with two workers, and must be the same JSON, byte for byte.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import {
  backtestAll,
  createMarket,
  generateStrategies,
  parseRunConfig,
  rankEligible,
  splitWindows,
} from '@overfit/core';
import { WORKER_BUNDLE } from '@overfit/core/pool';
import { syntheticMarket } from '@overfit/data';
import { buildOverfittingReport, buildOverfittingReportOnPool } from '../src';

// An esbuild bundle, then a handful of small kernel jobs on up to two threads and twice in this thread under jest.
jest.setTimeout(600_000);

let dir: string;
const previous = process.env.OVERFIT_BACKTEST_WORKER;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overfit-statistics-'));
  process.env.OVERFIT_BACKTEST_WORKER = join(dir, WORKER_BUNDLE);
  await build({
    entryPoints: [join(__dirname, '../../core/src/worker.ts')],
    outfile: process.env.OVERFIT_BACKTEST_WORKER,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
});
afterAll(async () => {
  if (previous === undefined) delete process.env.OVERFIT_BACKTEST_WORKER;
  else process.env.OVERFIT_BACKTEST_WORKER = previous;
  await rm(dir, { recursive: true, force: true });
});

const config = parseRunConfig({ strategies: 60, seed: 5, nullMarkets: 3, minTrades: 3 });
const series = syntheticMarket({ bars: 3000, seed: 9 });
const market = createMarket(series);
const windows = splitWindows(3000, config.trainFraction);
const strategies = generateStrategies({ count: config.strategies, seed: config.seed, families: config.families });
const costs = { feesBps: config.feesBps, slippageBps: config.slippageBps };
const tables = backtestAll(strategies, market, windows, costs, { blocks: 64, selectBy: config.selectBy });
const inputs = {
  config,
  market,
  windows,
  strategies,
  selected: strategies[rankEligible(tables.training, config)[0]],
  training: tables.training,
  validation: tables.validation,
  moments: tables.trainingMoments,
};

it('builds the same report on the worker pool (1 and 2 workers) as in this thread', async () => {
  const inThread = buildOverfittingReport(inputs);
  expect(inThread.walkForward).not.toBeNull();
  expect(inThread.nullMarkets.markets).toBe(3);
  const expected = JSON.stringify(inThread);
  for (const workers of [1, 2]) {
    const events: [string, number, number][] = [];
    const onPool = await buildOverfittingReportOnPool(inputs, {
      workers,
      onProgress: (step, done, total) => events.push([step, done, total]),
    });
    expect(JSON.stringify(onPool)).toBe(expected);
    // Walk-forward's 60 strategies and the 60 of each of the 3 null markets, every one counted once.
    expect(events[events.length - 1]).toEqual([expect.any(String), 240, 240]);
    expect(new Set(events.map(([step]) => step))).toEqual(new Set(['walk-forward', 'null markets']));
  }
});
