// The dashboard's POST /api/runs body: the run options plus the data set to run on. A JSON Schema object
// Fastify validates with; which data sets exist is the server's to check (they depend on its configuration).
import { Type, type Static } from '@sinclair/typebox';
import { RUN_CONFIG_PROPERTIES } from './runConfig';

const { strategies: strategiesWithDefault, ...optional } = RUN_CONFIG_PROPERTIES;
// A request names its number of strategies: without the default, a validator that fills defaults (Fastify's) still
// refuses a body without it, as a plain one does.
const { default: _default, ...strategies } = strategiesWithDefault;

export const RUN_REQUEST_SCHEMA = Type.Object(
  {
    strategies,
    dataset: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description: 'the id of a data set',
    }),
    ...Type.Partial(Type.Object(optional)).properties,
  },
  { additionalProperties: false },
);
export type RunRequest = Static<typeof RUN_REQUEST_SCHEMA>;
