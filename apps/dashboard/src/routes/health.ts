// GET /healthz (the process answers) and GET /readyz (the store answers, and takes writes when this server
// writes runs), for the load balancer and the container's health check.
import type { FastifyInstance } from 'fastify';
import { LATEST_KEY, probeWritable, StoreWriteError, storeErrorReason } from '@overfit/store';
import { healthResponse, noQuery } from '../schemas';

const READY_TIMEOUT_MS = 3000;

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { store, storeWrites } = app.dashboard;
  app.get('/healthz', { schema: { querystring: noQuery, response: { 200: healthResponse } } }, async () => ({
    status: 'ok',
  }));

  app.get('/readyz', { schema: { querystring: noQuery } }, async (request) => {
    try {
      // A round trip to the store: a folder that can be read, or a bucket these credentials reach, in time for
      // the load balancer's health check.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('store check timed out')), READY_TIMEOUT_MS);
      });
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
        throw app.httpErrors.serviceUnavailable(`the artifact store cannot take writes${reason ? `: ${reason}` : ''}`);
      }
      request.log.warn({ err: error }, 'store unreachable');
      throw app.httpErrors.serviceUnavailable('the artifact store cannot be reached');
    }
  });
}
