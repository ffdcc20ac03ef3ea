// The dashboard as a Fastify instance, without listen(): server.ts serves it, tests call inject(). Every route
// has a JSON schema, so a malformed id, path or body is a 400 before any handler runs; errors a client can
// cause answer 4xx with a message, anything else a bare 500 (the details go to the log, never to the client).
// Starting a run is authenticated first (onRequest, before the body is even read), then rate-limited, then
// validated, then priced against the work budget.
import { createHash, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import {
  DEFAULT_RUN_CONFIG, isInputError, MAX_NULL_MARKETS, METRIC_NAMES, parseRunConfig, SELECTION_METRICS, STRATEGY_FAMILIES,
  type MetricName,
} from '@overfit/core';
import { describeDataRef } from '@overfit/data';
import { LATEST_KEY, probeWritable, RUN_ID_PATTERN, StoreWriteError, storeErrorReason, type ArtifactStore } from '@overfit/store';
import type { Dataset } from './datasets';
import { LauncherBusyError, type RunLauncher, type RunProgress } from './runLauncher';
import { ARTIFACT_PATH, BrokenManifestError, RunReader, SORT_KEYS, type RunListItem, type StrategiesQuery } from './runReader';
import { barCounter, DEFAULT_RUN_WORK_BUDGET, estimateRunWork, overBudgetMessage } from './workBudget';

export interface AppOptions {
  store: ArtifactStore;
  launcher: RunLauncher;
  datasets: Dataset[];
  /** When set, POST /api/runs needs `Authorization: Bearer <token>`. */
  runTriggerToken?: string;
  rateLimitPerMinute?: number;
  /** Runs a client may start per minute (default 10). */
  runsPerMinute?: number;
  /** Wrong or missing tokens a client may send per minute before it gets 429 (default 10); counted apart from runs. */
  authFailuresPerMinute?: number;
  /** The most work a run may take, in strategy-bars (see workBudget.ts); default DEFAULT_RUN_WORK_BUDGET. */
  runWorkBudget?: number;
  /**
   * Whether this server writes runs into the store itself (in-process runs): then /readyz also checks a write
   * lands. Default: when the launcher runs in process.
   */
  storeWrites?: boolean;
  /** How many proxies' X-Forwarded-For to trust (1 behind a load balancer); 0 trusts none. */
  trustProxyHops?: number;
  logger?: FastifyServerOptions['logger'];
  publicDir?: string;
}

const READY_TIMEOUT_MS = 3000;

/** The bounds of a run started from the web page. */
export const RUN_LIMITS = { minStrategies: 10, maxStrategies: 100_000 } as const;

const RUN_ID = RUN_ID_PATTERN.source;

const runIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: RUN_ID } },
} as const;

/** An answer for the client, e.g. 404 for an unknown run: the error handler sends its message. */
class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

const errorBody = (statusCode: number, message: string) => ({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message });

/** Routes that take no parameters say so: an unexpected query string is a 400, like any other bad input. */
const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

const nullable = (type: string) => ({ type: [type, 'null'] });
const runListResponse = {
  type: 'object',
  required: ['latestRunId', 'runs'],
  properties: {
    latestRunId: nullable('string'),
    runs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          runId: { type: 'string' }, status: { type: 'string' }, createdAt: { type: 'string' }, finishedAt: nullable('string'),
          strategies: nullable('integer'), selectBy: nullable('string'), dataSource: nullable('string'), synthetic: nullable('boolean'),
          verdict: nullable('string'), headline: nullable('string'), tone: nullable('string'), drop: nullable('number'), bestId: nullable('string'), error: nullable('string'),
        },
      },
    },
    /** Runs left out because their manifest (or latest.json) cannot be read. */
    broken: {
      type: 'array',
      items: { type: 'object', properties: { key: { type: 'string' }, problem: { type: 'string' } } },
    },
  },
} as const;

const HSTS = 'max-age=31536000; includeSubDomains';

