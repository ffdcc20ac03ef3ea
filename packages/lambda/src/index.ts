// The Lambda side of a stage: the same `run(input, deps)` the local orchestrator calls, wrapped so that an
// invocation validates its event first (a bad event is an InputError naming the field, not a crash deep inside),
// logs JSON lines that all carry the run id and the stage (Powertools Logger), and emits CloudWatch metrics as
// EMF (duration, plus what the stage counts). The in-process state machine runs these very handlers.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { isInputError, type DataRef, type FunctionName } from '@overfit/core';
import { cachedPriceLoader, type LoadedPrices } from '@overfit/data';
import { storeFromEnv, type ArtifactStore } from '@overfit/store';

export interface StageDeps {
  store: ArtifactStore;
  loadPrices: (ref: DataRef) => Promise<LoadedPrices>;
}

export interface StageDefinition<I extends { runId: string }, O> {
  /** The function of the stage registry this defines (its logs and metrics carry the name). */
  stage: FunctionName;
  parseEvent: (event: unknown) => I;
  run: (input: I, deps: StageDeps) => Promise<O>;
  /** Counts worth a metric, e.g. { StrategiesBacktested: 1000 }. */
  counts?: (input: I, output: O) => Record<string, number>;
}

export interface HandlerRuntime {
  /** Called once per invocation; a Lambda builds its store once and keeps it warm. */
  deps: () => StageDeps;
  /** Powertools log level (default: POWERTOOLS_LOG_LEVEL, else INFO); the in-process CLI engine passes SILENT. */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Print EMF metrics to stdout after each invocation (CloudWatch reads them from a Lambda's log). */
  publishMetrics?: boolean;
}

export type StageHandler<O> = (
  event: unknown,
  context?: { functionName?: string; awsRequestId?: string },
) => Promise<O & { durationMs: number }>;

export const METRICS_NAMESPACE = 'OverfittingLab';
const SERVICE = 'overfitting-lab';

/** The run id for the log lines of an event that may be malformed: never let logging itself fail. */
function runIdOf(event: unknown): string {
  const runId = (event as { runId?: unknown } | null)?.runId;
  return typeof runId === 'string' ? runId.slice(0, 64) : 'unknown';
}

export function createHandler<I extends { runId: string }, O>(
  definition: StageDefinition<I, O>,
  runtime: HandlerRuntime,
): StageHandler<O> {
  const { stage } = definition;
  // Without a level here, POWERTOOLS_LOG_LEVEL (default INFO) decides: operators can turn on DEBUG without a deploy.
  const logger = new Logger({
    serviceName: SERVICE,
    ...(runtime.logLevel ? { logLevel: runtime.logLevel } : {}),
    persistentKeys: { stage },
  });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE, defaultDimensions: { stage } });
  return async (event, context) => {
    logger.resetKeys();
    logger.appendKeys({ runId: runIdOf(event), ...(context?.awsRequestId ? { requestId: context.awsRequestId } : {}) });
    const started = performance.now();
    try {
      const input = definition.parseEvent(event);
      logger.info('stage started');
      const output = await definition.run(input, runtime.deps());
      const durationMs = Math.round(performance.now() - started);
      metrics.addMetric('StageDuration', MetricUnit.Milliseconds, durationMs);
      for (const [name, value] of Object.entries(definition.counts?.(input, output) ?? {}))
        metrics.addMetric(name, MetricUnit.Count, value);
      logger.info('stage finished', { durationMs });
      return { ...output, durationMs };
    } catch (error) {
      metrics.addMetric('StageFailures', MetricUnit.Count, 1);
      // The message Step Functions shows as the cause names the stage ("validate stage: S3 GET s3://…: …");
      // an InputError already names its field and is the user's to fix, so it stays as it is.
      if (error instanceof Error && !isInputError(error) && !error.message.startsWith(`${stage} stage: `))
        error.message = `${stage} stage: ${error.message}`;
      logger.error('stage failed', { error: error as Error });
      throw error;
    } finally {
      if (runtime.publishMetrics) metrics.publishStoredMetrics();
      else metrics.clearMetrics();
    }
  };
}

let lambdaDeps: StageDeps | undefined;

/** A Lambda's runtime: the store from USE_S3/S3_BUCKET/… (see storeFromEnv), prices cached while warm. */
export function lambdaRuntime(env: Record<string, string | undefined> = process.env): HandlerRuntime {
  return {
    deps: () => {
      if (!lambdaDeps) {
        const store = storeFromEnv(env);
        lambdaDeps = { store, loadPrices: cachedPriceLoader(store) };
      }
      return lambdaDeps;
    },
    publishMetrics: true,
  };
}

/** What each stage's handler.ts exports as `handler`. */
export const lambdaHandler = <I extends { runId: string }, O>(definition: StageDefinition<I, O>): StageHandler<O> =>
  createHandler(definition, lambdaRuntime());
