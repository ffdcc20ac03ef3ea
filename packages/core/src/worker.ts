// Entry of a kernel worker thread (bundled to backtest-worker.cjs, see pool.ts): for each job the kernel its task
// names, over that job's shared columns, then chunk after chunk of strategies. The thread lives on between jobs;
// several jobs may be queued at once, each message names its job.
import { parentPort } from 'node:worker_threads';
import { createKernel, type WorkerAnswer, type WorkerMessage } from './pool';

const kernels = new Map<number, ReturnType<typeof createKernel>>();
parentPort!.on('message', (message: WorkerMessage) => {
  if (message.kind === 'job') {
    kernels.set(message.job, createKernel(message.task));
    return;
  }
  if (message.kind === 'release') {
    kernels.delete(message.job);
    return;
  }
  kernels.get(message.job)!.run(message.strategies, message.rows);
  parentPort!.postMessage({ job: message.job, count: message.rows.length } satisfies WorkerAnswer);
});
