// The pages (public/) and the Chart.js bundle they draw with, served from the npm package.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { noQuery } from '../schemas';

function chartJsBundle(): Buffer {
  return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'));
}

export default async function pageRoutes(app: FastifyInstance, options: { publicDir: string }): Promise<void> {
  const chartJs = chartJsBundle();
  app.get('/vendor/chart.umd.min.js', { schema: { querystring: noQuery } }, async (_request, reply) => {
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400');
    return reply.send(chartJs);
  });
  await app.register(fastifyStatic, { root: options.publicDir, prefix: '/' });
}
