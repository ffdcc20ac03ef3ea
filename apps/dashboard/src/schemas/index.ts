// The API's JSON schemas and the settings a run may be started with, in one module. Every route has a schema, so
// a malformed id, path, query or body is a 400 before any handler runs. The body of POST /api/runs is
// `startRunBody` and what GET /api/options offers is `runOptions`, both read off the shared contracts in
// @overfit/core (RUN_REQUEST_SCHEMA, OPTION_LIMITS), so the page, the API and the CLI accept the same settings.
import {
  COMPOUNDED_ANNUAL_METRICS,
  WINDOW_TOTAL_METRICS,
  DEFAULT_RUN_CONFIG,
  MAX_NULL_MARKETS,
  MIN_ANNUALISED_YEARS,
  METRIC_LABELS,
  METRIC_NAMES,
  OPTION_LIMITS,
  PERCENT_METRICS,
  RUN_REQUEST_SCHEMA,
  SELECTION_METRIC_FIELDS,
  SELECTION_METRICS,
  STAGE_NAMES,
  STRATEGY_FAMILIES,
  YEAR_MS,
} from '@overfit/core';
import { RUN_ID_PATTERN } from '@overfit/store';
import { ARTIFACT_PATH } from '../runManifest';
import { SORT_KEYS } from '../runTable';

/** What GET /api/options tells the page a run may be started with (the data sets and the server's own limits aside). */
export function runOptions(limits: { workBudget: number }) {
  return {
    families: STRATEGY_FAMILIES,
    selectionMetrics: SELECTION_METRICS,
    defaults: DEFAULT_RUN_CONFIG,
    // Every option's bounds, read off the run config's schema: the page sets its inputs' min/max from them.
    optionLimits: OPTION_LIMITS,
    limits: {
      minStrategies: OPTION_LIMITS.strategies.min,
      maxStrategies: OPTION_LIMITS.strategies.max,
      maxNullMarkets: MAX_NULL_MARKETS,
      workBudget: limits.workBudget,
    },
    // How the pages name and format what they show (they have no build step, so they read core's lists here).
    percentMetrics: PERCENT_METRICS,
    metricLabels: METRIC_LABELS,
    selectionFields: SELECTION_METRIC_FIELDS,
    stages: STAGE_NAMES,
    // Annual rates of windows shorter than minYears are extrapolations: the pages show them as "—", as the figures do.
    annualised: { metrics: COMPOUNDED_ANNUAL_METRICS, minYears: MIN_ANNUALISED_YEARS, yearMs: YEAR_MS },
    // Totals over a window: their change between unequal windows is not shown.
    windowTotals: WINDOW_TOTAL_METRICS,
  };
}

/**
 * The body of POST /api/runs: the run request's contract from @overfit/core, with `dataset` narrowed to the data
 * sets this server offers. (Fees plus slippage ≤ 1,000 bps spans two fields: parseRunConfig checks it in the handler.)
 */
export function startRunBody(datasetIds: string[]) {
  return {
    ...RUN_REQUEST_SCHEMA,
    properties: { ...RUN_REQUEST_SCHEMA.properties, dataset: { type: 'string', enum: datasetIds } },
  };
}

export const startRunResponse = {
  type: 'object',
  properties: { runId: { type: 'string' }, statusUrl: { type: 'string' }, runUrl: { type: 'string' } },
} as const;

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
          runId: { type: 'string' },
          status: { type: 'string' },
          createdAt: { type: 'string' },
          finishedAt: nullable('string'),
          strategies: nullable('integer'),
          selectBy: nullable('string'),
          dataSource: nullable('string'),
          synthetic: nullable('boolean'),
          verdict: nullable('string'),
          headline: nullable('string'),
          tone: nullable('string'),
          drop: nullable('number'),
          bestId: nullable('string'),
          error: nullable('string'),
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
  properties: {
    id: { type: 'string', pattern: RUN_ID },
    '*': { type: 'string', maxLength: 256, pattern: ARTIFACT_PATH },
  },
} as const;
