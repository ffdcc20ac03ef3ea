// The run config contract: every run option, its type, limits and default, once. The CLI's flags, the Lambda
// events, the dashboard's POST /api/runs (RUN_REQUEST_SCHEMA) and its form (OPTION_LIMITS) all read these.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { SELECTION_METRICS } from '../metrics';
import { STRATEGY_FAMILIES } from './strategy';
import { choiceOf } from './check';

export const MAX_NULL_MARKETS = 200;

export const MAX_STRATEGIES = 1_000_000;

/**
 * The most fees + slippage a run may charge, together, in basis points of equity per unit of position change
 * (a flip long → short pays twice). At 1,000 (10 %) the real hourly history's best strategy still ends at
 * −99.998 %, a number; from 2,500 (a flip costs half the equity) results read −100 % everywhere, and at 5,000 a
 * flip costs all of it, so totals turn negative or NaN (packages/core/README.md, Accounting).
 */
export const MAX_COST_BPS = 1000;

// The order of the fields is the order of a parsed config's keys, and so of manifest.json's "config".
export const RUN_CONFIG_PROPERTIES = {
  strategies: Type.Integer({ minimum: 1, maximum: MAX_STRATEGIES, default: 500 }),
  seed: Type.Integer({ minimum: 0, maximum: 0xffffffff, default: 42 }),
  families: Type.Array(choiceOf(STRATEGY_FAMILIES), { minItems: 1, default: [...STRATEGY_FAMILIES] }),
  trainFraction: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.7 }),
  selectBy: choiceOf(SELECTION_METRICS, { default: 'win_rate' }),
  minTrades: Type.Integer({ minimum: 0, default: 10 }),
  feesBps: Type.Number({ minimum: 0, maximum: MAX_COST_BPS, default: 10 }),
  slippageBps: Type.Number({ minimum: 0, maximum: MAX_COST_BPS, default: 0 }),
  overfitThreshold: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 10, default: 0.15 }),
  // Synthetic markets (same length and volatility, no edge) on which the whole selection is repeated. Each costs
  // one training-window backtest of up to 1,000 strategies. 19 is the fewest with which the Monte Carlo p-value
  // (1 + #{null ≥ real}) / (K + 1) can reach 0.05: with fewer, the control can never reject luck.
  nullMarkets: Type.Integer({ minimum: 0, maximum: MAX_NULL_MARKETS, default: 19 }),
};

/** A complete, valid run config (what parseRunConfig returns). */
export const RUN_CONFIG_SCHEMA = Type.Object(RUN_CONFIG_PROPERTIES, { additionalProperties: false });
export type RunConfig = Static<typeof RUN_CONFIG_SCHEMA>;

/** Run options as a user or an event gives them: any may be left out (its default applies), none may be unknown. */
export const RUN_OPTIONS_SCHEMA = Type.Partial(RUN_CONFIG_SCHEMA, { additionalProperties: false });

export type RunOption = keyof RunConfig;

/** What a form needs to render one option: its kind, default and bounds (exclusive ones flagged), or its choices. */
export interface OptionLimit {
  type: 'integer' | 'number' | 'choice' | 'choices';
  default: unknown;
  min?: number;
  max?: number;
  /** The bound itself is not allowed (trainFraction is strictly between 0 and 1). */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** The allowed values of a choice, or of each item of a list of choices. */
  values?: string[];
}

const constants = (schema: TSchema) => (schema.anyOf as { const: string }[]).map((v) => v.const);

function limitOf(schema: TSchema): OptionLimit {
  const limit: OptionLimit = { type: schema.type, default: schema.default };
  if (schema.type === 'array') Object.assign(limit, { type: 'choices', values: constants(schema.items) });
  else if (schema.anyOf) Object.assign(limit, { type: 'choice', values: constants(schema) });
  if (schema.minimum !== undefined) limit.min = schema.minimum;
  if (schema.exclusiveMinimum !== undefined) Object.assign(limit, { min: schema.exclusiveMinimum, exclusiveMin: true });
  if (schema.maximum !== undefined) limit.max = schema.maximum;
  if (schema.exclusiveMaximum !== undefined) Object.assign(limit, { max: schema.exclusiveMaximum, exclusiveMax: true });
  return limit;
}

/** Every run option's limits as plain data, read off the schema (so a page and the validator cannot disagree). */
export const OPTION_LIMITS = Object.fromEntries(
  Object.entries(RUN_CONFIG_PROPERTIES).map(([name, schema]) => [name, limitOf(schema)]),
) as Record<RunOption, OptionLimit>;
