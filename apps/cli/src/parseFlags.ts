// The command line read against a command's option table: every flag known, every value checked against the
// table's type and range, and every problem one InputError naming the flag (exit 2). A value may start with a dash
// (`--fees-bps -5` is the value -5, then refused as out of range); a misspelt flag names the nearest one.
import { InputError } from '@overfit/core';
import { parseTimestamp, printable } from '@overfit/data';
import { rangeText, type CommandSpec, type Flag } from './optionTable';
import { didYouMean } from './suggest';

export type FlagValue = string | number | boolean | string[];

export interface ParsedCommandLine {
  /** The flags given, checked and converted (numbers, dates in epoch ms, lists); absent flags are not here. */
  given: Map<string, FlagValue>;
  positionals: string[];
}

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

/** `--help` or `-h` anywhere before a `--`: the command's help is wanted, whatever else was typed. */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some(isHelp);
}

const usageHint = (spec: CommandSpec) => ` (overfit ${spec.name} --help lists them)`;

function unknownFlag(spec: CommandSpec, typed: string): InputError {
  const names = spec.flags.map((f) => f.name);
  const hint = didYouMean(typed.replace(/^-+/, ''), names, '--');
  return new InputError(`unknown flag ${printable(typed)}${hint || usageHint(spec)}`, spec.name);
}

/** A flag's text as its type: a number in range, one of its choices, a date; or an InputError in words. */
function checkValue(flag: Flag, text: string): FlagValue {
  const where = `--${flag.name}`;
  const range = rangeText(flag);
  if (flag.type === 'integer' || flag.type === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n))
      throw new InputError(`must be a number (got "${printable(text)}")`, where);
    const below = flag.min !== undefined && (flag.exclusiveMin ? n <= flag.min : n < flag.min);
    const above = flag.max !== undefined && (flag.exclusiveMax ? n >= flag.max : n > flag.max);
    if ((flag.type === 'integer' && !Number.isInteger(n)) || below || above)
      throw new InputError(`must be ${range} (got ${printable(text)})`, where);
    return n;
  }
  if (flag.type === 'choice' || flag.type === 'list') {
    const items = flag.type === 'list' ? text.split(',').map((item) => item.trim()) : [text];
    if (items.every((item) => item === '')) throw new InputError(`needs a value: ${range}`, where);
    for (const item of items.filter(Boolean)) {
      if (!flag.choices?.includes(item))
        throw new InputError(
          `must be one of ${flag.choices?.join(', ')} (got "${printable(item)}"${didYouMean(item, flag.choices ?? [])})`,
          where,
        );
    }
    return flag.type === 'list' ? items.filter(Boolean) : text;
  }
  if (flag.type === 'date') {
    const ms = parseTimestamp(text);
    if (Number.isNaN(ms))
      throw new InputError(
        `is not a date such as 2018-01-01 or 2018-01-01T12:00:00Z (times are UTC unless they end in Z or ±HH:MM; got "${printable(text)}")`,
        where,
      );
    return ms;
  }
  return text;
}

/** Read `args` against the table; `--help` is the caller's to look for first (wantsHelp). */
export function parseCommandLine(spec: CommandSpec, args: readonly string[]): ParsedCommandLine {
  const byName = new Map(spec.flags.map((flag) => [flag.name, flag]));
  const given = new Map<string, FlagValue>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    // A lone dash and a negative number are arguments, not flags.
    if (!arg.startsWith('-') || arg === '-' || /^-\.?\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const typed = equals < 0 ? arg : arg.slice(0, equals);
    const flag = typed.startsWith('--') ? byName.get(typed.slice(2)) : undefined;
    if (!flag) throw unknownFlag(spec, typed);
    if (flag.type === 'boolean') {
      if (equals >= 0) throw new InputError('takes no value: give the flag alone, or leave it out', typed);
      given.set(flag.name, true);
      continue;
    }
    let text: string | undefined = equals < 0 ? args[i + 1] : arg.slice(equals + 1);
    // The next argument is the value unless it is another flag (a negative number is a value).
    if (equals < 0 && (text === undefined || (text.startsWith('--') && text.length > 2) || isHelp(text)))
      text = undefined;
    if (text === undefined) throw new InputError(`needs a value: ${typed} ${flag.value ?? 'VALUE'}`, typed);
    if (equals < 0) i++;
    given.set(flag.name, checkValue(flag, text));
  }
  const allowed = spec.positionals?.length ?? 0;
  if (positionals.length > allowed)
    throw new InputError(
      `unexpected argument "${printable(positionals[allowed])}"${usageHint(spec).replace('lists them', 'shows its usage')}`,
      spec.name,
    );
  return { given, positionals };
}

/** Typed reads of what was given, with the table's default for an absent flag. */
export class FlagValues {
  constructor(
    readonly spec: CommandSpec,
    readonly given: Map<string, FlagValue>,
  ) {}

  private value(name: string): FlagValue | undefined {
    if (this.given.has(name)) return this.given.get(name);
    const flag = this.spec.flags.find((f) => f.name === name);
    if (!flag) throw new Error(`overfit ${this.spec.name} has no flag --${name}`);
    return flag.default;
  }

  string(name: string): string | undefined {
    const v = this.value(name);
    return v === undefined ? undefined : String(v);
  }

  number(name: string): number | undefined {
    const v = this.value(name);
    return typeof v === 'number' ? v : undefined;
  }

  boolean(name: string): boolean {
    return this.value(name) === true;
  }

  list(name: string): string[] | undefined {
    const v = this.given.get(name);
    return Array.isArray(v) ? v : undefined;
  }

  has(name: string): boolean {
    return this.given.has(name);
  }
}

/** Parse, then wrap the values for typed reads. */
export function readCommandLine(spec: CommandSpec, args: readonly string[]) {
  const { given, positionals } = parseCommandLine(spec, args);
  return { values: new FlagValues(spec, given), positionals };
}
