// Entry of a kernel worker thread (bundled to backtest-worker.cjs, see pool.ts): for each job the kernel its task
// names, over that job's shared columns, then chunk after chunk of strategies. The thread lives on between jobs.
import { parentPort } from 'node:worker_threads';
import { createKernel, type WorkerMessage } from './pool';

let kernel: ReturnType<typeof createKernel> | undefined;
parentPort!.on('message', (message: WorkerMessage) => {
  if (message.kind === 'job') {
    kernel = createKernel(message.task);
    return;
  }
  if (message.kind === 'release') {
    kernel = undefined;
    return;
  }
  kernel!.run(message.strategies, message.rows);
  parentPort!.postMessage(message.rows.length);
});
