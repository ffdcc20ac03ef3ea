import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parseDataRef, type PriceSeries } from '@overfit/core';
import { describeDataRef, loadPrices, readPriceCsv, resamplePrices, syntheticMarket } from '../src';

const SHARED = resolve(__dirname, '../../../../shared/data');
const withShared =
  existsSync(join(SHARED, 'btc_usd_5m_2024.csv')) && existsSync(join(SHARED, 'btc_usd_1h.csv'))
    ? describe
    : describe.skip;

const series = (rows: [string, number, number, number, number, number][], hasOhlc = true): PriceSeries => ({
  time: Float64Array.from(rows, (r) => Date.parse(r[0])),
  open: Float64Array.from(rows, (r) => r[1]),
  high: Float64Array.from(rows, (r) => r[2]),
  low: Float64Array.from(rows, (r) => r[3]),
  close: Float64Array.from(rows, (r) => r[4]),
  volume: Float64Array.from(rows, (r) => r[5]),
  hasOhlc,
});

describe('resamplePrices', () => {
  it('aggregates 30-minute bars to hours by hand: first open, max high, min low, last close, summed volume', () => {
    const hourly = resamplePrices(
      series([
        ['2024-01-01T00:00:00Z', 10, 12, 9, 11, 1],
        ['2024-01-01T00:30:00Z', 11, 15, 10, 14, 2],
        ['2024-01-01T01:00:00Z', 14, 14, 7, 8, 3],
        // 01:30 is missing: the 01:00 bar is built from the one source bar present.
        ['2024-01-01T02:30:00Z', 8, 9, 8, 9, 4],
      ]),
      3600,
    );
    expect(Array.from(hourly.time, (t) => new Date(t).toISOString())).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2024-01-01T01:00:00.000Z',
      '2024-01-01T02:00:00.000Z',
    ]);
    expect(Array.from(hourly.open)).toEqual([10, 14, 8]);
    expect(Array.from(hourly.high)).toEqual([15, 14, 9]);
    expect(Array.from(hourly.low)).toEqual([9, 7, 8]);
    expect(Array.from(hourly.close)).toEqual([14, 8, 9]);
    expect(Array.from(hourly.volume)).toEqual([3, 3, 4]);
  });

  it('aligns daily bars to 00:00 UTC, not to the first bar', () => {
    const daily = resamplePrices(
      series([
        ['2024-01-01T22:00:00Z', 1, 1, 1, 1, 1],
        ['2024-01-01T23:00:00Z', 2, 2, 2, 2, 1],
        ['2024-01-02T00:00:00Z', 3, 3, 3, 3, 1],
      ]),
      86_400,
    );
    expect(Array.from(daily.time)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)]);
    expect(Array.from(daily.close)).toEqual([2, 3]);
  });

  it('keeps close-only data close-only', () => {
    const hourly = resamplePrices(
      series(
        [
          ['2024-01-01T00:00:00Z', 5, 5, 5, 5, 0],
          ['2024-01-01T00:30:00Z', 7, 7, 7, 7, 0],
        ],
        false,
      ),
      3600,
    );
    expect(hourly).toEqual({
      time: Float64Array.of(Date.UTC(2024, 0, 1)),
      open: Float64Array.of(7),
      high: Float64Array.of(7),
      low: Float64Array.of(7),
      close: Float64Array.of(7),
      volume: Float64Array.of(0),
      hasOhlc: false,
    });
  });

  it.each([
    [60, 'finer than'],
    [5400, 'not a whole number'],
    [7 * 3600, 'neither divides'],
  ])('refuses %s s on hourly bars', (seconds, message) => {
    expect(() => resamplePrices(syntheticMarket({ bars: 10, seed: 1 }), seconds, '--resample')).toThrow(message);
  });

  it('5m → 1h → 1d equals 5m → 1d, and resampling to the same bar changes nothing (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 3000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 287 }),
        (bars, seed, offset) => {
          const fine = syntheticMarket({
            bars,
            seed,
            intervalMs: 300_000,
            start: Date.UTC(2024, 0, 1) + offset * 300_000,
          });
          const { volume: twoStepVolume, ...twoStep } = resamplePrices(resamplePrices(fine, 3600), 86_400);
          const { volume: oneStepVolume, ...oneStep } = resamplePrices(fine, 86_400);
          expect(twoStep).toEqual(oneStep);
          // Volumes are sums in a different order: equal up to floating-point rounding.
          twoStepVolume.forEach((v, i) => {
            expect(v).toBeCloseTo(oneStepVolume[i], 6);
          });
          expect(resamplePrices(fine, 300)).toEqual(fine);
        },
      ),
      { numRuns: 20 },
    );
  });
});

