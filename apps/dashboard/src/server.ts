// The dashboard's entry point: configuration from the environment (checked before anything starts), the store,
// the way runs are started, then listen. SIGTERM/SIGINT close the server gracefully: no new connections, the
// requests in flight and an in-process run under way are finished, then the process exits.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createSfnClient } from '@overfit/pipeline';
import { storeFromEnv, type ArtifactStore } from '@overfit/store';
import { buildApp } from './app';
import { ConfigError, loadConfig, type DashboardConfig } from './config';
import { datasetCatalog } from './datasets';
import { InProcessLauncher, StepFunctionsLauncher, type RunLauncher, type RunProgress } from './runLauncher';

function openLauncher(config: DashboardConfig, store: ArtifactStore, onFinished: (progress: RunProgress) => void): RunLauncher {
  if (config.stateMachineArn === undefined) {
    // Beside this bundle (build.mjs); the worker opens the same store from the same environment.
    const script = join(__dirname, 'pipeline-worker.cjs');
    return new InProcessLauncher(store, { onFinished, ...(existsSync(script) ? { worker: { script, env: { ...process.env } } } : {}) });
  }
  return new StepFunctionsLauncher(createSfnClient(config.stateMachineArn.split(':')[3]), config.stateMachineArn);
}

async function main(): Promise<void> {
  let config: DashboardConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // The same variables the Lambdas read (USE_S3, S3_BUCKET, S3_PREFIX, S3_ENDPOINT, STORE_DIR), checked above.
  const store = storeFromEnv(process.env);
  // The app's logger exists only once the app does; runs finish long after both.
  let logFinished = (_progress: RunProgress): void => {};
  const launcher = openLauncher(config, store, (progress) => logFinished(progress));
  // Files in DATA_DIR only work for runs in this process; the Lambdas can read only what is in the bucket.
  const datasets = await datasetCatalog({ store, dataDir: config.stateMachineArn === undefined ? config.dataDir : undefined });
  const app = await buildApp({
    store, launcher, datasets,
    runTriggerToken: config.runTriggerToken,
    rateLimitPerMinute: config.rateLimitPerMinute,
    trustProxyHops: config.trustProxyHops,
    logger: { level: config.logLevel, redact: ['req.headers.authorization'] },
  });

  logFinished = ({ runId, state, error, startedAt, finishedAt }) => {
    const ms = finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : null;
    if (state === 'succeeded') app.log.info({ runId, ms }, 'run succeeded');
    else app.log.warn({ runId, ms, error }, 'run failed');
  };

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      app.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // A run under way may need a while; a second signal or the timeout ends the process anyway.
    const timeout = setTimeout(() => {
      app.log.error('graceful shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    timeout.unref();
    app.close().then(() => process.exit(0), (error: unknown) => {
      app.log.error({ err: error }, 'error while shutting down');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  app.log.info({ store: store.location, launcher: launcher.kind, datasets: datasets.length }, 'dashboard ready');
  // Said plainly on stderr as well, for the person who just typed `npm start`.
  process.stderr.write(`\nOverfitting Lab dashboard: http://${shownHost}:${port}/  (store: ${store.location})\n\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
