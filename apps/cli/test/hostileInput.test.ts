// Hostile input (issue 14), through main() as the binary calls it: files that are not files, prices no run can use,
// costs that make results meaningless, times read in the machine's zone, fuzzed price files, and the flags, files
// and events refused before a run starts. Each ends in exit 0 or 2 with one printable line naming the place, never
// a stack, a hang, or a run folder without a manifest.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { fuzzedFile } from '@overfit/testing/fuzz-files';
import { overfitInProcess } from './inProcessCli';
import { flags, type CliResult as Result, tempRootWithPrices } from './spawnCli';

// Generous: a busy machine must not fail a run.
jest.setTimeout(600_000);

const overfit = (args: string[], env: Record<string, string> = {}) => overfitInProcess(root, args, env);

/** Exit 2 with one line `overfit: <where>: …`, printable, without a stack. */
function expectOneLineRefusal(result: Result, startsWith: string): void {
  expect(result).toMatchObject({ code: 2 });
  expect(result.stderr.startsWith(`overfit: ${startsWith}`)).toBe(true);
  expect(result.stderr.endsWith('\n')).toBe(true);
  // eslint-disable-next-line no-control-regex
  expect(result.stderr.slice(0, -1)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
}

/** Run folders in a store, and the ones without a manifest (a run left half-written). */
async function runFolders(store: string): Promise<{ all: string[]; withoutManifest: string[] }> {
  const runs = join(root, store, 'runs');
  const all = existsSync(runs) ? await readdir(runs) : [];
  return { all, withoutManifest: all.filter((id) => !existsSync(join(runs, id, 'manifest.json'))) };
}

let root: string;
let prices: string;
beforeAll(async () => {
  ({ root, prices } = await tempRootWithPrices('overfit-cli-hostile-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const EVENTS = resolve(__dirname, '../events');
const RUN = ['--strategies', '20', '--null-markets', '0'];
const hours = (n: number, close: (i: number) => number) =>
  `timestamp,close\n${Array.from({ length: n }, (_, i) => `${new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString()},${close(i)}`).join('\n')}\n`;

describe('files that are not files (item 11)', () => {
  it('a directory: exit 2 naming it', async () => {
    await mkdir(join(root, 'folder.csv'));
    const result = await overfit(['run', '--data', 'folder.csv', ...RUN, '--store', 'store-dir']);
    expectOneLineRefusal(result, 'folder.csv: is a directory, not a CSV file');
    expect((await runFolders('store-dir')).all).toEqual([]);
  });

  (process.platform === 'win32' ? it.skip : it)('a FIFO: exit 2 at once, not a hang', async () => {
    execFileSync('mkfifo', [join(root, 'pipe.csv')]);
    expectOneLineRefusal(
      await overfit(['data', 'inspect', 'pipe.csv']),
      'pipe.csv: is a named pipe (FIFO), not a CSV file',
    );
  });
});

describe('control bytes in what is echoed (item 9)', () => {
  it('a CSV field, an unknown flag and a bad flag value are shown escaped', async () => {
    await writeFile(join(root, 'ansi.csv'), 'timestamp,close\n2024-01-01,1\n\x1b[2J\x1b[31mPWNED,2\n');
    expectOneLineRefusal(
      await overfit(['data', 'inspect', 'ansi.csv']),
      'ansi.csv:3:1: "\\x1b[2J\\x1b[31mPWNED" is not a timestamp',
    );
    expectOneLineRefusal(await overfit(['run', '--bogus\x1b[2J']), 'run: unknown flag --bogus\\x1b[2J');
    expectOneLineRefusal(
      await overfit(['data', 'fetch', '--interval', '\x1b[2J', '--from', '2024-01-01', '--out', 'x.csv']),
      '--interval: binance serves 1m',
    );
    expectOneLineRefusal(
      await overfit(['data', 'synth', '--model', '\u202egbm', '--out', 'x.csv']),
      '--model: must be one of gbm, garch, bootstrap (got "\\u202egbm"; did you mean gbm?)',
    );
  });
});

describe('prices no run can use are refused before the run starts (item 12)', () => {
  it.each([
    ['constant prices', () => 100, 'constant.csv: every close is 100: constant prices have no returns to trade'],
    [
      'a bar at 1e308',
      (i: number) => (i === 1500 ? 1e308 : 100 + (i % 7)),
      'a bar at 1e308.csv:1502:2: close "1e+308" is outside the accepted prices, 1e-8 to 1000000000',
    ],
    [
      'alternating 1e300 and 1e-300',
      (i: number) => (i % 2 ? 1e300 : 1e-300),
      'alternating 1e300 and 1e-300.csv:2:2: close "1e-300" is outside the accepted prices',
    ],
    [
      'alternating 1e9 and 1e-8',
      (i: number) => (i % 2 ? 1e9 : 1e-8),
      'alternating 1e9 and 1e-8.csv: the close goes from 1e-8 to 1000000000 in one bar',
    ],
    ['alternating 100 and 900', (i: number) => (i % 2 ? 900 : 100), 'alternating 100 and 900.csv: 42 bars up to'],
  ])('%s: exit 2 in the user’s words, naming the file, no run folder', async (name, close, message) => {
    const file = name === 'constant prices' ? 'constant.csv' : `${name}.csv`;
    await writeFile(join(root, file), hours(3000, close));
    const store = `store-${name.replace(/\W+/g, '-')}`;
    const result = await overfit(['run', '--data', file, ...RUN, '--store', store]);
    expectOneLineRefusal(result, message);
    expect(result.stderr).not.toMatch(/synth\.|kurtosis|returns:/);
    expect((await runFolders(store)).all).toEqual([]);
  });
});

describe('costs and times (item 14)', () => {
  it('refuses fees + slippage above 1,000 bps together, on run and backtest', async () => {
    const run = await overfit([
      'run',
      ...flags({ data: prices }),
      ...RUN,
      ...flags({ 'fees-bps': 600, 'slippage-bps': 500, store: 'store-costs' }),
    ]);
    expectOneLineRefusal(
      run,
      '--fees-bps + --slippage-bps: fees and slippage must be ≥ 0 and together at most 1000 basis points',
    );
    expect((await runFolders('store-costs')).all).toEqual([]);
    const strategy = JSON.stringify({ family: 'sma_cross', fast: 5, slow: 20, direction: 'long_short' });
    expectOneLineRefusal(
      await overfit(['backtest', '--data', prices, '--strategy', strategy, '--fees-bps', '20000']),
      '--fees-bps: must be a number from 0 to 1000 (got 20000)',
    );
    const ok = await overfit([
      'backtest',
      ...flags({ data: prices, strategy, 'fees-bps': 900, 'slippage-bps': 100, json: true }),
    ]);
    expect(ok.code).toBe(0);
    expect(Number.isFinite(JSON.parse(ok.stdout).metrics.totalReturn)).toBe(true);
  });

  it('reads a space-separated --from/--to as UTC, like a T time, whatever the machine’s zone', async () => {
    const strategy = JSON.stringify({ family: 'sma_cross', fast: 5, slow: 20, direction: 'long_only' });
    const window = async (from: string, to: string, tz: string) => {
      const result = await overfit(['backtest', '--data', prices, '--strategy', strategy, '--from', from, '--to', to], {
        TZ: tz,
      });
      expect(result.stderr).toBe('');
      return result.stdout.split('\n')[1];
    };
    const utc = await window('2020-01-10T00:00:00Z', '2020-01-20T23:00:00Z', 'UTC');
    expect(utc).toMatch(/^264 bars from 2020-01-10T00:00:00.000Z to 2020-01-20T23:00:00.000Z/);
    expect(await window('2020-01-10 00:00', '2020-01-20 23:00:00', 'America/New_York')).toBe(utc);
    expect(await window('2020-01-10T00:00', '2020-01-20T23:00', 'Asia/Kolkata')).toBe(utc);
    expectOneLineRefusal(
      await overfit(['backtest', '--data', prices, '--strategy', strategy, '--from', 'next \x1b[2J tuesday']),
      '--from: is not a date such as 2018-01-01',
    );
  });
});

describe('files, flags, strategies and events refused before the run starts', () => {
  const header = 'timestamp,open,high,low,close,volume\n';
  const row = (h: number, close = '100') => `2024-01-01T${String(h).padStart(2, '0')}:00:00Z,100,101,99,${close},5\n`;
  it.each([
    ['a missing column', 'timestamp,open,high,low,volume\n2024-01-01T00:00:00Z,1,1,1,1\n', /bad\.csv:1/],
    ['a non-numeric price', header + row(0) + row(1, 'abc') + row(2), /bad\.csv:3:5/],
    ['a non-positive price', header + row(0) + row(1, '-3') + row(2), /bad\.csv:3:5/],
    ['unsorted timestamps', header + row(0) + row(2) + row(1), /bad\.csv:4:1/],
    ['a duplicate timestamp', header + row(0) + row(1) + row(1), /bad\.csv:4:1/],
    ['an empty file', '', /bad\.csv/],
    ['a binary file', '\u0000\u0001\u0002PNG\u0000', /bad\.csv/],
    [
      'too few bars for the longest lookback',
      header + Array.from({ length: 20 }, (_, h) => row(h)).join(''),
      /bad\.csv.*training window has 14 bars/,
    ],
  ])('refuses %s with one line naming the place, exit 2, and no run folder', async (_name, content, where) => {
    const store = `store-bad-${Math.random().toString(36).slice(2)}`;
    await writeFile(join(root, 'bad.csv'), content);
    const { code, stdout, stderr } = await overfit([
      'run',
      '--data',
      'bad.csv',
      '--strategies',
      '20',
      '--store',
      store,
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(where);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(root, store))).toBe(false);
  });

  it.each([
    [['run', '--strategies', 'many'], /--strategies: must be a number/],
    [['run', '--strategies', '0'], /--strategies: must be an integer from 1 to 1000000 \(got 0\)/],
    [['run', '--select-by', 'luck'], /--select-by: must be one of win_rate, .* \(got "luck"\)/],
    [['run', '--families', 'sma_cross,tarot'], /--families: must be one of coin_flip, .* \(got "tarot"\)/],
    [
      ['run', '--train-fraction', '1.5'],
      /--train-fraction: must be a number greater than 0 and less than 1 \(got 1\.5\)/,
    ],
    [['run', '--null-markets', '2.5'], /--null-markets: must be an integer from 0 to 200/],
    [['run', '--bogus'], /^overfit: run: unknown flag --bogus \(overfit run --help lists them\)\n$/],
    [['run', '--data', 'nowhere.csv'], /nowhere\.csv/],
    [['launch'], /unknown command "launch"/],
  ])('rejects bad flags %j with exit 2', async (args, message) => {
    const { code, stderr } = await overfit(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('names the bad field of a strategy', async () => {
    const strategy = '{"family":"sma_cross","fast":30,"slow":10,"direction":"long_only"}';
    const { code, stderr } = await overfit(['backtest', ...flags({ data: prices, strategy })]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--strategy\.slow/);
  });

  it('rejects an event that points outside its run', async () => {
    const event = JSON.parse(await readFile(join(EVENTS, 'select.json'), 'utf8'));
    await writeFile(
      join(root, 'evil.json'),
      JSON.stringify({ ...event, strategiesKey: 'runs/other/strategies/strategies.json' }),
    );
    const { code, stderr } = await overfit(['stage', 'select', '--event', 'evil.json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/event\.strategiesKey: must be a key under runs\/example\//);
  });
});

describe('fuzzed price files through the CLI (item 16)', () => {
  let n = 0;
  it('run, data inspect and backtest exit 0 or 2 with one printable line, no stack, no half-written run', async () => {
    const coinFlip = JSON.stringify({ family: 'coin_flip', seed: 1, probabilityLong: 0.5, direction: 'long_short' });
    await fc.assert(
      fc.asyncProperty(fuzzedFile, async ({ bytes }) => {
        const file = `fuzz-${++n}.csv`;
        await writeFile(join(root, file), bytes);
        const results = await Promise.all([
          overfit([
            'run',
            ...flags({ data: file, families: 'coin_flip', strategies: 5, 'min-trades': 0, 'null-markets': 0 }),
            ...flags({ store: 'store-fuzz' }),
          ]),
          overfit(['data', 'inspect', file]),
          overfit(['backtest', '--data', file, '--strategy', coinFlip]),
        ]);
        for (const result of results) {
          expect([0, 2]).toContain(result.code);
          expect(result.stderr).not.toMatch(/\n\s+at /);
          if (result.code === 2) expectOneLineRefusal(result, file);
          else expect(result.stderr).toBe('');
          // eslint-disable-next-line no-control-regex
          expect(result.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
        }
        expect((await runFolders('store-fuzz')).withoutManifest).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });
});
