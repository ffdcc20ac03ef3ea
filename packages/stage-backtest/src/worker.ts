// Entry of a backtest worker thread (bundled to backtest-worker.cjs, see parallel.ts): one kernel over the shared
// columns, then chunk after chunk of strategies until the pool terminates it.
import { parentPort, workerData } from 'node:worker_threads';
import { BacktestKernel } from '@overfit/core';
import type { WorkerChunk, WorkerInit } from './parallel';

const { columns, job, results } = workerData as WorkerInit;
const kernel = new BacktestKernel(columns, job, results);
parentPort!.on('message', ({ strategies, rows }: WorkerChunk) => {
  kernel.run(strategies, rows);
  parentPort!.postMessage(rows.length);
});
