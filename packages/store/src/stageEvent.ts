// What every stage event carries: the run id, the validated run config and the price data reference.
// Lambda events and `overfit stage --event` files are untrusted JSON, so each field is checked here once.
import { InputError, parseDataRef, parseRunConfig, type DataRef, type RunConfig } from '@overfit/core';
import { RUN_ID_PATTERN } from './runLayout';

export interface StageEvent {
  runId: string;
  config: RunConfig;
  data: DataRef;
}

export function asRecord(event: unknown, where = 'event'): Record<string, unknown> {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new InputError('must be a JSON object', where);
  return event as Record<string, unknown>;
}

export function parseStageEvent(event: unknown): StageEvent {
  const fields = asRecord(event);
  const runId = fields.runId;
  if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) {
    throw new InputError(`must be a run id of letters, digits, "_" and "-" (got ${JSON.stringify(runId)})`, 'event.runId');
  }
  return { runId, config: parseRunConfig(fields.config, 'event.config'), data: parseDataRef(fields.data, 'event.data') };
}

/** A key named by the event must stay inside its own run's folder. */
export function eventKey(event: unknown, name: string, runId: string): string {
  const key = asRecord(event)[name];
  if (typeof key !== 'string' || !key.startsWith(`runs/${runId}/`) || key.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    throw new InputError(`must be a key under runs/${runId}/ (got ${JSON.stringify(key)})`, `event.${name}`);
  }
  return key;
}
