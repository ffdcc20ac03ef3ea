// Turning command-line strings into validated values; every problem names the flag it came from.
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import {
  DEFAULT_RUN_CONFIG,
  DEFAULT_SYNTHETIC,
  InputError,
  parseRunConfig,
  type CsvOptions,
  type DataRef,
  type RunConfig,
} from '@overfit/core';
import { parseInterval, parsePriceFormat, parseTimestamp, printable } from '@overfit/data';

export const DEFAULT_DATA_PATH = 'data/btc_price_data.csv';

/** parseArgs, strict, with at most `positionals` positional arguments; any problem is an InputError (exit 2). */
export function parse<T extends ParseArgsOptionsConfig>(args: string[], options: T, positionals = 0) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > positionals)
      throw new InputError(`unexpected argument "${parsed.positionals[positionals]}"`);
    return parsed;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(printable((error as Error).message.split('\n')[0], 200), undefined, { cause: error });
  }
}

/**
 * The flag that sets each option, for the options lower packages name in an InputError (they name options, never
 * flags, because the dashboard shows the same errors). Only the CLI speaks in flags: see inFlagWords.
 */
const FLAG_OF_OPTION: Record<string, string> = {
  strategies: '--strategies',
  seed: '--seed',
  families: '--families',
  trainFraction: '--train-fraction',
  selectBy: '--select-by',
  minTrades: '--min-trades',
  feesBps: '--fees-bps',
  slippageBps: '--slippage-bps',
  overfitThreshold: '--overfit-threshold',
  nullMarkets: '--null-markets',
  format: '--format',
  lenient: '--lenient',
  resampleSeconds: '--resample',
  exchange: '--exchange',
  symbol: '--symbol',
  interval: '--interval',
  from: '--from',
  to: '--to',
  store: '--store',
  s3Endpoint: '--s3-endpoint',
  stateMachineArn: '--state-machine-arn',
  shardSize: '--shard-size',
  maxConcurrency: '--max-concurrency',
};

// Inside sentences only the camelCase names are replaced: "from", "store" or "format" are also plain words.
const CAMEL_OPTIONS = new RegExp(
  `\\b(${Object.keys(FLAG_OF_OPTION)
    .filter((name) => /[A-Z]/.test(name))
    .join('|')})\\b`,
  'g',
);
const flagWords = (text: string) => text.replace(CAMEL_OPTIONS, (name) => FLAG_OF_OPTION[name]);

/** Where a problem is, as the user typed it: "option.trainFraction" → "--train-fraction", "from/to" → "--from/--to". */
function flagWhere(where: string): string {
  const bare = where.replace(/^option\./, '');
  const pieces = bare.split('/');
  if (pieces.every((piece) => piece in FLAG_OF_OPTION)) return pieces.map((piece) => FLAG_OF_OPTION[piece]).join('/');
  return flagWords(bare === where ? where : bare);
}

/** An InputError's one line for the terminal, every problem named by its flag. */
export function inFlagWords(error: InputError): string {
  return error.problems
    .map(({ where, message }) => (where ? `${flagWhere(where)}: ${flagWords(message)}` : flagWords(message)))
    .join('; ');
}

export function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new InputError(`must be a number (got "${printable(value)}")`, flag);
  return parsed;
}

/** A whole number from `min` to `max` from a flag (absent: undefined); the one check every integer flag uses. */
export function integerFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  const parsed = numberFlag(value, flag);
  if (parsed !== undefined && (!Number.isInteger(parsed) || parsed < min || parsed > max)) {
    throw new InputError(`must be an integer from ${min} to ${max} (got ${printable(value ?? '')})`, flag);
  }
  return parsed;
}

/**
 * A date or date-time from a flag, always UTC: `2018-01-01`, `2018-01-01T12:00`, `2018-01-01 12:00` (a space reads
 * like a `T`, never in the machine's zone), with `Z` or `±HH:MM` when another zone is meant, or epoch s/ms.
 */
export function timeFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseTimestamp(value);
  if (Number.isNaN(ms))
    throw new InputError(
      `is not a date such as 2018-01-01 or 2018-01-01T12:00:00Z (times are UTC unless they end in Z or ±HH:MM; got "${printable(value)}")`,
      flag,
    );
  return ms;
}

/** Map CLI flags onto the run config; parseRunConfig applies the rules and names the config field on error. */
export function runConfigFromFlags(values: Record<string, string | boolean | undefined>): RunConfig {
  const str = (name: string) => values[name] as string | undefined;
  const fields: Record<string, unknown> = {
    strategies: numberFlag(str('strategies'), '--strategies'),
    seed: numberFlag(str('seed'), '--seed'),
    families: str('families')
      ?.split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    trainFraction: numberFlag(str('train-fraction'), '--train-fraction'),
    selectBy: str('select-by'),
    minTrades: numberFlag(str('min-trades'), '--min-trades'),
    feesBps: numberFlag(str('fees-bps'), '--fees-bps'),
    slippageBps: numberFlag(str('slippage-bps'), '--slippage-bps'),
    overfitThreshold: numberFlag(str('overfit-threshold'), '--overfit-threshold'),
    nullMarkets: numberFlag(str('null-markets'), '--null-markets'),
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return parseRunConfig(fields, 'option');
}

/** --format, --lenient and --resample: how a CSV is read (absent: detected, strict, as stored). */
export function csvOptionsFromFlags(values: { format?: string; lenient?: boolean; resample?: string }): CsvOptions {
  const options: CsvOptions = {};
  const format = parsePriceFormat(values.format, '--format');
  if (format) options.format = format;
  if (values.lenient) options.lenient = true;
  if (values.resample !== undefined) options.resampleSeconds = parseInterval(values.resample, '--resample');
  return options;
}

/** --data wins; otherwise the conventional file when present; otherwise the seeded synthetic market. */
export function dataRefFromFlags(
  dataFlag: string | undefined,
  seed = DEFAULT_RUN_CONFIG.seed,
  csvFlags: Parameters<typeof csvOptionsFromFlags>[0] = {},
): DataRef {
  const csv = csvOptionsFromFlags(csvFlags);
  if (dataFlag !== undefined) return { kind: 'file', path: dataFlag, ...csv };
  if (existsSync(DEFAULT_DATA_PATH)) return { kind: 'file', path: DEFAULT_DATA_PATH, ...csv };
  if (Object.keys(csv).length > 0)
    throw new InputError(
      `reads a CSV file, and there is none (no --data, no ${DEFAULT_DATA_PATH})`,
      '--format/--lenient/--resample',
    );
  return { ...DEFAULT_SYNTHETIC, seed } as DataRef;
}

export const RUN_OPTIONS = {
  data: { type: 'string' },
  format: { type: 'string' },
  lenient: { type: 'boolean', default: false },
  resample: { type: 'string' },
  strategies: { type: 'string' },
  seed: { type: 'string' },
  families: { type: 'string' },
  'train-fraction': { type: 'string' },
  'select-by': { type: 'string' },
  'min-trades': { type: 'string' },
  'fees-bps': { type: 'string' },
  'slippage-bps': { type: 'string' },
  'overfit-threshold': { type: 'string' },
  'null-markets': { type: 'string' },
  store: { type: 'string', default: '.overfit' },
  json: { type: 'boolean', default: false },
  engine: { type: 'string' },
  's3-endpoint': { type: 'string' },
  'data-key': { type: 'string' },
  'shard-size': { type: 'string' },
  'max-concurrency': { type: 'string' },
} as const;
