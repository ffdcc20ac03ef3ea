// The dashboard as a Fastify instance, without listen(): server.ts serves it, tests call inject(). Laid out as
// fastify/demo is: plugins/ (what the routes share, security headers and rate limit, how errors are answered),
// routes/ (one file per part of the API, plus the pages), schemas/ (every route's JSON schema).
import { join } from 'node:path';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import configPlugin, { type AppOptions } from './plugins/config';
import errorsPlugin from './plugins/errors';
import securityPlugin from './plugins/security';
import artifactRoutes from './routes/artifacts';
import healthRoutes from './routes/health';
import optionsRoutes from './routes/options';
import pageRoutes from './routes/pages';
import runRoutes from './routes/runs';

export type { AppOptions } from './plugins/config';

/**
 * Every request at info was hundreds of lines a session: requests are logged at debug (LOG_LEVEL=debug shows them);
 * info keeps what an operator needs (the start, runs started and finished, errors: the error handler logs those).
 */
class DebugRequestLogs extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, _request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

export async function buildApp(
  options: AppOptions & { logger?: FastifyServerOptions['logger'] },
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // Trust X-Forwarded-For from that many proxies only, so the rate limit counts clients, not the load balancer.
    trustProxy: (_address: string, hop: number) => hop < (options.trustProxyHops ?? 0),
    bodyLimit: 16 * 1024,
    // Unknown fields are an error, not silently dropped: a typo in a setting must not fall back to a default.
    ajv: { customOptions: { removeAdditional: false } },
    return503OnClosing: true,
    logController: new DebugRequestLogs(),
  });
  await app.register(configPlugin, options);
  await app.register(securityPlugin, { rateLimitPerMinute: options.rateLimitPerMinute });
  await app.register(errorsPlugin);

  await app.register(healthRoutes);
  await app.register(optionsRoutes);
  await app.register(runRoutes);
  await app.register(artifactRoutes);
  await app.register(pageRoutes, { publicDir: options.publicDir ?? join(__dirname, '..', 'public') });
  return app;
}
