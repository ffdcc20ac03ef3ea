// `overfit data inspect|fetch|synth` and `overfit run --format/--lenient/--resample`, through the built bundle.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PriceSeries } from '@overfit/core';
import { readPriceCsv, syntheticMarket } from '@overfit/data';
import { startFakeExchange, type FakeExchange } from '@overfit/testing/fake-exchange';
import { cliTempRoot, expectQuietSuccess, flags, overfitIn } from './spawnCli';

// No test may depend on the machine's speed: generous, explicit (jest's 5 s default fails under load).
jest.setTimeout(300_000);

const SHARED = resolve(__dirname, '../../../../shared/data');

const overfit = (args: string[]) => overfitIn(root, args);
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

let root: string;
let hourly: PriceSeries;
beforeAll(async () => {
  root = await cliTempRoot('overfit-cli-data-');
  const real = join(SHARED, 'btc_usd_1h.csv');
  const cut = (s: PriceSeries, n: number): PriceSeries => ({
    ...s,
    time: s.time.slice(0, n),
    open: s.open.slice(0, n),
    high: s.high.slice(0, n),
    low: s.low.slice(0, n),
    close: s.close.slice(0, n),
    volume: s.volume.slice(0, n),
  });
  hourly = existsSync(real) ? cut((await readPriceCsv(real)).series, 3000) : syntheticMarket({ bars: 3000, seed: 8 });
});
afterAll(() => rm(root, { recursive: true, force: true }));

