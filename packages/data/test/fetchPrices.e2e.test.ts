// The downloader against a fake exchange on 127.0.0.1 built from the real hourly history (or a synthetic one
// without ../shared/data, so these tests always run). Waits are recorded, not slept.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PriceSeries } from '@overfit/core';
import { fetchPrices, readPriceCsv, sliceBars, syntheticMarket, type FetchPricesOptions } from '../src';
import { startFakeExchange, type FakeExchange } from '@overfit/testing/fake-exchange';

// No test may depend on the machine's speed: generous, explicit (jest's 5 s default fails under load).
jest.setTimeout(120_000);

const SHARED_HOURLY = resolve(__dirname, '../../../../shared/data/btc_usd_1h.csv');
const BARS = 2500;
const HOUR = 3_600_000;

let source: PriceSeries;
let server: FakeExchange;
let dir: string;
let sleeps: number[];

beforeAll(async () => {
  // The first 2,500 real hours hold three Binance outage gaps (2017-09-06, 2018-01-04, …): paging must step over them.
  source = existsSync(SHARED_HOURLY)
    ? sliceBars((await readPriceCsv(SHARED_HOURLY)).series, 0, BARS)
    : syntheticMarket({ bars: BARS, seed: 21 });
  server = await startFakeExchange(source);
  dir = await mkdtemp(join(tmpdir(), 'overfit-fetch-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
  server.fault = () => undefined;
  sleeps = [];
});

let files = 0;
const options = (extra: Partial<FetchPricesOptions> = {}): FetchPricesOptions => ({
  exchange: 'binance',
  symbol: 'BTCUSDT',
  interval: '1h',
  from: source.time[0],
  to: source.time[BARS - 1],
  out: join(dir, `prices-${++files}.csv`),
  baseUrl: server.url,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  now: () => source.time[BARS - 1] + 2 * HOUR,
  ...extra,
});
const startTimes = () => server.requests.map((u) => Number(u.searchParams.get('startTime')));

describe('fetchPrices from Binance klines', () => {
  it('pages through 1,000 bars per request and writes exactly the exchange’s bars', async () => {
    const progress: [number, number][] = [];
    const opts = options({ onProgress: (done, total) => progress.push([done, total]) });
    const result = await fetchPrices(opts);
    expect(result).toMatchObject({ added: BARS, resumedAfter: null, requests: 3 });
    expect(startTimes()).toEqual([source.time[0], source.time[999] + 1, source.time[1999] + 1]);
    expect((await readPriceCsv(opts.out)).series).toEqual(source);
    expect(result.written.report.rows).toBe(BARS);
    // Progress only grows and ends at the total the range holds (more than BARS when the history has gaps).
    const total = (source.time[BARS - 1] - source.time[0]) / HOUR + 1;
    expect(progress.at(-1)).toEqual([total, total]);
    expect(progress.every(([done], i) => i === 0 || done >= progress[i - 1][0])).toBe(true);
  });

  it('waits as told by Retry-After on 429 and 418, then carries on', async () => {
    server.fault = (n) =>
      n === 1 ? { status: 429, retryAfter: '2' } : n === 3 ? { status: 418, retryAfter: '1' } : undefined;
    const opts = options();
    await fetchPrices(opts);
    expect(sleeps).toEqual([2000, 1000]);
    expect((await readPriceCsv(opts.out)).series).toEqual(source);
  });

  it('refuses to wait out a long ban and fails at once with a clear message', async () => {
    server.fault = () => ({ status: 418, retryAfter: '7200' });
    const opts = options();
    await expect(fetchPrices(opts)).rejects.toThrow(
      'binance answered HTTP 418 and asks to wait 7200 s (this IP is banned for that long)',
    );
    expect(server.requests).toHaveLength(1);
    expect(existsSync(opts.out)).toBe(false);
  });

  it('asks again for a body cut short, and continues after a page shorter than the limit', async () => {
    server.fault = (n) => (n === 2 ? { truncate: true } : n === 3 ? { rows: 10 } : undefined);
    const opts = options();
    const result = await fetchPrices(opts);
    expect(sleeps).toEqual([1000]);
    // 1: bars 0–999; 2: cut; 3: the same page again, only 10 bars; then on from bar 1010.
    expect(startTimes().slice(0, 4)).toEqual([
      source.time[0],
      source.time[999] + 1,
      source.time[999] + 1,
      source.time[1009] + 1,
    ]);
    expect(result.added).toBe(BARS);
    expect((await readPriceCsv(opts.out)).series).toEqual(source);
  });

  it('survives a dropped connection mid-download, resumes from --out after a failed run, and duplicates nothing', async () => {
    const out = join(dir, 'resumed.csv');
    // Run 1: the first 1,200 bars, with the connection dropped once on the way.
    server.fault = (n) => (n === 2 ? { drop: true } : undefined);
    await fetchPrices(options({ out, to: source.time[1199] }));
    expect(sleeps).toEqual([1000]);
    const afterFirst = await readFile(out, 'utf8');
    // Run 2: the network is down for good: a clear failure, the file untouched, no temp file left.
    server.requests.length = 0;
    server.fault = () => ({ drop: true });
    await expect(fetchPrices(options({ out }))).rejects.toThrow(
      /failed 6 times \(last: fetch failed.*\); .*resumed\.csv was left as it was/,
    );
    expect(await readFile(out, 'utf8')).toBe(afterFirst);
    // Run 3: the network is back: the download starts after the last bar already in the file.
    server.requests.length = 0;
    server.fault = () => undefined;
    const result = await fetchPrices(options({ out, from: undefined }));
    expect(startTimes()[0]).toBe(source.time[1199] + HOUR);
    expect(result).toMatchObject({
      added: BARS - 1200,
      resumedAfter: new Date(source.time[1199]).toISOString().replace('.000Z', 'Z'),
    });
    expect((await readPriceCsv(out)).series).toEqual(source);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('ends a 5xx storm with a clear failure, backing off, leaving the previous --out byte for byte', async () => {
    const out = join(dir, 'storm.csv');
    await fetchPrices(options({ out, to: source.time[500] }));
    const before = await readFile(out);
    server.requests.length = 0;
    server.fault = (n) => (n >= 2 ? { status: 503 } : undefined);
    await expect(fetchPrices(options({ out, from: undefined }))).rejects.toThrow(
      /binance: http:\/\/127\.0\.0\.1:\d+\/api\/v3\/klines\?.* failed 6 times \(last: HTTP 503\); .*storm\.csv was left as it was/,
    );
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(await readFile(out)).toEqual(before);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes nothing at all when a first download fails', async () => {
    server.fault = (n) => (n >= 2 ? { status: 500 } : undefined);
    const opts = options({ maxAttempts: 2 });
    await expect(fetchPrices(opts)).rejects.toThrow('nothing was written');
    expect(existsSync(opts.out)).toBe(false);
  });

  it('is up to date when --out already ends at the last complete bar', async () => {
    const out = join(dir, 'current.csv');
    await fetchPrices(options({ out }));
    server.requests.length = 0;
    const result = await fetchPrices(options({ out, from: undefined, to: undefined }));
    expect(result.added).toBe(0);
    // The newest complete bar is not served yet: asked for twice (an empty page is asked again), then up to date.
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  it.each([
    [{ symbol: 'BTCXXX' }, 'exchange: binance refused', 'Invalid symbol.'],
    [{ symbol: 'btc usdt' }, 'symbol', 'must be an exchange symbol such as BTCUSDT'],
    [{ interval: '2m' }, 'interval', 'binance serves 1m, 3m, 5m'],
    [{ exchange: 'kraken' }, 'exchange', 'must be one of binance, coinbase'],
    [{ from: undefined }, 'from', 'needs a start date'],
  ])('refuses %j with an InputError', async (extra, where, message) => {
    const error = await fetchPrices(options(extra)).catch((e) => e);
    expect(error.name).toBe('InputError');
    expect(error.where.startsWith(where.split(':')[0])).toBe(true);
    expect(error.message).toContain(message);
  });

  it('refuses to append hourly bars to a file of daily bars', async () => {
    const out = join(dir, 'daily.csv');
    await writeFile(out, 'timestamp,close\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n');
    await expect(fetchPrices(options({ out }))).rejects.toThrow(
      `${out}: holds 1d bars, not the 1h bars asked for (choose another output file)`,
    );
  });
});

describe('fetchPrices keeps only whole, ordered, on-grid bars (issue 14, item 7)', () => {
  const shuffle = (rows: unknown[][]) =>
    rows
      .map((r, i) => [((i * 7919) % 1009) + i / 1e6, r] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, r]) => r);
  const written = async (opts: FetchPricesOptions) => (await readPriceCsv(opts.out)).series;

  it.each([
    ['shuffled', shuffle],
    ['newest-first', (rows: unknown[][]) => rows.slice().reverse()],
    ['repeating bars', (rows: unknown[][]) => rows.flatMap((r, i) => (i % 3 === 0 ? [r, r] : [r]))],
  ])('sorts and de-duplicates %s pages', async (_name, rewrite) => {
    server.fault = () => ({ rewrite });
    const opts = options();
    const result = await fetchPrices(opts);
    expect(result).toMatchObject({ added: BARS });
    expect(await written(opts)).toEqual(source);
  });

  it('asks again after a transient empty page instead of ending the download short', async () => {
    server.fault = (n) => (n === 2 ? { rewrite: () => [] } : undefined);
    const opts = options();
    const result = await fetchPrices(opts);
    expect(result.added).toBe(BARS);
    expect(sleeps).toEqual([1000]);
    expect(await written(opts)).toEqual(source);
  });

  it('fails, writing nothing, when the exchange keeps answering with no bars before the end of the range', async () => {
    server.fault = (n) => (n >= 2 ? { rewrite: () => [] } : undefined);
    const opts = options();
    const error = await fetchPrices(opts).catch((e) => e);
    expect(error.message).toMatch(
      new RegExp(
        `^binance answered 6 times with no 1h bars of BTCUSDT from ${new Date(source.time[999] + HOUR).toISOString().replace('.000Z', 'Z')} to .*, \\d+ of the \\d+ bars asked for \\(its last bar is .*\\); nothing was written to .*\\. If it has no data there, end the range earlier$`,
      ),
    );
    expect(existsSync(opts.out)).toBe(false);
  });

  it('counts the bars the exchange does not have inside the range', async () => {
    const hole = new Set([source.time[100], source.time[101], source.time[102]]);
    server.fault = () => ({ rewrite: (rows) => rows.filter((r) => !hole.has(r[0] as number)) });
    const result = await fetchPrices(options());
    expect(result.added).toBe(BARS - 3);
    expect(result.missing).toBe((source.time[BARS - 1] - source.time[0]) / HOUR + 1 - (BARS - 3));
  });

  it.each([
    [
      'a bar 1 ms late',
      (rows: unknown[][]) => rows.map((r, i) => (i === 5 ? [(r[0] as number) + 1, ...r.slice(1)] : r)),
      /^binance sent a bar opening at \S+:00\.001Z, off the 1h grid/,
    ],
    [
      '30-minute bars',
      (rows: unknown[][]) => rows.flatMap((r) => [r, [(r[0] as number) + HOUR / 2, ...r.slice(1)]]),
      /^binance sent a bar opening at \S+:30:00Z, off the 1h grid/,
    ],
    [
      'a close of 0',
      (rows: unknown[][]) => rows.map((r, i) => (i === 7 ? [r[0], r[1], r[2], r[3], '0', ...r.slice(5)] : r)),
      /^binance sent a bar opening at \S+ with close 0, outside the prices this project reads \(1e-8 to 1000000000\); nothing was written/,
    ],
  ])('refuses %s as the exchange’s bar, writing nothing', async (_name, rewrite, message) => {
    server.fault = () => ({ rewrite });
    const opts = options();
    const error = await fetchPrices(opts).catch((e) => e);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('.tmp');
    expect(existsSync(opts.out)).toBe(false);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a hexadecimal price and two different bars for one time after asking again', async () => {
    server.fault = () => ({ rewrite: (rows) => rows.map((r, i) => (i === 3 ? [r[0], '0x10', ...r.slice(2)] : r)) });
    await expect(fetchPrices(options({ maxAttempts: 2 }))).rejects.toThrow(
      /failed 2 times \(last: not a number: "0x10"\)/,
    );
    server.fault = () => ({ rewrite: (rows) => [...rows, [rows[0][0], '1', '2', '0.5', '1.5', '3']] });
    await expect(fetchPrices(options({ maxAttempts: 2 }))).rejects.toThrow(
      /failed 2 times \(last: binance sent two different bars opening at /,
    );
  });

  it('refuses to resume into a file whose bars are off the grid or of mixed spacing', async () => {
    const rows = (times: number[]) =>
      `timestamp,close\n${times.map((t, i) => `${new Date(t).toISOString()},${100 + i}`).join('\n')}\n`;
    const hours = Array.from({ length: 10 }, (_, i) => source.time[0] + i * HOUR);
    for (const [name, times, at] of [
      ['mixed', [...hours.slice(0, 5), hours[4] + HOUR / 2, ...hours.slice(5)], hours[4] + HOUR / 2],
      ['shifted', hours.map((t, i) => (i === 6 ? t + 1 : t)), hours[6] + 1],
    ] as const) {
      const out = join(dir, `resume-${name}.csv`);
      await writeFile(out, rows([...times]));
      const before = await readFile(out, 'utf8');
      const error = await fetchPrices(options({ out, from: undefined })).catch((e) => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toBe(
        `${out}: has a bar at ${new Date(at).toISOString().replace('.000Z', 'Z')} off the 1h grid of its other bars (bars of mixed spacing or shifted times); choose another output file or repair the file`,
      );
      expect(await readFile(out, 'utf8')).toBe(before);
    }
  });

  it('Coinbase: asks again for a transient empty window instead of skipping 300 bars', async () => {
    server.fault = (n) => (n === 3 ? { rewrite: () => [] } : undefined);
    const opts = options({ exchange: 'coinbase', symbol: 'BTC-USD' });
    await fetchPrices(opts);
    expect(await written(opts)).toEqual(source);
  });
});

describe('fetchPrices from Coinbase Exchange candles', () => {
  it('pages by windows of 300 bars, reorders newest-first pages, and writes the same bars', async () => {
    const opts = options({ exchange: 'coinbase', symbol: 'BTC-USD' });
    const result = await fetchPrices(opts);
    const windows = Math.ceil(((source.time[BARS - 1] - source.time[0]) / HOUR + 1) / 300);
    expect(result.requests).toBeGreaterThanOrEqual(windows);
    expect(result.requests).toBeLessThanOrEqual(windows + 3);
    expect(
      server.requests.every(
        (u) => u.pathname === '/products/BTC-USD/candles' && u.searchParams.get('granularity') === '3600',
      ),
    ).toBe(true);
    expect((await readPriceCsv(opts.out)).series).toEqual(source);
  });

  it('reports an unknown product as the exchange refusing it', async () => {
    await expect(fetchPrices(options({ exchange: 'coinbase', symbol: 'DOGE-XYZ' }))).rejects.toThrow(
      /coinbase refused .*HTTP 404/,
    );
  });
});
