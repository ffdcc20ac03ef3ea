// From checked flags to what the lower packages take (a run config, a data reference), and their errors back into
// flag words: lower packages name options, never flags, because the dashboard shows the same errors.
import { existsSync } from 'node:fs';
import {
  DEFAULT_RUN_CONFIG,
  DEFAULT_SYNTHETIC,
  InputError,
  parseRunConfig,
  type CsvOptions,
  type DataRef,
  type RunConfig,
} from '@overfit/core';
import { parseInterval, parsePriceFormat } from '@overfit/data';
import { DEFAULT_DATA_PATH, RUN_CONFIG_FLAGS } from './optionTable';
import type { FlagValue, FlagValues } from './parseFlags';

/**
 * The flag that sets each option, for the options lower packages name in an InputError (they name options, never
 * flags, because the dashboard shows the same errors). Only the CLI speaks in flags: see inFlagWords.
 */
const FLAG_OF_OPTION: Record<string, string> = {
  // The run options' flags come from their table.
  ...Object.fromEntries(Object.entries(RUN_CONFIG_FLAGS).map(([option, flag]) => [option, `--${flag.name}`])),
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

/** The run options given as flags, onto the run config; parseRunConfig fills the defaults and checks the whole. */
export function runConfigFromFlags(given: ReadonlyMap<string, FlagValue>): RunConfig {
  const fields: Record<string, unknown> = {};
  for (const [option, flag] of Object.entries(RUN_CONFIG_FLAGS))
    if (given.has(flag.name)) fields[option] = given.get(flag.name);
  return parseRunConfig(fields, 'option');
}

/** --format, --lenient and --resample: how a CSV is read (absent: detected, strict, as stored). */
export function csvOptionsFromFlags(values: FlagValues): CsvOptions {
  const options: CsvOptions = {};
  const format = parsePriceFormat(values.string('format'), '--format');
  if (format) options.format = format;
  if (values.boolean('lenient')) options.lenient = true;
  const resample = values.string('resample');
  if (resample !== undefined) options.resampleSeconds = parseInterval(resample, '--resample');
  return options;
}

/** --data wins; otherwise the conventional file when present; otherwise the seeded synthetic market. */
export function dataRefFromFlags(values: FlagValues, seed = DEFAULT_RUN_CONFIG.seed): DataRef {
  const dataFlag = values.string('data');
  const csv = values.spec.flags.some((f) => f.name === 'format') ? csvOptionsFromFlags(values) : {};
  if (dataFlag !== undefined) return { kind: 'file', path: dataFlag, ...csv };
  if (existsSync(DEFAULT_DATA_PATH)) return { kind: 'file', path: DEFAULT_DATA_PATH, ...csv };
  if (Object.keys(csv).length > 0)
    throw new InputError(
      `reads a CSV file, and there is none (no --data, no ${DEFAULT_DATA_PATH})`,
      '--format/--lenient/--resample',
    );
  return { ...DEFAULT_SYNTHETIC, seed } as DataRef;
}
