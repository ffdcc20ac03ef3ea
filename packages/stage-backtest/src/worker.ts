// Entry of a backtest worker thread (bundled to backtest-worker.cjs, see parallel.ts): for each job a kernel over
// that job's shared columns, then chunk after chunk of strategies. The thread lives on between jobs.
import { parentPort } from 'node:worker_threads';
import { BacktestKernel } from '@overfit/core';
import type { WorkerMessage } from './parallel';

let kernel: BacktestKernel | undefined;
parentPort!.on('message', (message: WorkerMessage) => {
  if (message.kind === 'job') {
    kernel = new BacktestKernel(message.columns, message.job, message.results);
    return;
  }
  if (message.kind === 'release') {
    kernel = undefined;
    return;
  }
  kernel!.run(message.strategies, message.rows);
  parentPort!.postMessage(message.rows.length);
});
