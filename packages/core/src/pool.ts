// The worker pool: a kernel spread over worker threads, for the backtest stage (every strategy on both windows) and
// for validate's statistics (walk-forward's folds, the null markets). Prices, the kernel's per-bar columns and every
// result column live in SharedArrayBuffers: each worker reads the same prices and writes its strategies' rows in
// place, so nothing is copied back and nothing per bar is sent. Strategies are cut into chunks (ordered by family and
// parameter, as the kernel likes them) that the threads take one at a time off a shared counter, so a slow family
// does not leave a thread idle and the main thread hands nothing out (it may compute meanwhile). Each
// strategy's numbers depend only on it and the prices, so the results are identical for any number of workers or
// chunk size. Node only: @overfit/core/pool, kept out of the package's main entry.
//
// Where the worker code comes from: a worker thread needs a JavaScript file. The CLI, the Lambdas and the dashboard
// server are esbuild bundles, and their builds bundle src/worker.ts into `backtest-worker.cjs` next to the main
// bundle (tools/esbuild-common.mjs), found through __dirname. Under jest or any unbundled run there is no such
// file: the same kernel then runs in this thread (tests build the worker bundle themselves to exercise the threads).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { backtestJob, type BacktestAllOptions } from './backtestAll';
import {
  emptyWindowsResults,
  windowsJob,
  WindowsKernel,
  type WindowsJob,
  type WindowsResults,
} from './backtestWindows';
import {
  BacktestKernel,
  emptyResults,
  kernelOrder,
  prepareColumns,
  shared,
  type BacktestResults,
  type KernelColumns,
  type KernelJob,
} from './kernel';
import type { Market } from './market';
import type { BarWindow, Costs, Strategy } from './types';

export const WORKER_BUNDLE = 'backtest-worker.cjs';

/** A kernel a worker can run: which one, the shared columns it reads and writes, and the job's constants. */
export type KernelTask =
  | { kernel: 'backtest'; columns: KernelColumns; job: KernelJob; results: BacktestResults }
  | { kernel: 'windows'; columns: KernelColumns; job: WindowsJob; results: WindowsResults };

/** The thread's kernel for a task (one per job, reused for all its chunks). */
export function createKernel(task: KernelTask): {
  run(strategies: readonly Strategy[], rows: ArrayLike<number>): void;
} {
  return task.kernel === 'backtest'
    ? new BacktestKernel(task.columns, task.job, task.results)
    : new WindowsKernel(task.columns, task.job, task.results);
}

/** One unit of work: strategies and the result rows they own. The worker answers with the count done. */
interface WorkerChunk {
  strategies: Strategy[];
  rows: Int32Array;
}

/**
 * What the pool sends each of a job's threads: the task, every chunk, and the job's shared counter of chunks taken.
 * The threads take chunks off it themselves (Atomics.add), so a thread that finishes early takes more, and a busy
 * main thread (validate computes its other statistics meanwhile) never holds one up.
 */
export interface WorkerMessage {
  job: number;
  task: KernelTask;
  chunks: WorkerChunk[];
  taken: Int32Array;
}

/** A worker's answer to a chunk: its job and the count of strategies done. */
export interface WorkerAnswer {
  job: number;
  count: number;
}

/** How a job uses the pool; the results never depend on any of it. */
export interface PoolOptions {
  /** Threads to use; default: every core, but one thread below ~20 M strategy-bars (starting workers costs more). */
  workers?: number;
  /** The bundled worker entry; default: $OVERFIT_BACKTEST_WORKER, else backtest-worker.cjs beside this bundle. */
  workerScript?: string;
  /** Strategies per chunk; default: about 8 chunks per worker, 16 to 2,000 strategies each. */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** backtestAll's options on the pool. */
export type ParallelOptions = Omit<BacktestAllOptions, 'onProgress'> & PoolOptions;

/** Below this much work one thread finishes before two would have started. */
const PARALLEL_MIN_STRATEGY_BARS = 20_000_000;

export function findWorkerScript(): string | undefined {
  const fromEnv = process.env.OVERFIT_BACKTEST_WORKER;
  if (fromEnv) return fromEnv;
  const here = typeof __dirname === 'string' ? __dirname : undefined;
  const beside = here && join(here, WORKER_BUNDLE);
  return beside && existsSync(beside) ? beside : undefined;
}

export function defaultWorkers(strategies: number, bars: number): number {
  return strategies * bars < PARALLEL_MIN_STRATEGY_BARS ? 1 : Math.min(availableParallelism(), 16);
}

/** backtestAll (same arguments, same results) on worker threads when a worker bundle is available. */
export async function backtestAllOnPool(
  strategies: readonly Strategy[],
  market: Market,
  windows: { training: BarWindow; validation: BarWindow },
  costs: Costs,
  options: ParallelOptions,
): Promise<BacktestResults> {
  const job = backtestJob(market, windows, costs);
  const threads = threadsFor(strategies.length, market, options);
  const allocate = threads > 0 ? shared : undefined;
  const results = emptyResults(strategies, windows, options.blocks, allocate, options.selectBy);
  const columns = prepareColumns(market, allocate);
  await runTask({ kernel: 'backtest', columns, job, results }, strategies, threads, options);
  return results;
}

/** backtestWindows (same arguments, same results) on worker threads when a worker bundle is available. */
export async function backtestWindowsOnPool(
  strategies: readonly Strategy[],
  market: Market,
  windows: readonly BarWindow[],
  costs: Costs,
  options: PoolOptions,
): Promise<WindowsResults> {
  const job = windowsJob(market, windows, costs);
  const threads = threadsFor(strategies.length, market, options);
  const allocate = threads > 0 ? shared : undefined;
  const results = emptyWindowsResults(strategies, windows.length, allocate);
  const columns = prepareColumns(market, allocate);
  await runTask({ kernel: 'windows', columns, job, results }, strategies, threads, options);
  return results;
}

/** Worker threads for a job (0: this thread, when there is no worker bundle or one thread is asked for). */
function threadsFor(total: number, market: Market, options: PoolOptions): number {
  const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(total, market.series.close.length), total));
  return workerScriptFor(options) && workers > 1 ? workers : 0;
}

