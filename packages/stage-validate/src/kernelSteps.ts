// The statistics re-run the kernel (walk-forward's folds, each null market's training window). Their code submits
// the kernel jobs it needs as early as it can and asks for each one's results when it needs them, by yielding to a
// driver that runs the jobs. runInThread() runs them here, synchronously, one by one (buildOverfittingReport, what
// in-memory callers use); runOnPool() queues them on the worker pool (@overfit/core/pool) while this thread goes on
// with the code in between. Each job's results are the same bits either way, so the report is too.
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

/** A job handed to the driver, whose results `result()` asks for later. */
export interface Submitted<R extends KernelRequest> {
  id: number;
  request: R;
}

type Instruction = { submit: KernelRequest } | { result: number };

/** Code that submits kernel jobs, asks for their results when it needs them, and finishes with a T. */
export type KernelSteps<T> = Generator<Instruction, T, unknown>;

/** Hand a job to the driver (inside a KernelSteps generator: `yield* submit(request)`); it may start it at once. */
export function* submit<R extends KernelRequest>(request: R): KernelSteps<Submitted<R>> {
  return { id: (yield { submit: request }) as number, request };
}

/** The results of a submitted job (`yield* result(job)`), once the driver has them. */
export function* result<R extends KernelRequest>(job: Submitted<R>): KernelSteps<Answer<R>> {
  return (yield { result: job.id }) as Answer<R>;
}

const inThread = (r: KernelRequest): BacktestResults | WindowsResults =>
  r.kind === 'backtest'
    ? backtestAll(r.strategies, r.market, r.windows, r.costs, { blocks: r.blocks, selectBy: r.selectBy })
    : backtestWindows(r.strategies, r.market, r.windows, r.costs);

/** Every job in this thread, at once when submitted. */
export function runInThread<T>(steps: KernelSteps<T>): T {
  const answers: (BacktestResults | WindowsResults)[] = [];
  let next = steps.next();
  while (!next.done) {
    const instruction = next.value;
    if ('submit' in instruction) {
      answers.push(inThread(instruction.submit));
      next = steps.next(answers.length - 1);
    } else next = steps.next(answers[instruction.result]);
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
 * Threads for the statistics: their jobs share the pool, which stays warm from job to job, so what decides is all
 * their work together (`strategyBars`, strategies × bars summed over the jobs), by the pool's own rule.
 */
export const statisticsWorkers = (strategyBars: number): number => defaultWorkers(strategyBars, 1);

/**
 * Every job on the worker pool, queued on the threads when submitted, so they work while this thread goes on with
 * the code between (the other statistics, simulating the next null market, the PBO of the last one).
 */
export async function runOnPool<T>(steps: KernelSteps<T>, options: PoolRunOptions = {}): Promise<T> {
  const pending: Promise<BacktestResults | WindowsResults>[] = [];
  const doneOf: number[] = [];
  const progress = (step: string, job: number, done: number) => {
    doneOf[job] = done;
    options.onProgress?.(
      step,
      doneOf.reduce((a, b) => a + b, 0),
      options.total ?? 0,
    );
  };
  let next = steps.next();
  while (!next.done) {
    const instruction = next.value;
    if ('submit' in instruction) {
      const r = instruction.submit;
      const job = pending.length;
      const pool = {
        workers: options.workers,
        onProgress: (done: number) => progress(r.step, job, done),
      };
      const running =
        r.kind === 'backtest'
          ? backtestAllOnPool(r.strategies, r.market, r.windows, r.costs, {
              ...pool,
              blocks: r.blocks,
              selectBy: r.selectBy,
            })
          : backtestWindowsOnPool(r.strategies, r.market, r.windows, r.costs, pool);
      running.catch(() => undefined); // awaited when asked for; a failure then rejects the run
      pending.push(running);
      next = steps.next(job);
    } else next = steps.next(await pending[instruction.result]);
  }
  return next.value;
}
