// The API's JSON schemas and the settings a run may be started with, in one module. Every route has a schema, so
// a malformed id, path, query or body is a 400 before any handler runs. The body of POST /api/runs is
// `startRunBody` and what GET /api/options offers is `runOptions`: each one export, so that pointing them at the
// shared contract in @overfit/core is one edit each.
import { DEFAULT_RUN_CONFIG, MAX_NULL_MARKETS, METRIC_NAMES, SELECTION_METRICS, STRATEGY_FAMILIES } from '@overfit/core';
import { RUN_ID_PATTERN } from '@overfit/store';
import { ARTIFACT_PATH } from '../runManifest';
import { SORT_KEYS } from '../runTable';

/** The bounds of a run started from the web page. */
const RUN_LIMITS = { minStrategies: 10, maxStrategies: 100_000 } as const;

/** The metrics shown as percentages (rates and returns); the others are ratios or counts. The pages format by it. */
export const PERCENT_METRICS = ['totalReturn', 'cagr', 'maxDrawdown', 'winRate', 'hitRate', 'exposure'] as const;

/** What GET /api/options tells the page a run may be started with (the data sets and the server's own limits aside). */
export function runOptions(limits: { workBudget: number }) {
  return {
    families: STRATEGY_FAMILIES,
    selectionMetrics: SELECTION_METRICS,
    defaults: DEFAULT_RUN_CONFIG,
    limits: { ...RUN_LIMITS, maxNullMarkets: MAX_NULL_MARKETS, workBudget: limits.workBudget },
    percentMetrics: PERCENT_METRICS,
  };
}

/** The body of POST /api/runs: the run's settings, and one of the data sets the server offers (by id). */
export function startRunBody(datasetIds: string[]) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['strategies', 'dataset'],
    properties: {
      strategies: { type: 'integer', minimum: RUN_LIMITS.minStrategies, maximum: RUN_LIMITS.maxStrategies },
      dataset: { type: 'string', enum: datasetIds },
      families: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: STRATEGY_FAMILIES } },
      trainFraction: { type: 'number', minimum: 0.1, maximum: 0.9 },
      selectBy: { type: 'string', enum: SELECTION_METRICS },
      minTrades: { type: 'integer', minimum: 0, maximum: 10_000 },
      feesBps: { type: 'number', minimum: 0, maximum: 1000 },
      slippageBps: { type: 'number', minimum: 0, maximum: 1000 },
      overfitThreshold: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      seed: { type: 'integer', minimum: 0, maximum: 4_294_967_295 },
      nullMarkets: { type: 'integer', minimum: 0, maximum: MAX_NULL_MARKETS },
    },
  } as const;
}

export const startRunResponse = { type: 'object', properties: { runId: { type: 'string' }, statusUrl: { type: 'string' }, runUrl: { type: 'string' } } } as const;

const RUN_ID = RUN_ID_PATTERN.source;

export const runIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: RUN_ID } },
} as const;

/** Routes that take no parameters say so: an unexpected query string is a 400, like any other bad input. */
export const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

export const healthResponse = { type: 'object', properties: { status: { type: 'string' } } } as const;

const nullable = (type: string) => ({ type: [type, 'null'] });
export const runListResponse = {
  type: 'object',
  required: ['latestRunId', 'runs'],
  properties: {
    latestRunId: nullable('string'),
    runs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          runId: { type: 'string' }, status: { type: 'string' }, createdAt: { type: 'string' }, finishedAt: nullable('string'),
          strategies: nullable('integer'), selectBy: nullable('string'), dataSource: nullable('string'), synthetic: nullable('boolean'),
          verdict: nullable('string'), headline: nullable('string'), tone: nullable('string'), drop: nullable('number'), bestId: nullable('string'), error: nullable('string'),
        },
      },
    },
    /** Runs left out because their manifest (or latest.json) cannot be read. */
    broken: {
      type: 'array',
      items: { type: 'object', properties: { key: { type: 'string' }, problem: { type: 'string' } } },
    },
  },
} as const;

export const strategiesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sort: { type: 'string', enum: SORT_KEYS, default: 'id' },
    order: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
    page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    family: { type: 'string', enum: STRATEGY_FAMILIES },
    direction: { type: 'string', enum: ['long_only', 'long_short'] },
    minTrades: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
  },
} as const;

export const histogramQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    metric: { type: 'string', enum: METRIC_NAMES, default: 'winRate' },
    bins: { type: 'integer', minimum: 1, maximum: 200, default: 30 },
  },
} as const;

export const artifactParams = {
  type: 'object',
  required: ['id', '*'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: RUN_ID }, '*': { type: 'string', maxLength: 256, pattern: ARTIFACT_PATH } },
} as const;