const spaced = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const rows = (s: PriceSeries, row: (i: number) => string) => Array.from(s.time, (_, i) => row(i)).join('\n') + '\n';
const LAYOUTS: [string, (s: PriceSeries) => string][] = [
  [
    'binance',
    (s) =>
      rows(
        s,
        (i) =>
          `${s.time[i]},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]},${s.time[i] + 3_599_999},0,1,0,0,0`,
      ),
  ],
  [
    'yahoo',
    (s) =>
      `Date,Open,High,Low,Close,Adj Close,Volume\n${rows(s, (i) => `${spaced(s.time[i])},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.close[i]},${s.volume[i]}`)}`,
  ],
  [
    'dukascopy',
    (s) =>
      `dt,Open,High,Low,Close,Volume\n${rows(s, (i) => {
        const d = new Date(s.time[i]);
        const p = (n: number) => String(n).padStart(2, '0');
        const date = `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
        return `${date} ${d.toISOString().slice(11, 19)},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}`;
      })}`,
  ],
  [
    'close_only',
    (s) => `timestamp,price,returns,split\n${rows(s, (i) => `${spaced(s.time[i])},${s.close[i]},0,train`)}`,
  ],
];

describe('overfit run --data <layout>', () => {
  it.each(LAYOUTS)('runs end to end on a %s file', async (layout, write) => {
    await writeFile(join(root, `${layout}.csv`), write(hourly));
    const result = await overfit([
      'run',
      ...flags({ data: `${layout}.csv`, strategies: 20, 'null-markets': 0, store: `store-${layout}`, json: true }),
    ]);
    expectQuietSuccess(result);
    expect(JSON.parse(result.stdout).data).toMatchObject({ rows: 3000, first: new Date(hourly.time[0]).toISOString() });
  });

  it('--resample 4h --lenient: drops the bad row, runs on 4-hour bars and says so', async () => {
    const text = LAYOUTS[0][1](hourly).split('\n');
    text.splice(7, 0, 'not,a,bar,at,all,really,no,no,no,no,no,no');
    await writeFile(join(root, 'messy.csv'), text.join('\n'));
    const strict = await overfit(['run', '--data', 'messy.csv', '--strategies', '10', '--store', 'store-messy']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/messy\.csv:8:1: "not" is not a timestamp/);
    const { code, stdout } = await overfit([
      'run',
      ...flags({ data: 'messy.csv', lenient: true, resample: '4h', strategies: 10, 'null-markets': 0 }),
      ...flags({ store: 'store-messy', json: true }),
    ]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.data).toMatchObject({ source: 'messy.csv (lenient, resampled to 4h)', barSeconds: 14_400 });
    // The dropped row is listed in the run's manifest.
    const manifest = JSON.parse(await readFile(join(root, 'store-messy/runs', summary.runId, 'manifest.json'), 'utf8'));
    expect(manifest.data.dropped).toEqual({
      count: 1,
      rows: [
        {
          line: 8,
          kind: 'bad_time',
          reason: 'column 1: "not" is not a timestamp (ISO 8601, dd.mm.yyyy HH:MM:SS or epoch)',
        },
      ],
    });
    // 3,000 hours make 750 four-hour bars (a few fewer where the history has gaps).
    expect(summary.data.rows).toBeGreaterThan(700);
    expect(summary.data.rows).toBeLessThanOrEqual(751);
  });

  it('text output: the gaps, the dropped rows with line and reason, and no CAGR on a 3-month window', async () => {
    const text = LAYOUTS[0][1](hourly).split('\n');
    // Rows 100 to 104 removed: a gap of 5 missing hours (6 hours between two bars); then two bad rows.
    text.splice(99, 5);
    text.splice(7, 0, 'not,a,bar,at,all,really,no,no,no,no,no,no', 'also,not,a,bar,at,all,no,no,no,no,no,no');
    await writeFile(join(root, 'gappy.csv'), text.join('\n'));
    const result = await overfit([
      'run',
      ...flags({ data: 'gappy.csv', lenient: true, strategies: 10, 'null-markets': 0, store: 'store-gappy' }),
    ]);
    expectQuietSuccess(result);
    const lines = result.stdout.split('\n');
    // The real history has gaps of its own in these hours (one of 7 bars after 2017-09-06 15:00): ours adds one
    // gap of 5 missing bars, 6 h between two bars.
    const HOUR = 3_600_000;
    const own = Array.from(hourly.time.subarray(1), (t, i) => t - hourly.time[i]).filter((step) => step > HOUR);
    const missing = own.reduce((sum, step) => sum + step / HOUR - 1, 5);
    const longest = Math.max(6, ...own.map((step) => step / HOUR));
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Gaps {5}${own.length + 1} \\(${missing} missing bars; the longest: ${longest} h between two bars`),
      ),
    );
    const dropped = lines.indexOf('Dropped  2 rows dropped (--lenient)');
    expect(lines.slice(dropped + 1, dropped + 3)).toEqual([
      '         line 8: column 1: "not" is not a timestamp (ISO 8601, dd.mm.yyyy HH:MM:SS or epoch)',
      '         line 9: column 1: "also" is not a timestamp (ISO 8601, dd.mm.yyyy HH:MM:SS or epoch)',
    ]);
    // 2,995 hours: training 87 days, validation 37, both under three months.
    expect(result.stdout).toMatch(/^CAGR +n\/a\* +n\/a\* +n\/a\* +n\/a\*$/m);
    expect(result.stdout).toMatch(
      /^n\/a\* CAGR and Calmar ratio are not annualised on a window shorter than 3 months/m,
    );
    expect(result.stdout).toMatch(/^Bars {5}2,995 from /m);
  });

  it.each([
    [['--format', 'excel'], /--format: must be one of auto, generic, yahoo/],
    [['--resample', '90x'], /--resample: must be a bar length such as 5m, 1h or 1d/],
    [['--resample', '1m'], /1m is finer than the data's 1h bars/],
  ])('refuses %j with exit 2', async (flags, message) => {
    const { code, stderr } = await overfit(['run', '--data', 'binance.csv', '--strategies', '5', ...flags]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('overfit data inspect', () => {
  it('detects the layout and prints the report as JSON', async () => {
    const { code, stdout } = await overfit(['data', 'inspect', 'binance.csv', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      file: 'binance.csv',
      layout: 'binance',
      rows: 3000,
      spacingSeconds: 3600,
      first: new Date(hourly.time[0]).toISOString(),
    });
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['rows', 'first', 'last', 'spacingSeconds', 'gaps', 'problems', 'dropped']),
    );
  });

  it('--format close_only overrides the detected layout', async () => {
    const { stdout } = await overfit(['data', 'inspect', 'yahoo.csv', '--format', 'close_only']);
    expect(stdout).toMatch(/^yahoo\.csv \(close_only layout\)\n {2}rows {6}3,000/);
  });
});

describe('overfit data fetch', () => {
  let exchange: FakeExchange;
  beforeAll(async () => {
    exchange = await startFakeExchange(hourly);
  });
  afterAll(() => exchange.close());

  it('downloads into --out, and continues the same file on the next call', async () => {
    const last = new Date(hourly.time[2999]).toISOString();
    const first = await overfit([
      'data',
      'fetch',
      ...flags({ symbol: 'BTCUSDT', interval: '1h', from: new Date(hourly.time[0]).toISOString() }),
      ...flags({ to: new Date(hourly.time[1499]).toISOString(), out: 'data/fetched.csv', 'base-url': exchange.url }),
    ]);
    expectQuietSuccess(first);
    expect(first.stdout).toMatch(/^Fetched 1500 1h bars of BTCUSDT from binance in 2 requests\n/);
    const second = await overfit([
      'data',
      'fetch',
      ...flags({ to: last, out: 'data/fetched.csv', 'base-url': exchange.url, json: true }),
    ]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      added: 1500,
      resumedAfter: new Date(hourly.time[1499]).toISOString().replace('.000Z', 'Z'),
      rows: 3000,
    });
    expect((await readPriceCsv(join(root, 'data/fetched.csv'))).series).toEqual({ ...hourly, hasOhlc: true });
  });

  it('fails a 5xx storm with one line and exit 1, leaving no file', async () => {
    exchange.fault = () => ({ status: 502 });
    // Six attempts would back off for 1 + 2 + 4 + 8 + 16 s (the data package's tests record those waits): two here.
    const failed = await overfit([
      'data',
      'fetch',
      ...flags({ from: '2017-08-17', out: 'nope.csv', attempts: 2, 'base-url': exchange.url }),
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^overfit: binance: .* failed 2 times \(last: HTTP 502\); nothing was written to nope\.csv\n$/,
    );
    expect(existsSync(join(root, 'nope.csv'))).toBe(false);
    expect((await readdir(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    exchange.fault = () => undefined;
  }, 300_000);

  it('names a refused symbol, exit 2', async () => {
    const { code, stderr } = await overfit([
      'data',
      'fetch',
      ...flags({ symbol: 'NOPE', from: '2017-08-17', out: 'nope.csv', 'base-url': exchange.url }),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^overfit: --exchange: binance refused .*HTTP 400 .*Invalid symbol/);
  });
});

describe('overfit data synth', () => {
  it('writes the same bytes for the same seed, and reports the fitted GARCH parameters', async () => {
    const args = (out: string) => [
      'data',
      'synth',
      ...flags({ model: 'garch', like: 'binance.csv', seed: 5, out, json: true }),
    ];
    const a = await overfit(args('a.csv'));
    expect(a.code).toBe(0);
    await overfit(args('b.csv'));
    expect(await sha256(join(root, 'a.csv'))).toBe(await sha256(join(root, 'b.csv')));
    const out = JSON.parse(a.stdout);
    expect(out).toMatchObject({
      model: 'garch',
      rows: 3000,
      spacingSeconds: 3600,
      first: new Date(hourly.time[0]).toISOString(),
    });
    expect(out.fitted.garch.alpha + out.fitted.garch.beta).toBeLessThan(1);
  });

  it('makes a GBM market of the requested length and bar', async () => {
    const { code, stdout } = await overfit([
      'data',
      'synth',
      ...flags({ model: 'gbm', bars: 500, interval: '5m', seed: 1, out: 'gbm.csv' }),
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Wrote gbm\.csv \(seed 1\): a geometric random walk \(65\.0 % annualised volatility\)\ngbm\.csv\n {2}rows {6}500\n/,
    );
    expect(stdout).toMatch(/spacing {3}300 s/);
  });

  it.each([
    [['--model', 'bootstrap', '--bars', '10', '--out', 'x.csv'], /--like: bootstrap imitates a real history/],
    [['--model', 'arima', '--out', 'x.csv'], /--model: must be one of gbm, garch, bootstrap/],
    [['--model', 'gbm', '--out', 'x.csv'], /--bars: needs the number of bars/],
    [['--model', 'garch', '--like', 'binance.csv', '--interval', '1d', '--out', 'x.csv'], /binance\.csv has 1h bars/],
  ])('refuses %j with exit 2', async (flags, message) => {
    const { code, stderr } = await overfit(['data', 'synth', ...flags]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
