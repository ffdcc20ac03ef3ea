// The configuration of one run and the reference to its price data: validated once at the edge (CLI flags,
// Lambda events, HTTP bodies) so every stage can trust it.
import { InputError } from './errors';
import { STRATEGY_FAMILIES, type StrategyFamily } from './types';
import { SELECTION_METRICS, type SelectionMetric } from './metrics';

export interface RunConfig {
  strategies: number;
  seed: number;
  families: StrategyFamily[];
  trainFraction: number;
  selectBy: SelectionMetric;
  minTrades: number;
  feesBps: number;
  slippageBps: number;
  overfitThreshold: number;
  /** Synthetic markets (same length and volatility, no edge) on which the whole selection is repeated. */
  nullMarkets: number;
}

export const DEFAULT_RUN_CONFIG: RunConfig = {
  strategies: 500,
  seed: 42,
  families: [...STRATEGY_FAMILIES],
  trainFraction: 0.7,
  selectBy: 'win_rate',
  minTrades: 10,
  feesBps: 10,
  slippageBps: 0,
  overfitThreshold: 0.15,
  // Each null market costs one training-window backtest of up to 1,000 strategies. 19 is the fewest with which the
  // Monte Carlo p-value (1 + #{null ≥ real}) / (K + 1) can reach 0.05: with fewer, the control can never reject luck.
  nullMarkets: 19,
};

export const MAX_NULL_MARKETS = 200;

export const MAX_STRATEGIES = 1_000_000;

/**
 * The most fees + slippage a run may charge, together, in basis points of equity per unit of position change
 * (a flip long → short pays twice). At 1,000 (10 %) the real hourly history's best strategy still ends at
 * −99.998 %, a number; from 2,500 (a flip costs half the equity) results read −100 % everywhere, and at 5,000 a
 * flip costs all of it, so totals turn negative or NaN (packages/core/README.md, Accounting).
 */
export const MAX_COST_BPS = 1000;

/** The CSV layouts @overfit/data reads (packages/data/README.md); a file reference may force one. */
export const PRICE_FORMATS = ['generic', 'yahoo', 'binance', 'dukascopy', 'close_only'] as const;
export type PriceFormat = (typeof PRICE_FORMATS)[number];

/**
 * Where a run's prices come from: a CSV file, a CSV object in the run's artifact store (`data/<name>.csv`: how
 * Lambdas, which have no shared disk, read it), or a seeded synthetic market (a null market: no edge exists).
 * A file may force its layout (`format`), drop bad rows instead of failing (`lenient`), and be resampled to a
 * coarser bar (`resampleSeconds`); absent means detect, strict, as stored.
 */
export type DataRef =
  | ({ kind: 'file'; path: string } & CsvOptions)
  | ({ kind: 'store'; key: string } & CsvOptions)
  | { kind: 'synthetic'; bars: number; seed: number; intervalSeconds: number };

/** How a CSV is read; the same for a file on disk and a CSV object in the artifact store. */
export interface CsvOptions {
  format?: PriceFormat;
  lenient?: boolean;
  resampleSeconds?: number;
}

/** The synthetic market used when no real data is present: two years of hourly bars. */
export const DEFAULT_SYNTHETIC: DataRef = { kind: 'synthetic', bars: 17_520, seed: 42, intervalSeconds: 3600 };

type Fields = Record<string, unknown>;

function numberField(fields: Fields, name: keyof RunConfig, where: string, check: (v: number) => boolean, rule: string): number {
  const value = fields[name] ?? DEFAULT_RUN_CONFIG[name];
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    throw new InputError(`must be ${rule} (got ${JSON.stringify(value)})`, `${where}.${name}`);
  }
  return value;
}

