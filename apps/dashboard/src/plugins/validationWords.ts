// A request's validation errors (ajv's, as Fastify reports them) in words a person reads, naming the field:
// "trainFraction must be at most 0.9", not "body/trainFraction must be <= 0.9"; "selectBy must be one of win_rate,
// sharpe, …", not nine lines of "must be equal to constant". The page puts its own label for the field in front
// (Training share must be at most 0.9): the answer carries the field and the problem apart.
import type { FastifySchemaValidationError } from 'fastify';

export interface FieldProblem {
  /** The field of the request (its JSON name), or null for the request as a whole. */
  field: string | null;
  /** What is wrong with it, without its name: "must be at most 0.9". */
  problem: string;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

function problemOf(error: FastifySchemaValidationError, allowed: unknown[]): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'maximum':
      return `must be at most ${params.limit}`;
    case 'exclusiveMaximum':
      return `must be less than ${params.limit}`;
    case 'minimum':
      return `must be at least ${params.limit}`;
    case 'exclusiveMinimum':
      return `must be more than ${params.limit}`;
    case 'minItems':
      return `needs at least ${params.limit} chosen`;
    case 'maxItems':
      return `takes at most ${params.limit}`;
    case 'type':
      return `must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}`;
    case 'enum':
    case 'const':
    case 'anyOf':
      return `must be one of ${allowed.map(String).join(', ')}`;
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a setting a run takes';
    case 'uniqueItems':
      return 'lists a value twice';
    default:
      return error.message ?? 'is not valid';
  }
}

/** The first problem of a failed validation, in words, with the field it is about. */
export function describeValidation(errors: readonly FastifySchemaValidationError[]): FieldProblem {
  const first = errors.find((e) => e.keyword !== 'anyOf') ?? errors[0];
  const params = (first?.params ?? {}) as Record<string, unknown>;
  const path = first?.instancePath.split('/').filter(Boolean) ?? [];
  // A missing or unknown field is named in params; an array item's problem is its list's (families/0 → families).
  const field =
    first?.keyword === 'required'
      ? String(params.missingProperty)
      : first?.keyword === 'additionalProperties'
        ? String(params.additionalProperty)
        : (path[0] ?? null);
  // Every value the field could have taken (an enum's list, or the consts of an anyOf), for one message.
  const allowed = errors
    .filter((e) => e.instancePath === first?.instancePath)
    .flatMap((e) => {
      const p = e.params as { allowedValues?: unknown[]; allowedValue?: unknown };
      return p.allowedValues ?? (p.allowedValue !== undefined ? [p.allowedValue] : []);
    });
  return { field, problem: first ? problemOf(first, [...new Set(allowed)]) : 'is not valid' };
}
