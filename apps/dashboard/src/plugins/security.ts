// Security headers (helmet, and HSTS over HTTPS only) and the rate limit over every route.
import fp from 'fastify-plugin';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';

const HSTS = 'max-age=31536000; includeSubDomains';

export default fp<{ rateLimitPerMinute?: number }>(
  async (app, options) => {
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
  },
  { name: 'dashboard-security' },
);
