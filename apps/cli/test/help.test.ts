// Help, version and flag mistakes, through main() as the binary calls it: exit codes, which stream, and the words a
// user reads.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { overfitInProcess } from './inProcessCli';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'overfit-cli-help-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));
const overfit = (...args: string[]) => overfitInProcess(root, args);

const EVERY_COMMAND = [
  ['run'],
  ['backtest'],
  ['stage'],
  ['stage', 'validate'],
  ['data', 'inspect'],
  ['data', 'fetch'],
  ['data', 'synth'],
  ['store', 'gc'],
  ['bench'],
  ['cloud', 'start'],
  ['cloud', 'status'],
];

describe('help', () => {
  it('overfit --help lists every command, exit 0 on stdout', async () => {
    const { code, stdout, stderr } = await overfit('--help');
    expect([code, stderr]).toEqual([0, '']);
    for (const words of EVERY_COMMAND.filter((w) => w[0] !== 'stage' || w.length === 1))
      expect(stdout).toContain(`  ${words.join(' ')} `);
  });

  it.each(EVERY_COMMAND)('overfit %s … --help: usage and flags, exit 0, whatever else is typed', async (...words) => {
    const { code, stdout, stderr } = await overfit(...words, '--no-such-flag', '--help');
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(new RegExp(`^overfit ${words[0]}`));
    expect(stdout).toMatch(/\nUsage: overfit /);
    expect(stdout).toMatch(/\n {2}--help, -h +show this help\n/);
    expect(stdout).not.toMatch(/Unknown option|To specify a positional/);
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('shows defaults and ranges, the run options from core (OPTION_LIMITS)', async () => {
    // The descriptions wrap at 100 columns: read them as one line each.
    const stdout = (await overfit('run', '-h')).stdout.replace(/\n {10,}/g, ' ');
    expect(stdout).toMatch(/--fees-bps BPS +fees per unit .*\(a number from 0 to 1000; default 10\)/);
    expect(stdout).toMatch(/--train-fraction F +.*\(a number greater than 0 and less than 1; default 0\.7\)/);
    expect(stdout).toMatch(/--strategies N +.*\(an integer from 1 to 1000000; default 500\)/);
  });

  it('a group without a sub-command lists its commands: on stdout with --help, on stderr with exit 2 without', async () => {
    expect(await overfit('data', '--help')).toMatchObject({ code: 0, stdout: expect.stringMatching(/data fetch/) });
    const bare = await overfit('data');
    expect(bare).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/overfit data inspect FILE/) });
  });

  it('overfit alone prints the usage on stderr, exit 2 (a command was expected)', async () => {
    const bare = await overfit();
    expect(bare).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^overfit \S+ — .*\n\nUsage: /) });
  });

  it('overfit --version prints the version, exit 0', async () => {
    expect(await overfit('--version')).toEqual({ code: 0, stdout: 'overfit 0.1.0\n', stderr: '' });
  });
});

describe('flag mistakes, one line on stderr, exit 2', () => {
  it.each([
    [['run', '--strategie', '5'], 'run: unknown flag --strategie; did you mean --strategies?'],
    [['run', '--seleect-by', 'sharpe'], 'run: unknown flag --seleect-by; did you mean --select-by?'],
    [['data', 'fetch', '--intreval', '1h'], 'data fetch: unknown flag --intreval; did you mean --interval?'],
    [
      ['run', '--select-by', 'sharp'],
      '--select-by: must be one of win_rate, sharpe, total_return, sortino, calmar, cagr, profit_factor, hit_rate (got "sharp"; did you mean sharpe?)',
    ],
    [['run', '--fees-bps', '-5'], '--fees-bps: must be a number from 0 to 1000 (got -5)'],
    [['run', '--fees-bps=-5'], '--fees-bps: must be a number from 0 to 1000 (got -5)'],
    [['run', '--seed', '-1'], '--seed: must be an integer from 0 to 4294967295 (got -1)'],
    [['run', '--strategies'], '--strategies: needs a value: --strategies N'],
    [['run', '--strategies', '--json'], '--strategies: needs a value: --strategies N'],
    [['run', '--json=yes'], '--json: takes no value: give the flag alone, or leave it out'],
    [['rnu'], 'unknown command "rnu"; did you mean run?'],
    [['data', 'inpsect', 'x.csv'], 'data: unknown data command "inpsect"; did you mean inspect?'],
    [['store', 'gc', '--min-age-hours', '-1'], '--min-age-hours: must be a number ≥ 0 (got -1)'],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await overfit(...args);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `overfit: ${message}\n` });
  });
});
