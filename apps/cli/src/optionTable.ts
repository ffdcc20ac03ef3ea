// One option table per command: each flag's name, type, default, range or choices and description. The help text
// (help.ts) and the parsing and validation (parseFlags.ts) are both read off these tables, so they cannot disagree.
// The run options' types, defaults and limits come from core's OPTION_LIMITS, the schema every run config passes.
import { OPTION_LIMITS, PRICE_FORMATS, type RunOption } from '@overfit/core';

/** The price file a run reads without --data, when it exists (`overfit data fetch` writes it). */
export const DEFAULT_DATA_PATH = 'data/btc_price_data.csv';

export interface Flag {
  /** As typed, without the dashes: `fees-bps`. */
  name: string;
  /** A boolean takes no value; `date` is an ISO date or time (UTC unless it says otherwise) or epoch s/ms. */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'choice' | 'list' | 'date';
  /** What to type, in the usage line: FILE, N, URL. */
  value?: string;
  /** What applies when the flag is absent, as the help shows it (a run option's default is core's). */
  default?: string | number | boolean;
  min?: number;
  max?: number;
  /** The bound itself is not allowed (--train-fraction lies strictly between 0 and 1). */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** The allowed values of a choice, or of each item of a comma-separated list. */
  choices?: readonly string[];
  description: string;
}

interface Positional {
  name: string;
  description: string;
  choices?: readonly string[];
}

export interface CommandSpec {
  /** As typed after `overfit`: `run`, `data inspect`. */
  name: string;
  summary: string;
  positionals?: Positional[];
  flags: Flag[];
  /** Lines after the flags: examples, what happens without a flag. */
  notes?: string[];
}

/** A group of sub-commands (`overfit data inspect|fetch|synth`). */
export interface CommandGroup {
  name: string;
  summary: string;
  subcommands: CommandSpec[];
}

/** "an integer from 1 to 1000000", "a number greater than 0 and less than 1", "one of a, b": a flag's range. */
export function rangeText(flag: Flag): string | undefined {
  if (flag.choices)
    return `${flag.type === 'list' ? 'a comma-separated list of ' : 'one of '}${flag.choices.join(', ')}`;
  if (flag.type !== 'integer' && flag.type !== 'number') return undefined;
  const kind = flag.type === 'integer' ? 'an integer' : 'a number';
  const { min, max, exclusiveMin, exclusiveMax } = flag;
  if (min !== undefined && max !== undefined && !exclusiveMin && !exclusiveMax) return `${kind} from ${min} to ${max}`;
  const low = min === undefined ? '' : exclusiveMin ? `greater than ${min}` : `≥ ${min}`;
  const high = max === undefined ? '' : exclusiveMax ? `less than ${max}` : `at most ${max}`;
  return [kind, [low, high].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

/** The flag of a run option: type, default and limits read off core's OPTION_LIMITS (never copied here). */
function runOptionFlag(name: string, option: RunOption, value: string, description: string): Flag {
  const limit = OPTION_LIMITS[option];
  const type = limit.type === 'choices' ? 'list' : limit.type;
  const fallback = Array.isArray(limit.default) ? 'all' : (limit.default as string | number);
  const { min, max, exclusiveMin, exclusiveMax, values: choices } = limit;
  return { name, type, value, default: fallback, min, max, exclusiveMin, exclusiveMax, choices, description };
}

/** The flag of each run option, by option name (the name lower packages use in their messages). */
export const RUN_CONFIG_FLAGS = {
  strategies: runOptionFlag('strategies', 'strategies', 'N', 'random strategies to generate and backtest'),
  seed: runOptionFlag('seed', 'seed', 'N', 'seed of the strategies (and of the synthetic market without --data)'),
  families: runOptionFlag('families', 'families', 'a,b', 'strategy families to draw from'),
  trainFraction: runOptionFlag('train-fraction', 'trainFraction', 'F', 'share of the bars in the training window'),
  selectBy: runOptionFlag('select-by', 'selectBy', 'METRIC', 'the training metric the best strategy is chosen by'),
  minTrades: runOptionFlag('min-trades', 'minTrades', 'N', 'fewest training trades for a strategy to be eligible'),
  feesBps: runOptionFlag('fees-bps', 'feesBps', 'BPS', 'fees per unit of position change, in basis points'),
  slippageBps: runOptionFlag(
    'slippage-bps',
    'slippageBps',
    'BPS',
    'slippage per unit of position change, basis points',
  ),
  overfitThreshold: runOptionFlag(
    'overfit-threshold',
    'overfitThreshold',
    'F',
    'the original rule: overfit when the metric falls by more than this share',
  ),
  nullMarkets: runOptionFlag(
    'null-markets',
    'nullMarkets',
    'N',
    'markets without an edge the selection is repeated on',
  ),
} satisfies Record<RunOption, Flag>;

export const JSON_FLAG: Flag = { name: 'json', type: 'boolean', description: 'print one JSON object instead of text' };

export const DATA_FLAG: Flag = {
  name: 'data',
  type: 'string',
  value: 'FILE',
  description: `price CSV (without it: ${DEFAULT_DATA_PATH} when present, else a seeded synthetic market)`,
};

/** How a CSV is read: --format, --lenient, --resample. */
export const CSV_FLAGS: Flag[] = [
  {
    name: 'format',
    type: 'choice',
    value: 'F',
    default: 'auto',
    choices: ['auto', ...PRICE_FORMATS],
    description: 'the CSV layout; auto detects it',
  },
  { name: 'lenient', type: 'boolean', description: 'drop bad rows (listed with line and reason) instead of stopping' },
  {
    name: 'resample',
    type: 'string',
    value: 'BAR',
    description: 'coarser bars, such as 4h or 1d (as stored if absent)',
  },
];

export const STORE_FLAG: Flag = {
  name: 'store',
  type: 'string',
  value: 'DIR|s3://…',
  default: '.overfit',
  description: 'where runs are written: a folder, or s3://bucket/prefix',
};

export const S3_ENDPOINT_FLAG: Flag = {
  name: 's3-endpoint',
  type: 'string',
  value: 'URL',
  description: 'an S3-compatible server for an s3:// store (s3rver, MinIO)',
};

export const COST_FLAGS = [RUN_CONFIG_FLAGS.feesBps, RUN_CONFIG_FLAGS.slippageBps];
