// Entry of a kernel worker thread (bundled to backtest-worker.cjs, see pool.ts): for each job the kernel its task
// names, over that job's shared columns, then chunk after chunk taken off the job's shared counter until none is
// left. The thread lives on between jobs; jobs queued meanwhile wait their turn in its message queue.
import { parentPort } from 'node:worker_threads';
import { createKernel, type WorkerAnswer, type WorkerMessage } from './pool';

parentPort!.on('message', ({ job, task, chunks, taken }: WorkerMessage) => {
  const kernel = createKernel(task);
  for (let next = Atomics.add(taken, 0, 1); next < chunks.length; next = Atomics.add(taken, 0, 1)) {
    kernel.run(chunks[next].strategies, chunks[next].rows);
    parentPort!.postMessage({ job, count: chunks[next].rows.length } satisfies WorkerAnswer);
  }
});
