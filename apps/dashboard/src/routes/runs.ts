// The runs: the list (runs under way first), one run's results, its status while it computes, its strategies page
// by page, the histogram of a metric, and POST /api/runs to start one. Starting a run is authenticated first
// (onRequest, before the body is even read), then rate-limited, then validated, then priced against the budget.
import type { FastifyInstance } from 'fastify';
import { parseRunConfig, type MetricName } from '@overfit/core';
import { describeDataRef } from '@overfit/data';
import { runTriggerAuth } from '../plugins/auth';
import type { RunProgress } from '../runLauncher';
import { failureOf, publicSource, type RunListItem } from '../runManifest';
import type { StrategiesQuery } from '../runTable';
import {
  histogramQuery,
  noQuery,
  runIdParams,
  runListResponse,
  startRunBody,
  startRunResponse,
  strategiesQuery,
} from '../schemas';
import { estimateRunWork, overBudgetMessage } from '../workBudget';

type RunParams = { Params: { id: string } };

export default async function runRoutes(app: FastifyInstance): Promise<void> {
  const { reader, launcher, datasets, barsOf, runWorkBudget, runsPerMinute } = app.dashboard;
  const noRun = (id: string) => app.httpErrors.notFound(`no finished run ${id} with strategies`);

  app.get('/api/runs', { schema: { querystring: noQuery, response: { 200: runListResponse } } }, async (request) => {
    const [{ runs: committed, broken }, latest] = await Promise.all([reader.listRuns(), reader.latest()]);
    if (latest.problem) broken.push(latest.problem);
    if (broken.length > 0) request.log.warn({ broken }, 'runs left out of the list');
    // Runs under way come first; a run whose manifest is already written is listed once, as committed.
    const known = new Set(committed.map((run) => run.runId));
    const running: RunListItem[] = launcher
      .inFlight()
      .filter((job) => !known.has(job.runId))
      .map((job) => ({
        runId: job.runId,
        status: job.state as 'queued' | 'running',
        createdAt: job.startedAt,
        finishedAt: null,
        strategies: job.request.config.strategies,
        selectBy: job.request.config.selectBy,
        dataSource: publicSource(describeDataRef(job.request.data)),
        synthetic: job.request.data.kind === 'synthetic',
        verdict: null,
        headline: null,
        tone: null,
        drop: null,
        bestId: null,
        error: null,
      }));
    return { latestRunId: latest.runId, runs: [...running, ...committed], broken };
  });

  app.get<RunParams>('/api/runs/:id', { schema: { params: runIdParams, querystring: noQuery } }, async (request) => {
    const detail = await reader.detail(request.params.id);
    if (!detail) {
      const { id } = request.params;
      const progress = await launcher.status(id);
      throw app.httpErrors.notFound(
        progress ? `run ${id} is ${progress.state}; its results appear when it has finished` : `no run ${id}`,
      );
    }
    return detail;
  });

  app.get<RunParams>(
    '/api/runs/:id/status',
    { schema: { params: runIdParams, querystring: noQuery } },
    async (request) => {
      const { id } = request.params;
      // The manifest is the truth once written; before that, the launcher knows how far the run has come.
      const manifest = await reader.manifest(id);
      if (manifest) {
        const status: RunProgress = {
          runId: id,
          state: manifest.status,
          stage: null,
          backtest: null,
          validate: null,
          error: failureOf(manifest),
          startedAt: manifest.createdAt,
          finishedAt: manifest.finishedAt,
        };
        return status;
      }
      const progress = await launcher.status(id);
      if (!progress) throw app.httpErrors.notFound(`no run ${id}`);
      return progress;
    },
  );

  app.get<RunParams & { Querystring: StrategiesQuery }>(
    '/api/runs/:id/strategies',
    {
      schema: { params: runIdParams, querystring: strategiesQuery },
    },
    async (request) => {
      const page = await reader.strategies(request.params.id, request.query);
      if (!page) throw noRun(request.params.id);
      return page;
    },
  );

  app.get<RunParams & { Querystring: { metric: MetricName; bins: number } }>(
    '/api/runs/:id/histogram',
    {
      schema: { params: runIdParams, querystring: histogramQuery },
    },
    async (request) => {
      const histogram = await reader.histogram(request.params.id, request.query.metric, request.query.bins);
      if (!histogram) throw noRun(request.params.id);
      return histogram;
    },
  );

  app.post<{ Body: Record<string, unknown> & { dataset: string } }>(
    '/api/runs',
    {
      bodyLimit: 4 * 1024,
      // Counted after the token check (the route's own onRequest runs first): a stranger's wrong tokens do not use up
      // the runs of the clients behind the same address.
      config: { rateLimit: { max: runsPerMinute, timeWindow: '1 minute' } },
      onRequest: runTriggerAuth(app),
      schema: { body: startRunBody(datasets.map((d) => d.id)), response: { 202: startRunResponse } },
    },
    async (request, reply) => {
      const { dataset: datasetId, ...settings } = request.body;
      const dataset = datasets.find((d) => d.id === datasetId);
      if (!dataset) throw app.httpErrors.badRequest(`body/dataset: unknown data set "${datasetId}"`);
      const config = parseRunConfig(settings, 'body');
      const work = estimateRunWork(config, await barsOf(dataset.ref));
      if (work.total > runWorkBudget) throw app.httpErrors.badRequest(overBudgetMessage(work, runWorkBudget));
      const { runId } = await launcher.start({ config, data: dataset.ref });
      request.log.info({ runId, strategies: config.strategies, dataset: dataset.id, work: work.total }, 'run started');
      return reply
        .code(202)
        .send({ runId, statusUrl: `/api/runs/${runId}/status`, runUrl: `/run.html?id=${encodeURIComponent(runId)}` });
    },
  );
}