const workerScriptFor = (options: PoolOptions) => options.workerScript ?? findWorkerScript();

async function runTask(
  task: KernelTask,
  strategies: readonly Strategy[],
  threads: number,
  options: PoolOptions,
): Promise<void> {
  const total = strategies.length;
  const order = kernelOrder(strategies);
  const size = options.chunkSize ?? Math.min(2000, Math.max(16, Math.ceil(total / (8 * Math.max(1, threads)))));
  const chunks: WorkerChunk[] = [];
  for (let from = 0; from < total; from += size) {
    const rows = order.slice(from, Math.min(total, from + size));
    chunks.push({ strategies: Array.from(rows, (row) => strategies[row]), rows });
  }
  if (threads === 0) {
    const kernel = createKernel(task);
    let done = 0;
    for (const chunk of chunks) {
      kernel.run(chunk.strategies, chunk.rows);
      done += chunk.rows.length;
      options.onProgress?.(done, total);
    }
    return;
  }
  await runOnWorkers(workerScriptFor(options)!, threads, withoutIds(task), chunks, total, options);
}

/** The task as sent to the workers: result tables without their ids (strings a worker never reads). */
function withoutIds(task: KernelTask): KernelTask {
  const bare = <T extends { ids: string[] }>(table: T): T => ({ ...table, ids: [] });
  if (task.kernel === 'windows') return { ...task, results: { tables: task.results.tables.map(bare) } };
  const { results } = task;
  return { ...task, results: { ...results, training: bare(results.training), validation: bare(results.validation) } };
}

/**
 * Worker threads stay alive between runs in one process (unreferenced while idle, so they never keep it from
 * exiting): a second run — the benchmark after its warm-up, a sweep of runs — starts on threads whose JIT is warm.
 * Several jobs may be in flight at once (validate queues its statistics' jobs while it computes others); each has an
 * id its messages carry, and a thread runs its messages in order. A failure discards the pool.
 */
let pool: { script: string; workers: Worker[] } | undefined;
let nextJob = 1;

/** What a job in flight does with its threads' answers, and with a thread's failure (which discards the pool). */
interface JobListener {
  answer(count: number): void;
  fail(error: Error): void;
}
const jobs = new Map<number, JobListener>();

function workersFor(script: string, threads: number): Worker[] {
  if (pool && pool.script !== script) discardPool(new Error('the worker script changed'));
  pool ??= { script, workers: [] };
  while (pool.workers.length < threads) {
    const worker = new Worker(script);
    worker.unref(); // idle threads never keep the process alive; holdPool() refs them while jobs are in flight
    worker.on('message', (answer: WorkerAnswer) => jobs.get(answer.job)?.answer(answer.count));
    // An error in a job, or outside one, fails every job in flight and drops the pool the thread is in.
    worker.on('error', (error) => {
      if (pool?.workers.includes(worker)) discardPool(error);
    });
    worker.on('exit', (code) => {
      if (pool?.workers.includes(worker)) discardPool(new Error(`backtest worker exited with code ${code}`));
    });
    pool.workers.push(worker);
  }
  return pool.workers.slice(0, threads);
}

function discardPool(error: Error): void {
  const workers = pool?.workers ?? [];
  pool = undefined;
  for (const worker of workers) void worker.terminate();
  for (const job of [...jobs.values()]) job.fail(error);
}

/** While any job is in flight the threads keep the process alive; idle, they never do. */
function holdPool(): void {
  for (const worker of pool?.workers ?? []) {
    if (jobs.size > 0) worker.ref();
    else worker.unref();
  }
}

function runOnWorkers(
  script: string,
  threads: number,
  task: KernelTask,
  chunks: WorkerChunk[],
  total: number,
  options: PoolOptions,
): Promise<void> {
  const workers = workersFor(script, Math.min(threads, chunks.length));
  const id = nextJob++;
  return new Promise<void>((resolve, reject) => {
    let done = 0;
    const finish = () => {
      jobs.delete(id);
      holdPool();
    };
    jobs.set(id, {
      answer(count) {
        done += count;
        options.onProgress?.(done, total);
        if (done < total) return;
        finish();
        resolve();
      },
      fail(error) {
        finish();
        reject(error);
      },
    });
    holdPool();
    const message: WorkerMessage = { job: id, task, chunks, taken: new Int32Array(new SharedArrayBuffer(4)) };
    for (const worker of workers) worker.postMessage(message);
  });
}
