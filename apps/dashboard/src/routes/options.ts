// GET /api/options: what a run may be started with here (the data sets, families, metrics, defaults and limits),
// whether starting one needs a token, and how runs are launched. The Try it page builds its form from it.
import type { FastifyInstance } from 'fastify';
import { noQuery, runOptions } from '../schemas';

export default async function optionsRoutes(app: FastifyInstance): Promise<void> {
  const { datasets, launcher, runWorkBudget, runTriggerToken } = app.dashboard;
  app.get('/api/options', { schema: { querystring: noQuery } }, async () => {
    const { defaults, ...options } = runOptions({ workBudget: runWorkBudget });
    return {
      datasets: datasets.map(({ id, label }) => ({ id, label })),
      ...options,
      defaults: { ...defaults, dataset: datasets[0]?.id ?? null },
      tokenRequired: runTriggerToken !== undefined,
      launcher: launcher.kind,
    };
  });
}
