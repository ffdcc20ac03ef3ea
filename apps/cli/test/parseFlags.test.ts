// The option tables and the command-line reader: values checked against the table, suggestions for misspellings.
import { type InputError, OPTION_LIMITS } from '@overfit/core';
import { RUN_SPEC } from '../src/runCommand';
import { rangeText, RUN_CONFIG_FLAGS, type CommandSpec } from '../src/optionTable';
import { parseCommandLine, readCommandLine, wantsHelp } from '../src/parseFlags';
import { editDistance, nearest } from '../src/suggest';

const SPEC: CommandSpec = {
  name: 'try',
  summary: 'a test command',
  positionals: [{ name: 'FILE', description: 'a file' }],
  flags: [
    { name: 'count', type: 'integer', value: 'N', default: 3, min: 1, max: 9, description: 'how many' },
    { name: 'share', type: 'number', value: 'F', min: 0, max: 1, exclusiveMin: true, description: 'a share' },
    { name: 'kind', type: 'choice', value: 'K', choices: ['alpha', 'beta'], description: 'which' },
    { name: 'kinds', type: 'list', value: 'a,b', choices: ['alpha', 'beta'], description: 'which ones' },
    { name: 'when', type: 'date', value: 'DATE', description: 'a time' },
    { name: 'loud', type: 'boolean', description: 'a switch' },
  ],
};

const problem = (args: string[]) => {
  try {
    parseCommandLine(SPEC, args);
  } catch (error) {
    return `${(error as InputError).where}: ${(error as InputError).problems[0].message}`;
  }
  return 'accepted';
};

describe('the option table', () => {
  it('takes every run option’s type, default and limits from core’s OPTION_LIMITS', () => {
    for (const [option, flag] of Object.entries(RUN_CONFIG_FLAGS)) {
      const limit = OPTION_LIMITS[option as keyof typeof OPTION_LIMITS];
      expect([flag.min, flag.max, flag.choices]).toEqual([limit.min, limit.max, limit.values]);
    }
    expect(RUN_CONFIG_FLAGS.feesBps).toMatchObject({ type: 'number', default: 10, min: 0, max: 1000 });
    expect(RUN_CONFIG_FLAGS.families.default).toBe('all');
    expect(RUN_SPEC.flags.map((f) => f.name)).toEqual(expect.arrayContaining(['fees-bps', 'select-by', 'json']));
  });

  it('words each range', () => {
    expect(rangeText(SPEC.flags[0])).toBe('an integer from 1 to 9');
    expect(rangeText(SPEC.flags[1])).toBe('a number greater than 0 and at most 1');
    expect(rangeText(RUN_CONFIG_FLAGS.minTrades)).toBe('an integer ≥ 0');
    expect(rangeText(SPEC.flags[3])).toBe('a comma-separated list of alpha, beta');
    expect(rangeText(SPEC.flags[5])).toBeUndefined();
  });
});

describe('reading a command line', () => {
  it('converts values, keeps positionals, and reads absent flags as their default', () => {
    const { values, positionals } = readCommandLine(SPEC, [
      'x.csv',
      '--count=4',
      '--share',
      '0.5',
      '--kinds',
      'beta, alpha',
      '--when',
      '2024-01-02',
      '--loud',
    ]);
    expect(positionals).toEqual(['x.csv']);
    expect([values.number('count'), values.number('share'), values.list('kinds')]).toEqual([4, 0.5, ['beta', 'alpha']]);
    expect([values.number('when'), values.boolean('loud'), values.has('kind')]).toEqual([
      Date.UTC(2024, 0, 2),
      true,
      false,
    ]);
    expect(readCommandLine(SPEC, []).values.number('count')).toBe(3);
  });

  it('reads a negative number as a value, then checks its range', () => {
    expect(problem(['--count', '-2'])).toBe('--count: must be an integer from 1 to 9 (got -2)');
    expect(problem(['--share', '-.5'])).toBe('--share: must be a number greater than 0 and at most 1 (got -.5)');
    expect(problem(['--share', '0'])).toBe('--share: must be a number greater than 0 and at most 1 (got 0)');
    expect(problem(['--count', '2.5'])).toBe('--count: must be an integer from 1 to 9 (got 2.5)');
    expect(problem(['--count', 'many'])).toBe('--count: must be a number (got "many")');
  });

  it('names the nearest flag or choice, and nothing when none is near', () => {
    expect(problem(['--cuont', '2'])).toBe('try: unknown flag --cuont; did you mean --count?');
    expect(problem(['--lou'])).toBe('try: unknown flag --lou; did you mean --loud?');
    expect(problem(['--zebra'])).toBe('try: unknown flag --zebra (overfit try --help lists them)');
    expect(problem(['-x'])).toBe('try: unknown flag -x (overfit try --help lists them)');
    expect(problem(['--kind', 'btea'])).toBe('--kind: must be one of alpha, beta (got "btea"; did you mean beta?)');
    expect(problem(['--kinds', 'alpha,gamma'])).toBe('--kinds: must be one of alpha, beta (got "gamma")');
  });

  it('refuses a missing value, a value on a switch, a bad date and a second positional', () => {
    expect(problem(['--count'])).toBe('--count: needs a value: --count N');
    expect(problem(['--count', '--loud'])).toBe('--count: needs a value: --count N');
    expect(problem(['--loud=no'])).toBe('--loud: takes no value: give the flag alone, or leave it out');
    expect(problem(['--when', 'soon'])).toMatch(/^--when: is not a date such as 2018-01-01/);
    expect(problem(['a', 'b'])).toBe('try: unexpected argument "b" (overfit try --help shows its usage)');
    expect(problem(['--', '--count'])).toBe('accepted');
  });

  it('finds --help or -h anywhere before --', () => {
    expect(wantsHelp(['--count', '2', '-h'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
  });
});

describe('suggestions', () => {
  it('counts a swap of neighbours as one edit (Damerau–Levenshtein)', () => {
    expect(editDistance('strategeis', 'strategies')).toBe(1);
    expect(editDistance('strategie', 'strategies')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('takes a unique prefix, or the closest within a third of the length', () => {
    expect(nearest('strat', ['strategies', 'seed'])).toBe('strategies');
    expect(nearest('s', ['strategies', 'seed'])).toBeUndefined();
    expect(nearest('xyzzy', ['strategies', 'seed'])).toBeUndefined();
  });
});
