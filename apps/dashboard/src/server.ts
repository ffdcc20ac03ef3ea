// The dashboard's entry point: configuration from the environment (checked before anything starts), the store,
// the way runs are started, then listen. SIGTERM/SIGINT close the server gracefully: no new runs are accepted, an
// in-process run under way gets SHUTDOWN_GRACE_SECONDS to finish and is otherwise stopped and marked failed in its
// manifest (never left without one), then the requests in flight are answered and the process exits.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createSfnClient } from '@overfit/pipeline';
import { LocalStore, removeStaleTempFiles, type ArtifactStore } from '@overfit/store';
import { buildApp } from './app';
import { ConfigError, loadConfig, openConfiguredStore, type DashboardConfig } from './config';
import { datasetCatalog } from './datasets';
import { InProcessLauncher } from './inProcessLauncher';
import { StepFunctionsLauncher, type RunLauncher, type RunProgress } from './runLauncher';

function openLauncher(
  config: DashboardConfig,
  store: ArtifactStore,
  onFinished: (progress: RunProgress) => void,
): RunLauncher {
  if (config.stateMachineArn === undefined) {
    // Beside this bundle (build.mjs); the worker opens the same store from the configuration it is handed.
    const script = join(__dirname, 'pipeline-worker.cjs');
    return new InProcessLauncher(store, {
      onFinished,
      ...(existsSync(script) ? { worker: { script, store: config.store } } : {}),
    });
  }
  return new StepFunctionsLauncher(createSfnClient(config.stateMachineArn.split(':')[3]), config.stateMachineArn);
}

const STALE_TEMP_MS = 3600_000;

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
  // The same variables the Lambdas read (USE_S3, S3_BUCKET, S3_PREFIX, S3_ENDPOINT, STORE_DIR), checked above;
  // none of them is read again (the run's worker thread gets config.store; only the AWS SDK reads its credentials).
  const store = openConfiguredStore(config.store);
  // Temp files of writes a crash interrupted (older than an hour: no write in flight takes that long).
  const staleTemp =
    store instanceof LocalStore && config.stateMachineArn === undefined
      ? await removeStaleTempFiles(store, STALE_TEMP_MS).catch((error: unknown) => {
          console.error(`could not clear stale temp files: ${(error as Error).message}`);
          return [];
        })
      : [];
  // The app's logger exists only once the app does; runs finish long after both.
  let logFinished = (_progress: RunProgress): void => {};
  const launcher = openLauncher(config, store, (progress) => logFinished(progress));
  // Files in DATA_DIR only work for runs in this process; the Lambdas can read only what is in the bucket.
  const datasets = await datasetCatalog({
    store,
    dataDir: config.stateMachineArn === undefined ? config.dataDir : undefined,
  });
  const app = await buildApp({
    store,
    launcher,
    datasets,
    runTriggerToken: config.runTriggerToken,
    rateLimitPerMinute: config.rateLimitPerMinute,
    trustProxyHops: config.trustProxyHops,
    runWorkBudget: config.runWorkBudget,
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
    app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
    // The run under way gets the grace period, then is stopped and marked failed; the requests in flight
    // (status polls meanwhile) are answered. A second signal or the timeout ends the process anyway.
    const timeout = setTimeout(() => {
      app.log.error('graceful shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 10_000);
    timeout.unref();
    launcher
      .close({ graceMs: config.shutdownGraceMs, reason: `the dashboard received ${signal}` })
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'error while shutting down');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  if (staleTemp.length > 0) app.log.info({ removed: staleTemp }, 'removed temp files of interrupted writes');
  app.log.info(
    {
      store: store.location,
      launcher: launcher.kind,
      datasets: datasets.length,
      host: config.host,
      runWorkBudget: config.runWorkBudget,
    },
    'dashboard ready',
  );
  // Said plainly on stderr as well, for the person who just typed `npm start`.
  process.stderr.write(`\nOverfitting Lab dashboard: http://${shownHost}:${port}/  (store: ${store.location})\n\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
