// One in-process run on a worker thread (bundled to dist/pipeline-worker.cjs by build.mjs). The pipeline is
// CPU-bound for seconds to minutes (backtest, statistics, figures); on the server's own thread no request would be
// answered meanwhile. Here it reports progress to the launcher by message. It opens the store the launcher names in
// workerData (the server's configuration, parsed once) and reads price data through that same store, so a data set
// kept in the store (`store:<name>.csv`) is found where the server found it.
import { parentPort, workerData } from 'node:worker_threads';
import { cachedPriceLoader } from '@overfit/data';
import { runLocalPipeline } from '@overfit/pipeline';
import { openConfiguredStore } from './config';
import type { PipelineWorkerData, PipelineWorkerMessage } from './runLauncher';

const post = (message: PipelineWorkerMessage) => parentPort!.postMessage(message);
const { runId, request, store: storeConfig } = workerData as PipelineWorkerData;
const store = openConfiguredStore(storeConfig);

runLocalPipeline({
  ...request,
  store,
  loadPrices: cachedPriceLoader(store),
  runId,
  onProgress: (event) => post({ kind: 'progress', event }),
}).then(
  () => post({ kind: 'succeeded' }),
  (error: unknown) => post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
);
