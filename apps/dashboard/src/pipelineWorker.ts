// One in-process run on a worker thread (bundled to dist/pipeline-worker.cjs by build.mjs). The pipeline is
// CPU-bound for seconds to minutes (backtest, statistics, figures); on the server's own thread no request would be
// answered meanwhile. Here it reports progress to the launcher by message and opens its own store from its
// environment (the launcher's `worker.env`).
import { parentPort, workerData } from 'node:worker_threads';
import { runLocalPipeline } from '@overfit/pipeline';
import { storeFromEnv } from '@overfit/store';
import type { PipelineWorkerData, PipelineWorkerMessage } from './runLauncher';

const post = (message: PipelineWorkerMessage) => parentPort!.postMessage(message);
const { runId, request } = workerData as PipelineWorkerData;

runLocalPipeline({ ...request, store: storeFromEnv(process.env), runId, onProgress: (event) => post({ kind: 'progress', event }) }).then(
  () => post({ kind: 'succeeded' }),
  (error: unknown) => post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
);
