// One validator for every contract: a TypeBox schema's errors become one InputError that lists every problem in
// the user's words ("event.config.trainFraction: must be a number greater than 0 and less than 1 (got 1.5)").
// The words come from the schema's own keywords (or its `description`), so the rule and its message cannot drift.
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { InputError, type Problem } from '../errors';

/** A string enum as JSON Schema `anyOf` of constants, which TypeBox checks and every JSON Schema validator reads. */
export function choiceOf<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
) {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<{ [K in keyof T]: TLiteral<T[K]> }[number][]>;
}

const list = (values: readonly unknown[]) => values.map((v) => String(v)).join(', ');

/** What a schema asks for, as the end of "must be …". */
function rule(schema: Record<string, unknown>): string {
  if (typeof schema.description === 'string') return schema.description;
  const variants = schema.anyOf as Record<string, unknown>[] | undefined;
  if (variants?.every((v) => 'const' in v)) return `one of ${list(variants.map((v) => v.const))}`;
  if ('const' in schema) return JSON.stringify(schema.const);
  const {
    minimum: min,
    maximum: max,
    exclusiveMinimum: above,
    exclusiveMaximum: below,
  } = schema as Record<string, number | undefined>;
  switch (schema.type) {
    case 'integer':
      if (min !== undefined && max !== undefined) return `an integer from ${min} to ${max}`;
      return min !== undefined ? `an integer ≥ ${min}` : 'an integer';
    case 'number': {
      if (min !== undefined && max !== undefined) return `a number from ${min} to ${max}`;
      const low = above !== undefined ? `greater than ${above}` : min !== undefined ? `≥ ${min}` : '';
      const high = below !== undefined ? `less than ${below}` : max !== undefined ? `at most ${max}` : '';
      return `a number ${[low, high].filter(Boolean).join(' and ')}`.trim();
    }
    case 'boolean':
      return 'true or false';
    case 'string':
      return schema.minLength ? 'a non-empty string' : 'a string';
    case 'array': {
      const items = schema.items as Record<string, unknown>;
      return `a ${schema.minItems ? 'non-empty ' : ''}list${schema.uniqueItems ? ' of distinct values' : ''}, each ${rule(items)}`;
    }
    case 'object':
      return 'a JSON object';
    default:
      return 'valid';
  }
}

/**
 * "event" + "/config/families/1" → "event.config.families": a list's item is named by the list (the user wrote
 * one list), an item's field keeps its index ("event.shards[0].start").
 */
function fieldName(where: string, pointer: string): string {
  let name = where;
  const parts = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (/^\d+$/.test(parts[parts.length - 1] ?? '')) parts.pop();
  for (const key of parts) name = /^\d+$/.test(key) ? `${name}[${key}]` : name ? `${name}.${key}` : key;
  return name;
}

/** The value a problem is about, short; NaN and ±Infinity by name (JSON would print null). */
function got(value: unknown): string {
  if (value === undefined) return 'missing';
  return `got ${typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value)?.slice(0, 80)}`;
}

/**
 * A union of objects told apart by one constant field ("kind", "family"): the problems are those of the variant
 * the value names, or, when it names none, one problem for the tag (or for the whole value when the union has a
 * description, which then says what is accepted).
 */
function unionProblems(error: ValueError, where: string): Problem[] | undefined {
  const variants = (error.schema.anyOf ?? []) as TSchema[];
  const tag =
    variants[0]?.properties &&
    Object.keys(variants[0].properties).find((k) => variants.every((v) => 'const' in (v.properties?.[k] ?? {})));
  if (!tag) return undefined;
  const value = error.value as Record<string, unknown> | null;
  const variant =
    typeof value === 'object' && value !== null
      ? variants.find((v) => v.properties[tag].const === value[tag])
      : undefined;
  if (variant) return problems(variant, value, fieldName(where, error.path));
  const field = fieldName(where, error.path);
  if (typeof error.schema.description === 'string')
    return [{ where: field, message: `must be ${error.schema.description} (${got(value)})` }];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ where: field, message: `must be a JSON object (${got(value)})` }];
  const tags = variants.map((v) => v.properties[tag].const);
  return [
    { where: fieldName(where, `${error.path}/${tag}`), message: `must be one of ${list(tags)} (${got(value[tag])})` },
  ];
}

/** Every problem of `value` against `schema`, one per field, in the user's words; [] when it is valid. */
export function problems(schema: TSchema, value: unknown, where: string): Problem[] {
  const found: Problem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    // One problem per field: a missing field is not also of the wrong type, a bad object not also bad inside.
    if ([...seen].some((path) => error.path === path || error.path.startsWith(`${path}/`))) continue;
    seen.add(error.path);
    const field = fieldName(where, error.path);
    if (error.type === ValueErrorType.ObjectAdditionalProperties) {
      found.push({
        where: field,
        message: `unknown field (known: ${list(Object.keys(error.schema.properties ?? {}))})`,
      });
    } else if (error.type === ValueErrorType.Union) {
      found.push(
        ...(unionProblems(error, where) ?? [
          { where: field, message: `must be ${rule(error.schema)} (${got(error.value)})` },
        ]),
      );
    } else {
      found.push({ where: field, message: `must be ${rule(error.schema)} (${got(error.value)})` });
    }
  }
  return found;
}

/** Throw one InputError listing every problem; do nothing when there are none. */
export function assertNoProblems(found: readonly Problem[]): void {
  if (found.length > 0) throw InputError.of(found);
}

/** `value` as the schema's type, or an InputError listing every problem. */
export function check<T extends TSchema>(schema: T, value: unknown, where: string): Static<T> {
  assertNoProblems(problems(schema, value, where));
  return value as Static<T>;
}