withShared('the real 5-minute file resampled against the real hourly file', () => {
  it('gives hourly bars within a few basis points of Binance where they overlap (Dukascopy bid vs Binance trades)', async () => {
    const fiveMinute = await readPriceCsv(join(SHARED, 'btc_usd_5m_2024.csv'));
    const hourly = await readPriceCsv(join(SHARED, 'btc_usd_1h.csv'));
    const resampled = resamplePrices(fiveMinute.series, 3600);
    const index = new Map(Array.from(hourly.series.time, (t, i) => [t, i]));
    const diffs: Record<'open' | 'high' | 'low' | 'close', number[]> = { open: [], high: [], low: [], close: [] };
    for (let i = 0; i < resampled.time.length; i++) {
      const j = index.get(resampled.time[i]);
      if (j === undefined) continue;
      for (const k of ['open', 'high', 'low', 'close'] as const)
        diffs[k].push(Math.abs(resampled[k][i] / hourly.series[k][j] - 1));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    // 28,304 five-minute bars in 10 gaps make 2,400-odd hours, nearly all also in the Binance file.
    expect(diffs.close.length).toBeGreaterThan(2300);
    // The data README measured a 0.055 % median close difference at offset 0 (≥ 0.235 % at ±1 h): two venues,
    // bid quotes vs trades. An hour misaligned by the resampler would land near the latter.
    for (const k of ['open', 'high', 'low', 'close'] as const) expect(median(diffs[k])).toBeLessThan(0.001);
  });
});

describe('a run data reference with format, lenient and resample', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'overfit-ref-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('survives JSON, loads resampled and lenient, and says so in its description', async () => {
    const path = join(dir, 'five.csv');
    const rows = Array.from(
      { length: 24 },
      (_, i) =>
        `${new Date(Date.UTC(2024, 0, 1) + i * 300_000).toISOString()},${100 + i},${101 + i},${99 + i},${100.5 + i},1`,
    );
    rows.splice(5, 0, 'garbage,1,1,1,1,1');
    await writeFile(path, `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`);
    const ref = parseDataRef(
      JSON.parse(JSON.stringify({ kind: 'file', path, format: 'generic', lenient: true, resampleSeconds: 3600 })),
    );
    const loaded = await loadPrices(ref);
    expect(Array.from(loaded.series.close)).toEqual([111.5, 123.5]);
    expect(Array.from(loaded.series.volume)).toEqual([12, 12]);
    expect(loaded.report).toMatchObject({
      rows: 2,
      spacingSeconds: 3600,
      dropped: [{ line: 7, reason: expect.stringContaining('"garbage" is not a timestamp') }],
    });
    expect(loaded.source.rows).toBe(24);
    expect(describeDataRef(ref)).toBe(`${path} (format generic, lenient, resampled to 1h)`);
    await expect(loadPrices({ kind: 'file', path })).rejects.toThrow(`${path}:7:1`);
  });

  it.each([
    [{ format: 'excel' }, 'data.format: must be one of generic'],
    [{ lenient: 'yes' }, 'data.lenient: must be true or false'],
    [{ resampleSeconds: 0.5 }, 'data.resampleSeconds: must be an integer'],
  ])('refuses %j', (extra, message) => {
    expect(() => parseDataRef({ kind: 'file', path: 'x.csv', ...extra })).toThrow(message);
  });
});