/** Failed authentications per client address in fixed one-minute windows; bounded, oldest windows dropped first. */
class FailureCounter {
  private readonly windows = new Map<string, { start: number; failures: number }>();
  constructor(private readonly max: number, private readonly windowMs = 60_000, private readonly maxClients = 10_000) {}
  /** Seconds until this client may try again, or 0 when it may now. */
  blockedFor(client: string, now = Date.now()): number {
    const window = this.windows.get(client);
    if (!window || now - window.start >= this.windowMs) return 0;
    return window.failures >= this.max ? Math.ceil((window.start + this.windowMs - now) / 1000) : 0;
  }
  fail(client: string, now = Date.now()): void {
    let window = this.windows.get(client);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.delete(client);
      window = { start: now, failures: 0 };
      this.windows.set(client, window);
      while (this.windows.size > this.maxClients) this.windows.delete(this.windows.keys().next().value as string);
    }
    window.failures += 1;
  }
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  if (!match) return false;
  // Compare digests: equal length whatever was sent, and no early exit on the first wrong character.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

function chartJsBundle(): Buffer {
  return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'));
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { store, launcher, datasets } = options;
  const reader = new RunReader(store);
  const barsOf = barCounter(store);
  const budget = options.runWorkBudget ?? DEFAULT_RUN_WORK_BUDGET;
  const authFailures = new FailureCounter(options.authFailuresPerMinute ?? 10);
  const storeWrites = options.storeWrites ?? launcher.kind === 'in-process';
  const app = Fastify({
    logger: options.logger ?? false,
    // Trust X-Forwarded-For from that many proxies only, so the rate limit counts clients, not the load balancer.
    trustProxy: (_address: string, hop: number) => hop < (options.trustProxyHops ?? 0),
    bodyLimit: 16 * 1024,
    // Unknown fields are an error, not silently dropped: a typo in a setting must not fall back to a default.
    ajv: { customOptions: { removeAdditional: false } },
    return503OnClosing: true,
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      // The app may sit behind plain HTTP (a load balancer without a certificate): don't rewrite URLs to https.
      // Styles come from /css only: no inline style, no other origin (helmet's default allows both).
      directives: { upgradeInsecureRequests: null, styleSrc: ["'self'"], fontSrc: ["'self'"] },
    },
    // Sent below, and only over HTTPS: over plain HTTP the header is meaningless, and a browser that saw it once
    // would refuse the plain-HTTP dashboard afterwards.
    strictTransportSecurity: false,
  });
  // HTTPS is the socket's, or, from a trusted proxy (TRUST_PROXY_HOPS, the ALB), its X-Forwarded-Proto.
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
  await app.register(fastifyRateLimit, { max: options.rateLimitPerMinute ?? 600, timeWindow: '1 minute' });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation || isInputError(error)) return reply.code(400).send(errorBody(400, error.message));
    if (error instanceof LauncherBusyError) return reply.code(503).send(errorBody(503, error.message));
    if (error instanceof BrokenManifestError) {
      request.log.warn({ runId: error.runId, problem: error.problem }, 'damaged run manifest');
      return reply.code(500).send(errorBody(500, `run ${error.runId} cannot be shown: its manifest.json ${error.problem}`));
    }
    if (error instanceof HttpError) return reply.code(error.statusCode).send(errorBody(error.statusCode, error.message));
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody(status, error.message));
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody(500, 'The server could not answer this request; its log has the details.'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(404, `nothing at ${request.method} ${request.url.split('?')[0]}`));
  });
  app.addHook('onClose', async () => launcher.close());

  // --- health --------------------------------------------------------------------------------------------
  const healthResponse = { type: 'object', properties: { status: { type: 'string' } } } as const;
  app.get('/healthz', { schema: { querystring: noQuery, response: { 200: healthResponse } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { querystring: noQuery } }, async (request) => {
    try {
      // A round trip to the store: a folder that can be read, or a bucket these credentials reach, in time for
      // the load balancer's health check.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('store check timed out')), READY_TIMEOUT_MS); });
      // A server that writes runs needs a store that takes writes: a full or read-only disk is not ready.
      const check = async () => {
        await store.exists(LATEST_KEY);
        if (storeWrites) await probeWritable(store);
      };
      await Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
      return { status: 'ready', store: store.location };
    } catch (error) {
      if (error instanceof StoreWriteError) {
        request.log.warn({ err: error }, 'store not writable');
        const reason = storeErrorReason(error.code);
        throw new HttpError(503, `the artifact store cannot take writes${reason ? `: ${reason}` : ''}`);
      }
      request.log.warn({ err: error }, 'store unreachable');
      throw new HttpError(503, 'the artifact store cannot be reached');
    }
  });

  // --- what a run may be started with ------------------------------------------------------------------------
  app.get('/api/options', { schema: { querystring: noQuery } }, async () => ({
    datasets: datasets.map(({ id, label }) => ({ id, label })),
    families: STRATEGY_FAMILIES,
    selectionMetrics: SELECTION_METRICS,
    defaults: { ...DEFAULT_RUN_CONFIG, dataset: datasets[0]?.id ?? null },
    limits: { ...RUN_LIMITS, maxNullMarkets: MAX_NULL_MARKETS, workBudget: budget },
    tokenRequired: options.runTriggerToken !== undefined,
    launcher: launcher.kind,
  }));

  // --- runs ------------------------------------------------------------------------------------------------
  app.get('/api/runs', { schema: { querystring: noQuery, response: { 200: runListResponse } } }, async (request) => {
    const [{ runs: committed, broken }, latest] = await Promise.all([reader.listRuns(), reader.latest()]);
    if (latest.problem) broken.push(latest.problem);
    if (broken.length > 0) request.log.warn({ broken }, 'runs left out of the list');
    // Runs under way come first; a run whose manifest is already written is listed once, as committed.
    const known = new Set(committed.map((run) => run.runId));
    const running: RunListItem[] = launcher.inFlight().filter((job) => !known.has(job.runId)).map((job) => ({
      runId: job.runId, status: job.state as 'queued' | 'running', createdAt: job.startedAt, finishedAt: null,
      strategies: job.request.config.strategies, selectBy: job.request.config.selectBy, dataSource: describeDataRef(job.request.data),
      synthetic: job.request.data.kind === 'synthetic', verdict: null, headline: null, tone: null, drop: null, bestId: null, error: null,
    }));
    return { latestRunId: latest.runId, runs: [...running, ...committed], broken };
  });

  app.get<{ Params: { id: string } }>('/api/runs/:id', { schema: { params: runIdParams, querystring: noQuery } }, async (request) => {
    const detail = await reader.detail(request.params.id);
    if (!detail) {
      const { id } = request.params;
      const progress = await launcher.status(id);
      throw new HttpError(404, progress ? `run ${id} is ${progress.state}; its results appear when it has finished` : `no run ${id}`);
    }
    return detail;
  });

  app.get<{ Params: { id: string } }>('/api/runs/:id/status', { schema: { params: runIdParams, querystring: noQuery } }, async (request) => {
    const { id } = request.params;
    // The manifest is the truth once written; before that, the launcher knows how far the run has come.
    const manifest = await reader.manifest(id);
    if (manifest) {
      const status: RunProgress = {
        runId: id, state: manifest.status, stage: null, backtest: null,
        error: manifest.error ? `${manifest.error.stage}: ${manifest.error.message}` : null,
        startedAt: manifest.createdAt, finishedAt: manifest.finishedAt,
      };
      return status;
    }
    const progress = await launcher.status(id);
    if (!progress) throw new HttpError(404, `no run ${id}`);
    return progress;
  });

  app.get<{ Params: { id: string }; Querystring: StrategiesQuery }>('/api/runs/:id/strategies', {
    schema: {
      params: runIdParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          sort: { type: 'string', enum: SORT_KEYS, default: 'id' },
          order: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
          page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 },
          pageSize: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          family: { type: 'string', enum: STRATEGY_FAMILIES },
          direction: { type: 'string', enum: ['long_only', 'long_short'] },
          minTrades: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
        },
      },
    },
  }, async (request) => {
    const page = await reader.strategies(request.params.id, request.query);
    if (!page) throw new HttpError(404, `no finished run ${request.params.id} with strategies`);
    return page;
  });

  app.get<{ Params: { id: string }; Querystring: { metric: MetricName; bins: number } }>('/api/runs/:id/histogram', {
    schema: {
      params: runIdParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          metric: { type: 'string', enum: METRIC_NAMES, default: 'winRate' },
          bins: { type: 'integer', minimum: 1, maximum: 200, default: 30 },
        },
      },
    },
  }, async (request) => {
    const histogram = await reader.histogram(request.params.id, request.query.metric, request.query.bins);
    if (!histogram) throw new HttpError(404, `no finished run ${request.params.id} with strategies`);
    return histogram;
  });

  app.get<{ Params: { id: string; '*': string } }>('/api/runs/:id/artifacts/*', {
    schema: {
      querystring: noQuery,
      params: {
        type: 'object',
        required: ['id', '*'],
        additionalProperties: false,
        properties: { id: { type: 'string', pattern: RUN_ID }, '*': { type: 'string', maxLength: 256, pattern: ARTIFACT_PATH } },
      },
    },
  }, async (request, reply) => {
    const { id, '*': path } = request.params;
    const artifact = await reader.artifact(id, path);
    if (!artifact) throw new HttpError(404, `run ${id} has no ${path}`);
    // A committed run never changes: browsers may keep its files. Before that, ask every time.
    reply
      .header('content-type', artifact.contentType)
      .header('etag', artifact.etag)
      .header('cache-control', artifact.immutable ? 'public, max-age=86400, immutable' : 'no-cache');
    if (request.headers['if-none-match'] === artifact.etag) return reply.code(304).send();
    return reply.send(artifact.body);
  });

  app.post<{ Body: Record<string, unknown> & { dataset: string } }>('/api/runs', {
    bodyLimit: 4 * 1024,
    // Counted after the token check below (the route's own onRequest runs first): a stranger's wrong tokens do not
    // use up the runs of the clients behind the same address.
    config: { rateLimit: { max: options.runsPerMinute ?? 10, timeWindow: '1 minute' } },
    // Before the body is read or validated: an unauthenticated client learns nothing about the settings.
    onRequest: async (request, reply) => {
      if (options.runTriggerToken === undefined) return;
      const wait = authFailures.blockedFor(request.ip);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new HttpError(429, `too many failed authentications from this address; try again in ${wait} s`);
      }
      if (!tokenMatches(request.headers.authorization, options.runTriggerToken)) {
        authFailures.fail(request.ip);
        reply.header('www-authenticate', 'Bearer realm="overfitting-lab"');
        throw new HttpError(401, 'starting a run needs the header Authorization: Bearer <token>');
      }
    },
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['strategies', 'dataset'],
        properties: {
          strategies: { type: 'integer', minimum: RUN_LIMITS.minStrategies, maximum: RUN_LIMITS.maxStrategies },
          dataset: { type: 'string', enum: datasets.map((d) => d.id) },
          families: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: STRATEGY_FAMILIES } },
          trainFraction: { type: 'number', minimum: 0.1, maximum: 0.9 },
          selectBy: { type: 'string', enum: SELECTION_METRICS },
          minTrades: { type: 'integer', minimum: 0, maximum: 10_000 },
          feesBps: { type: 'number', minimum: 0, maximum: 1000 },
          slippageBps: { type: 'number', minimum: 0, maximum: 1000 },
          overfitThreshold: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
          seed: { type: 'integer', minimum: 0, maximum: 4_294_967_295 },
          nullMarkets: { type: 'integer', minimum: 0, maximum: MAX_NULL_MARKETS },
        },
      },
      response: { 202: { type: 'object', properties: { runId: { type: 'string' }, statusUrl: { type: 'string' }, runUrl: { type: 'string' } } } },
    },
  }, async (request, reply) => {
    const { dataset: datasetId, ...settings } = request.body;
    const dataset = datasets.find((d) => d.id === datasetId);
    if (!dataset) throw new HttpError(400, `body/dataset: unknown data set "${datasetId}"`);
    const config = parseRunConfig(settings, 'body');
    const work = estimateRunWork(config, await barsOf(dataset.ref));
    if (work.total > budget) throw new HttpError(400, overBudgetMessage(work, budget));
    const { runId } = await launcher.start({ config, data: dataset.ref });
    request.log.info({ runId, strategies: config.strategies, dataset: dataset.id, work: work.total }, 'run started');
    return reply.code(202).send({ runId, statusUrl: `/api/runs/${runId}/status`, runUrl: `/run.html?id=${encodeURIComponent(runId)}` });
  });

  // --- pages and Chart.js ------------------------------------------------------------------------------------
  const chartJs = chartJsBundle();
  app.get('/vendor/chart.umd.min.js', { schema: { querystring: noQuery } }, async (_request, reply) => {
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400');
    return reply.send(chartJs);
  });
  await app.register(fastifyStatic, { root: options.publicDir ?? join(__dirname, '..', 'public'), prefix: '/' });

  return app;
}
