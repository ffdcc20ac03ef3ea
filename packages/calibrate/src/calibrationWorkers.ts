// Running the calibration's jobs: in this thread, or spread over worker threads that are copies of the CLI bundle
// (__filename), each fed one job at a time and posting its outcome back.
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { runJob, type CalibrationSettings, type RunJob, type RunOutcome } from './calibrate';
import type { RealSource } from './realSource';

interface WorkerSetup {
  settings: CalibrationSettings;
  source: RealSource | null;
}

/** A worker thread: run the jobs it is sent, one at a time, and post each outcome back. */
export function workerMain(): void {
  const { settings, source } = workerData as WorkerSetup;
  parentPort!.on('message', (job: RunJob | null) => {
    if (job === null) {
      process.exit(0);
    }
    try {
      parentPort!.postMessage({ ok: true, outcome: runJob(job, settings, source) });
    } catch (error) {
      parentPort!.postMessage({
        ok: false,
        job,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
}

export async function runAll(
  jobs: RunJob[],
  setup: WorkerSetup,
  workers: number,
  onOutcome: (o: RunOutcome) => void,
): Promise<void> {
  if (workers <= 1) {
    for (const job of jobs) onOutcome(runJob(job, setup.settings, setup.source));
    return;
  }
  let next = 0;
  await new Promise<void>((done, fail) => {
    let running = 0;
    const feed = (worker: Worker) => {
      if (next < jobs.length) {
        worker.postMessage(jobs[next++]);
      } else {
        worker.postMessage(null);
        if (--running === 0) done();
      }
    };
    for (let w = 0; w < Math.min(workers, jobs.length); w++) {
      const worker = new Worker(__filename, { workerData: setup });
      running++;
      worker.on('message', (message: { ok: true; outcome: RunOutcome } | { ok: false; job: RunJob; error: string }) => {
        if (!message.ok) {
          fail(new Error(`run ${JSON.stringify(message.job)} failed:\n${message.error}`));
          void worker.terminate();
          return;
        }
        onOutcome(message.outcome);
        feed(worker);
      });
      worker.on('error', fail);
      feed(worker);
    }
  });
}
