// GET /api/runs/:id/artifacts/*: one file of a run folder (a figure, a table, a results document), with an ETag.
import type { FastifyInstance } from 'fastify';
import { artifactParams, noQuery } from '../schemas';

export default async function artifactRoutes(app: FastifyInstance): Promise<void> {
  const { reader } = app.dashboard;
  app.get<{ Params: { id: string; '*': string } }>(
    '/api/runs/:id/artifacts/*',
    { schema: { querystring: noQuery, params: artifactParams } },
    async (request, reply) => {
      const { id, '*': path } = request.params;
      const artifact = await reader.artifact(id, path);
      if (!artifact) throw app.httpErrors.notFound(`run ${id} has no ${path}`);
      // A committed run never changes: browsers may keep its files. Before that, ask every time.
      reply
        .header('content-type', artifact.contentType)
        .header('etag', artifact.etag)
        .header('cache-control', artifact.immutable ? 'public, max-age=86400, immutable' : 'no-cache');
      if (request.headers['if-none-match'] === artifact.etag) return reply.code(304).send();
      return reply.send(artifact.body);
    },
  );
}
