// What every stage event carries: the run id, the validated run config and the price data reference.
// Lambda events and `overfit stage --event` files are untrusted JSON: each is checked here once, against its
// stage's schema (@overfit/core's contracts), and every problem is listed in one InputError.
import {
  assertNoProblems,
  InputError,
  parseDataRef,
  parseRunConfig,
  problems,
  STAGE_EVENT_SCHEMAS,
  type Problem,
  type StageEvent,
} from '@overfit/core';
import { RUN_ID_PATTERN } from './runLayout';

export type { StageEvent } from '@overfit/core';

export function asRecord(event: unknown, where = 'event'): Record<string, unknown> {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw new InputError('must be a JSON object', where);
  return event as Record<string, unknown>;
}

/** A key named by the event must stay inside its own run's folder. */
function keyProblem(key: unknown, name: string, runId: string): Problem | undefined {
  if (
    typeof key === 'string' &&
    key.startsWith(`runs/${runId}/`) &&
    !key.split('/').some((s) => s === '..' || s === '.' || s === '')
  )
    return undefined;
  return {
    where: `event.${name}`,
    message: `must be a key under runs/${runId}/ (${key === undefined ? 'missing' : `got ${JSON.stringify(key)}`})`,
  };
}

/**
 * Check an event against its stage's schema (by default the fields every stage shares) and every artifact key it
 * names (the fields ending in "Key") against the run's folder; list every problem. Returns the shared fields, the
 * config's defaults filled in; the stage's own fields are then as its schema says.
 */
export function parseStageEvent(event: unknown, stage: keyof typeof STAGE_EVENT_SCHEMAS = 'stage'): StageEvent {
  const schema = STAGE_EVENT_SCHEMAS[stage];
  const found = problems(schema, event, 'event');
  const fields = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const runId = fields.runId;
  if (typeof runId === 'string' && RUN_ID_PATTERN.test(runId)) {
    // Key problems in the run's own words ("a key under runs/r1/"), replacing the schema's generic ones.
    for (const name of Object.keys(schema.properties).filter((k) => k.endsWith('Key'))) {
      const at = found.findIndex((p) => p.where === `event.${name}`);
      const problem = fields[name] === undefined && at < 0 ? undefined : keyProblem(fields[name], name, runId);
      if (problem && at >= 0) found[at] = problem;
      else if (problem) found.push(problem);
    }
  }
  assertNoProblems(found);
  return {
    runId: runId as string,
    config: parseRunConfig(fields.config, 'event.config'),
    data: parseDataRef(fields.data, 'event.data'),
  };
}
