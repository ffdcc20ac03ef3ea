// Who may start runs: with RUN_TRIGGER_TOKEN set, POST /api/runs needs `Authorization: Bearer <token>`, checked
// before the body is read or validated (an unauthenticated client learns nothing about the settings), with failed
// attempts limited per client address apart from the runs themselves.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';

/** Failed authentications per client address in fixed one-minute windows; bounded, oldest windows dropped first. */
class FailureCounter {
  private readonly windows = new Map<string, { start: number; failures: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
    private readonly maxClients = 10_000,
  ) {}
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

/** The onRequest hook of the route that starts runs; lets everyone through when no token is configured. */
export function runTriggerAuth(app: FastifyInstance): onRequestAsyncHookHandler {
  const { runTriggerToken, authFailuresPerMinute } = app.dashboard;
  const failures = new FailureCounter(authFailuresPerMinute);
  return async (request, reply) => {
    if (runTriggerToken === undefined) return;
    const wait = failures.blockedFor(request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw app.httpErrors.tooManyRequests(`too many failed authentications from this address; try again in ${wait} s`);
    }
    if (!tokenMatches(request.headers.authorization, runTriggerToken)) {
      failures.fail(request.ip);
      reply.header('www-authenticate', 'Bearer realm="overfitting-lab"');
      throw app.httpErrors.unauthorized('starting a run needs the header Authorization: Bearer <token>');
    }
  };
}
