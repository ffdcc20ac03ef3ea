// The statistics re-run the kernel (walk-forward's folds, each null market's training window). Their code says which
// kernel jobs it needs by yielding them, one at a time, and gets each one's results back; a driver runs the jobs.
// runInThread() runs them here, synchronously (buildOverfittingReport, what in-memory callers use);
// runOnPool() puts each on the worker pool (@overfit/core/pool), every core on one job, while the code between jobs
// (simulating a null market, selection, PBO) stays on this thread. Each job's results are the same bits either way.
import {
  backtestAll,
  backtestWindows,
  type BacktestResults,
  type BarWindow,
  type Costs,
  type Market,
  type SelectionMetric,
  type Strategy,
  type WindowsResults,
} from '@overfit/core';
import { backtestAllOnPool, backtestWindowsOnPool, defaultWorkers } from '@overfit/core/pool';

interface JobBase {
  /** The part of validate the job belongs to, in words (the progress events' step). */
  step: string;
  strategies: readonly Strategy[];
  market: Market;
  costs: Costs;
}

/** backtestAll with the moments of the training window (one null market). */
export interface BacktestRequest extends JobBase {
  kind: 'backtest';
  windows: { training: BarWindow; validation: BarWindow };
  blocks: number;
  selectBy: SelectionMetric;
}

/** backtestWindows: one positions pass, metrics on every window (walk-forward's folds). */
export interface WindowsRequest extends JobBase {
  kind: 'windows';
  windows: BarWindow[];
}

export type KernelRequest = BacktestRequest | WindowsRequest;
type Answer<R extends KernelRequest> = R extends BacktestRequest ? BacktestResults : WindowsResults;

/** Code that yields kernel jobs and finishes with a T. */
export type KernelSteps<T> = Generator<KernelRequest, T, BacktestResults | WindowsResults>;

/** Ask the driver for one job's results (inside a KernelSteps generator: `yield* kernel(request)`). */
export function* kernel<R extends KernelRequest>(request: R): Generator<KernelRequest, Answer<R>, unknown> {
  return (yield request) as Answer<R>;
}

export function runInThread<T>(steps: KernelSteps<T>): T {
  let next = steps.next();
  while (!next.done) {
    const r = next.value;
    next = steps.next(
      r.kind === 'backtest'
        ? backtestAll(r.strategies, r.market, r.windows, r.costs, { blocks: r.blocks, selectBy: r.selectBy })
        : backtestWindows(r.strategies, r.market, r.windows, r.costs),
    );
  }
  return next.value;
}

export interface PoolRunOptions {
  /** Threads for every job; default: statisticsWorkers(). Results never depend on it. */
  workers?: number;
  /** Strategies done of the strategies every job of the run backtests (`total`), with the step under way. */
  onProgress?: (step: string, done: number, total: number) => void;
  /** Strategy-backtests of all jobs together: the progress events' total. */
  total?: number;
}

/**
 * Threads for the statistics: one job at a time takes the pool, which stays warm from job to job, so what decides
 * is all their work together (`strategyBars`, strategies × bars summed over the jobs), by the pool's own rule.
 */
export const statisticsWorkers = (strategyBars: number): number => defaultWorkers(strategyBars, 1);

export async function runOnPool<T>(steps: KernelSteps<T>, options: PoolRunOptions = {}): Promise<T> {
  let finished = 0;
  let next = steps.next();
  while (!next.done) {
    const r = next.value;
    const before = finished;
    const pool = {
      workers: options.workers,
      onProgress: (done: number) => options.onProgress?.(r.step, before + done, options.total ?? 0),
    };
    next = steps.next(
      r.kind === 'backtest'
        ? await backtestAllOnPool(r.strategies, r.market, r.windows, r.costs, {
            ...pool,
            blocks: r.blocks,
            selectBy: r.selectBy,
          })
        : await backtestWindowsOnPool(r.strategies, r.market, r.windows, r.costs, pool),
    );
    finished += r.strategies.length;
  }
  return next.value;
}