/** Fill defaults and validate; unknown fields are an error so a typo never silently falls back to a default. */
export function parseRunConfig(input: unknown, where = 'config'): RunConfig {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new InputError('must be an object', where);
  const fields = input as Fields;
  for (const key of Object.keys(fields)) {
    if (!(key in DEFAULT_RUN_CONFIG)) throw new InputError(`unknown setting (known: ${Object.keys(DEFAULT_RUN_CONFIG).join(', ')})`, `${where}.${key}`);
  }
  const families = fields.families ?? DEFAULT_RUN_CONFIG.families;
  if (!Array.isArray(families) || families.length === 0) throw new InputError('must be a non-empty list of families', `${where}.families`);
  for (const family of families) {
    if (!(STRATEGY_FAMILIES as readonly unknown[]).includes(family)) {
      throw new InputError(`unknown family ${JSON.stringify(family)} (known: ${STRATEGY_FAMILIES.join(', ')})`, `${where}.families`);
    }
  }
  const selectBy = fields.selectBy ?? DEFAULT_RUN_CONFIG.selectBy;
  if (!(SELECTION_METRICS as readonly unknown[]).includes(selectBy)) {
    throw new InputError(`unknown metric ${JSON.stringify(selectBy)} (known: ${SELECTION_METRICS.join(', ')})`, `${where}.selectBy`);
  }
  const isInt = Number.isInteger;
  const fees = numberField(fields, 'feesBps', where, (v) => v >= 0 && v <= MAX_COST_BPS, `between 0 and ${MAX_COST_BPS} basis points`);
  const slippage = numberField(fields, 'slippageBps', where, (v) => v >= 0 && v <= MAX_COST_BPS, `between 0 and ${MAX_COST_BPS} basis points`);
  assertCosts(fees, slippage, `${where}.feesBps + slippageBps`);
  return {
    strategies: numberField(fields, 'strategies', where, (v) => isInt(v) && v >= 1 && v <= MAX_STRATEGIES, `an integer from 1 to ${MAX_STRATEGIES}`),
    seed: numberField(fields, 'seed', where, (v) => isInt(v) && v >= 0 && v <= 0xffffffff, 'an integer from 0 to 4294967295'),
    families: [...new Set(families as StrategyFamily[])],
    trainFraction: numberField(fields, 'trainFraction', where, (v) => v > 0 && v < 1, 'a fraction strictly between 0 and 1'),
    selectBy: selectBy as SelectionMetric,
    minTrades: numberField(fields, 'minTrades', where, (v) => isInt(v) && v >= 0, 'an integer ≥ 0'),
    feesBps: fees,
    slippageBps: slippage,
    overfitThreshold: numberField(fields, 'overfitThreshold', where, (v) => v > 0 && v < 10, 'a positive fraction (0.15 = 15 %)'),
    nullMarkets: numberField(fields, 'nullMarkets', where, (v) => isInt(v) && v >= 0 && v <= MAX_NULL_MARKETS, `an integer from 0 to ${MAX_NULL_MARKETS}`),
  };
}

/** Fees and slippage a backtest can give meaningful results with: each ≥ 0, together at most MAX_COST_BPS. */
export function assertCosts(feesBps: number, slippageBps: number, where: string): void {
  if (!(feesBps >= 0 && slippageBps >= 0 && feesBps + slippageBps <= MAX_COST_BPS)) {
    throw new InputError(`fees and slippage must be ≥ 0 and together at most ${MAX_COST_BPS} basis points (10 % of equity per position change; far beyond it every result reads −100 % or NaN) (got ${feesBps} + ${slippageBps})`, where);
  }
}

export function parseDataRef(input: unknown, where = 'data'): DataRef {
  const fields = (typeof input === 'object' && input !== null ? input : {}) as Fields;
  if (fields.kind === 'file' || fields.kind === 'store') {
    let ref: DataRef;
    if (fields.kind === 'file') {
      if (typeof fields.path !== 'string' || fields.path === '') throw new InputError('must be a file path', `${where}.path`);
      ref = { kind: 'file', path: fields.path };
    } else {
      const key = fields.key;
      if (typeof key !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/.test(key) || key.length > 1024) {
        throw new InputError(`must be a key in the store such as "data/btc_usd_1h.csv" (got ${JSON.stringify(key)})`, `${where}.key`);
      }
      ref = { kind: 'store', key };
    }
    const { format, lenient, resampleSeconds } = fields;
    if (format !== undefined) {
      if (!(PRICE_FORMATS as readonly unknown[]).includes(format)) throw new InputError(`must be one of ${PRICE_FORMATS.join(', ')} (got ${JSON.stringify(format)})`, `${where}.format`);
      ref.format = format as PriceFormat;
    }
    if (lenient !== undefined) {
      if (typeof lenient !== 'boolean') throw new InputError(`must be true or false (got ${JSON.stringify(lenient)})`, `${where}.lenient`);
      if (lenient) ref.lenient = true;
    }
    if (resampleSeconds !== undefined) {
      if (typeof resampleSeconds !== 'number' || !Number.isInteger(resampleSeconds) || resampleSeconds < 1 || resampleSeconds > 31 * 86400) {
        throw new InputError(`must be an integer number of seconds from 1 to ${31 * 86400} (got ${JSON.stringify(resampleSeconds)})`, `${where}.resampleSeconds`);
      }
      ref.resampleSeconds = resampleSeconds;
    }
    return ref;
  }
  if (fields.kind === 'synthetic') {
    const int = (name: string, min: number, max: number): number => {
      const v = fields[name];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new InputError(`must be an integer from ${min} to ${max}`, `${where}.${name}`);
      return v;
    };
    return { kind: 'synthetic', bars: int('bars', 100, 10_000_000), seed: int('seed', 0, 0xffffffff), intervalSeconds: int('intervalSeconds', 1, 31 * 86400) };
  }
  throw new InputError('must be {"kind":"file","path":…}, {"kind":"store","key":…} or {"kind":"synthetic","bars":…,"seed":…,"intervalSeconds":…}', where);
}
