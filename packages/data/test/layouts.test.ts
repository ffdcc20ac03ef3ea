// Every layout the reader claims, written by this test from a slice of a real history (or, without
// ../shared/data, from the synthetic market), read back, and compared with the original bar by bar.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PriceFormat, PriceSeries } from '@overfit/core';
import { readPriceCsv, sliceBars, syntheticMarket } from '../src';

const SHARED = resolve(__dirname, '../../../../shared/data');
const BARS = 300;

let dir: string;
const originals: Record<'hourly' | 'daily' | 'fiveMinute', PriceSeries> = {} as never;

/** The first BARS bars of a shared file, or a synthetic market with the same spacing when the folder is absent. */
async function slice(name: string, intervalMs: number): Promise<PriceSeries> {
  const path = join(SHARED, name);
  if (!existsSync(path)) return syntheticMarket({ bars: BARS, seed: 11, intervalMs });
  return sliceBars((await readPriceCsv(path)).series, 0, BARS);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overfit-layouts-'));
  originals.hourly = await slice('btc_usd_1h.csv', 3_600_000);
  originals.daily = await slice('btc_usd_1d.csv', 86_400_000);
  originals.fiveMinute = await slice('btc_usd_5m_2024.csv', 300_000);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const iso = (ms: number) => new Date(ms).toISOString();
/** 2017-08-17 04:00:00 (the ISO time with a space and no zone). */
const spaced = (ms: number) => iso(ms).slice(0, 19).replace('T', ' ');
/** 17.08.2017 04:00:00 (Dukascopy). */
const dayFirst = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${iso(ms).slice(11, 19)}`;
};
const rows = (s: PriceSeries, row: (i: number) => string) => Array.from(s.time, (_, i) => row(i)).join('\n');
const ohlcv = (s: PriceSeries, i: number) => `${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}`;
/**
 * The eleven fields after the open time in a Binance kline row (close time, quote volume, trades, taker volumes,
 * ignore).
 */
const klineTail = (s: PriceSeries, i: number, closeTime: string | number) =>
  `${ohlcv(s, i)},${closeTime},${(s.volume[i] * s.close[i]).toFixed(4)},${100 + i},` +
  `${(s.volume[i] / 2).toFixed(6)},${((s.volume[i] / 2) * s.close[i]).toFixed(4)},0`;
const KAGGLE_HEADER =
  'Open time,Open,High,Low,Close,Volume,Close time,Quote asset volume,Number of trades,Taker buy base asset volume,Taker buy quote asset volume,Ignore';

type Case = [name: string, source: keyof typeof originals, format: PriceFormat, write: (s: PriceSeries) => string];
const CASES: Case[] = [
  [
    'generic',
    'hourly',
    'generic',
    (s) =>
      `timestamp,open,high,low,close,volume\n${rows(s, (i) => `${iso(s.time[i]).replace('.000Z', 'Z')},${ohlcv(s, i)}`)}\n`,
  ],
  [
    'Yahoo Finance',
    'daily',
    'yahoo',
    (s) =>
      `Date,Open,High,Low,Close,Adj Close,Volume\n${rows(s, (i) => `${iso(s.time[i]).slice(0, 10)},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.close[i]},${s.volume[i]}`)}\n`,
  ],
  [
    'yfinance download (three header rows)',
    'daily',
    'yahoo',
    (s) =>
      `Price,Close,High,Low,Open,Volume\nTicker,BTC-USD,BTC-USD,BTC-USD,BTC-USD,BTC-USD\nDate,,,,,\n${rows(s, (i) => `${iso(s.time[i]).slice(0, 10)},${s.close[i]},${s.high[i]},${s.low[i]},${s.open[i]},${s.volume[i]}`)}\n`,
  ],
  [
    'Binance klines without header, epoch ms',
    'hourly',
    'binance',
    (s) => `${rows(s, (i) => `${s.time[i]},${klineTail(s, i, s.time[i] + 3_599_999)}`)}\n`,
  ],
  [
    'Binance klines without header, epoch µs (spot archives since 2025)',
    'hourly',
    'binance',
    (s) => `${rows(s, (i) => `${s.time[i]}000,${klineTail(s, i, `${s.time[i] + 3_599_999}999`)}`)}\n`,
  ],
  [
    'Binance klines with header, epoch ms',
    'hourly',
    'binance',
    (s) =>
      `open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n${rows(s, (i) => `${s.time[i]},${klineTail(s, i, s.time[i] + 3_599_999)}`)}\n`,
  ],
  [
    'Binance klines without header, YYYY-MM-DD HH:MM:SS',
    'hourly',
    'binance',
    (s) => `${rows(s, (i) => `${spaced(s.time[i])},${klineTail(s, i, spaced(s.time[i] + 3_599_999))}`)}\n`,
  ],
  [
    'Kaggle Binance export: Open time,…,Ignore, .ffffff times, trailing spaces, CRLF',
    'hourly',
    'binance',
    (s) =>
      `${KAGGLE_HEADER.split(',')
        .map((h) => `${h} `)
        .join(',')}\r\n${rows(
        s,
        (i) =>
          `${spaced(s.time[i])}.000000 ,${klineTail(s, i, `${spaced(s.time[i] + 3_599_999)}.999000`)
            .split(',')
            .map((f) => `${f} `)
            .join(',')}\r`,
      )}\n`,
  ],
  [
    'Dukascopy export, dd.mm.yyyy HH:MM:SS.fff (Gmt time)',
    'fiveMinute',
    'dukascopy',
    (s) => `Gmt time,Open,High,Low,Close,Volume\n${rows(s, (i) => `${dayFirst(s.time[i])}.000,${ohlcv(s, i)}`)}\n`,
  ],
  [
    "the original project's Dukascopy file (dt, dd.mm.yyyy HH:MM:SS)",
    'fiveMinute',
    'dukascopy',
    (s) => `dt,Open,High,Low,Close,Volume\n${rows(s, (i) => `${dayFirst(s.time[i])},${ohlcv(s, i)}`)}\n`,
  ],
  [
    'Dukascopy local time with its GMT offset',
    'fiveMinute',
    'dukascopy',
    (s) =>
      `Local time,Open,High,Low,Close,Volume\n${rows(s, (i) => `${dayFirst(s.time[i] + 3 * 3_600_000)}.000 GMT+0300,${ohlcv(s, i)}`)}\n`,
  ],
];

describe.each(CASES)('%s', (name, source, format, write) => {
  it('is detected and read to the same bars as the original', async () => {
    const original = originals[source];
    const path = join(dir, `${name.replace(/\W+/g, '_')}.csv`);
    await writeFile(path, write(original));
    const { series, source: read } = await readPriceCsv(path);
    expect(read.layout).toBe(format);
    expect(series).toEqual(original);
    // Forcing the layout it was detected as gives the same.
    expect((await readPriceCsv(path, { format })).series).toEqual(original);
  });
});

describe('close-only data', () => {
  it("reads the original project's processed timestamp,price,returns,split file to the same closes", async () => {
    const s = originals.fiveMinute;
    const returns = (i: number) => (i === 0 ? 0 : s.close[i] / s.close[i - 1] - 1);
    const path = join(dir, 'processed.csv');
    await writeFile(
      path,
      `timestamp,price,returns,split\n${rows(s, (i) => `${spaced(s.time[i])},${s.close[i]},${returns(i)},${i < 0.7 * BARS ? 'train' : 'test'}`)}\n`,
    );
    const { series, source } = await readPriceCsv(path);
    expect(source.layout).toBe('close_only');
    expect(series.hasOhlc).toBe(false);
    expect(series.time).toEqual(s.time);
    expect(series.close).toEqual(s.close);
    // open = high = low = close: strategies that use high/low (donchian_breakout) see the close channel.
    expect(series.high).toEqual(s.close);
    expect(series.low).toEqual(s.close);
    expect(series.open).toEqual(s.close);
  });

  it('--format close_only reads only the closes of a full OHLCV file', async () => {
    const s = originals.hourly;
    const path = join(dir, 'full.csv');
    await writeFile(
      path,
      `timestamp,open,high,low,close,volume\n${rows(s, (i) => `${iso(s.time[i])},${ohlcv(s, i)}`)}\n`,
    );
    const { series, source } = await readPriceCsv(path, { format: 'close_only' });
    expect(source.layout).toBe('close_only');
    expect(series.high).toEqual(s.close);
    expect(series.volume).toEqual(s.volume);
  });
});

describe('forcing a layout that does not fit', () => {
  it.each([
    [
      'a headerless file as yahoo',
      '1502942400000,1,2,0.5,1.5,10\n1502946000000,1,2,0.5,1.5,10\n',
      'yahoo',
      'has no header row',
    ],
    [
      'a close-only file as generic',
      'timestamp,price\n2024-01-01,1\n2024-01-02,2\n',
      'generic',
      'the generic format needs columns open, high, low and close',
    ],
    ['a five-field row as binance', '1502942400000,1,2,0.5,1.5\n', 'binance', 'at least 6 fields'],
  ] as const)('refuses %s, naming line 1', async (name, content, format, message) => {
    const path = join(dir, `${name.replace(/\W+/g, '_')}.csv`);
    await writeFile(path, content);
    const error = await readPriceCsv(path, { format }).catch((e) => e);
    expect(error.where).toBe(`${path}:1`);
    expect(error.message).toContain(message);
  });
});
