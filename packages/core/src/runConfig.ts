// The configuration of one run and the reference to its price data: validated once at the edge (CLI flags,
// Lambda events, HTTP bodies) so every stage can trust it. The rules are the schemas in contracts/.
import { InputError, type Problem } from './errors';
import { assertNoProblems, problems } from './contracts/check';
import { DATA_REF_SCHEMA, type DataRef } from './contracts/dataRef';
import { MAX_COST_BPS, RUN_CONFIG_PROPERTIES, RUN_OPTIONS_SCHEMA, type RunConfig } from './contracts/runConfig';

export { MAX_COST_BPS, MAX_NULL_MARKETS, MAX_STRATEGIES, type RunConfig } from './contracts/runConfig';
export { PRICE_FORMATS, type CsvOptions, type DataRef, type PriceFormat } from './contracts/dataRef';

/** A run config with every option at its default (the schema's `default`s). */
function defaults(): RunConfig {
  const entries = Object.entries(RUN_CONFIG_PROPERTIES).map(([name, schema]) => [
    name,
    structuredClone(schema.default),
  ]);
  return Object.fromEntries(entries) as RunConfig;
}

export const DEFAULT_RUN_CONFIG: RunConfig = defaults();

/** The synthetic market used when no real data is present: two years of hourly bars. */
export const DEFAULT_SYNTHETIC: DataRef = { kind: 'synthetic', bars: 17_520, seed: 42, intervalSeconds: 3600 };

const costRule = `fees and slippage must be ≥ 0 and together at most ${MAX_COST_BPS} basis points (10 % of equity per position change; far beyond it every result reads −100 % or NaN)`;

function costProblem(feesBps: number, slippageBps: number, where: string): Problem | undefined {
  if (feesBps >= 0 && slippageBps >= 0 && feesBps + slippageBps <= MAX_COST_BPS) return undefined;
  return { where, message: `${costRule} (got ${feesBps} + ${slippageBps})` };
}

/**
 * Fill defaults and validate; unknown fields are an error so a typo never silently falls back to a default.
 * Every problem is listed in one InputError. Besides the schema, fees + slippage together are bounded.
 */
export function parseRunConfig(input: unknown, where = 'config'): RunConfig {
  const options = input ?? {};
  const found = problems(RUN_OPTIONS_SCHEMA, options, where);
  if (found.length === 0) {
    const fields = options as Partial<RunConfig>;
    const config = defaults();
    // In the schema's order, which is the order of manifest.json's "config".
    for (const name of Object.keys(config) as (keyof RunConfig)[])
      if (fields[name] !== undefined) (config[name] as unknown) = fields[name];
    config.families = [...new Set(config.families)];
    const costs = costProblem(config.feesBps, config.slippageBps, `${where}.feesBps + slippageBps`);
    if (!costs) return config;
    found.push(costs);
  }
  throw InputError.of(found);
}

/** Fees and slippage a backtest can give meaningful results with: each ≥ 0, together at most MAX_COST_BPS. */
export function assertCosts(feesBps: number, slippageBps: number, where: string): void {
  const problem = costProblem(feesBps, slippageBps, where);
  if (problem) throw new InputError(problem.message, where);
}

/** Validate a data reference and keep only its fields (`lenient` only when true). */
export function parseDataRef(input: unknown, where = 'data'): DataRef {
  assertNoProblems(problems(DATA_REF_SCHEMA, input, where));
  const ref = input as DataRef;
  if (ref.kind === 'synthetic')
    return { kind: 'synthetic', bars: ref.bars, seed: ref.seed, intervalSeconds: ref.intervalSeconds };
  const parsed: DataRef = ref.kind === 'file' ? { kind: 'file', path: ref.path } : { kind: 'store', key: ref.key };
  if (ref.format !== undefined) parsed.format = ref.format;
  if (ref.lenient) parsed.lenient = true;
  if (ref.resampleSeconds !== undefined) parsed.resampleSeconds = ref.resampleSeconds;
  return parsed;
}
