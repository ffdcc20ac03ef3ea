// How failures are answered. Errors a client can cause answer 4xx with a message; a stored artifact that cannot
// be read back is the server's fault (500, a short message naming it, the details in the log); anything else is a
// bare 500 (the details go to the log, never to the client). Errors are recognised by their class only.
import { STATUS_CODES } from 'node:http';
import fp from 'fastify-plugin';
import fastifySensible from '@fastify/sensible';
import type { FastifyError } from 'fastify';
import { CorruptArtifactError, InputError } from '@overfit/core';
import { LauncherBusyError } from '../runLauncher';
import { BrokenManifestError } from '../runManifest';
import { describeValidation } from './validationWords';

const errorBody = (statusCode: number, message: string) => ({
  statusCode,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message,
});

export default fp(
  async (app) => {
    // app.httpErrors.notFound(…) and the like: errors that carry their status and a message for the client.
    await app.register(fastifySensible);
    const { HttpError } = app.httpErrors;

    app.setErrorHandler((error: FastifyError, request, reply) => {
      // A run's settings that do not hold are said in words, with the field apart, for the page to name it as its
      // form does ("Training share must be at most 0.9").
      if (error.validation && error.validationContext === 'body') {
        const { field, problem } = describeValidation(error.validation);
        return reply.code(400).send({ ...errorBody(400, field ? `${field} ${problem}` : problem), field, problem });
      }
      if (error instanceof InputError && error.where?.startsWith('body.')) {
        const field = /^body\.(\w+)/.exec(error.where)?.[1] ?? null;
        const problem = error.problems[0]?.message ?? error.message;
        return reply.code(400).send({ ...errorBody(400, error.message.replace(/^body\./, '')), field, problem });
      }
      if (error.validation || error instanceof InputError) return reply.code(400).send(errorBody(400, error.message));
      if (error instanceof LauncherBusyError) return reply.code(503).send(errorBody(503, error.message));
      if (error instanceof BrokenManifestError) {
        request.log.warn({ runId: error.runId, problem: error.problem }, 'damaged run manifest');
        return reply
          .code(500)
          .send(errorBody(500, `run ${error.runId} cannot be shown: its manifest.json ${error.problem}`));
      }
      if (error instanceof CorruptArtifactError) {
        request.log.error({ err: error }, 'corrupt artifact');
        return reply
          .code(500)
          .send(errorBody(500, `${error.key} cannot be read back; the server's log has the details.`));
      }
      if (error instanceof HttpError)
        return reply.code(error.statusCode).send(errorBody(error.statusCode, error.message));
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return reply.code(status).send(errorBody(status, error.message));
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send(errorBody(500, 'The server could not answer this request; its log has the details.'));
    });
    app.setNotFoundHandler((request, reply) => {
      reply.code(404).send(errorBody(404, `nothing at ${request.method} ${request.url.split('?')[0]}`));
    });
  },
  { name: 'dashboard-errors' },
);
