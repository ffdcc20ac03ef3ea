import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import {
  formatPriceCsv,
  formatTimestamp,
  parseTimestamp,
  readPriceCsv,
  sha256File,
  syntheticMarket,
  writePriceCsv,
} from '../src';

// No test may depend on the machine's speed: generous, explicit (jest's 5 s default fails under load).
jest.setTimeout(120_000);

const SHARED = resolve(__dirname, '../../../../shared/data');
const hasShared = existsSync(join(SHARED, 'btc_usd_1h.csv'));
const withShared = hasShared ? describe : describe.skip;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overfit-data-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const file = async (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
};

withShared('the real BTC histories in ../shared/data', () => {
  it('reads the hourly file with its published facts', async () => {
    const path = join(SHARED, 'btc_usd_1h.csv');
    const { series, source, report } = await readPriceCsv(path);
    expect(source).toEqual({
      path,
      sha256: '7724cb0760b5dfa0de9d9a0e01d8a597a143ae3091bcd6bbe9b9a8a692a60022',
      rows: 71_214,
      layout: 'generic',
    });
    expect(series.time[0]).toBe(Date.parse('2017-08-17T04:00:00Z'));
    expect([series.open[0], series.high[0], series.low[0], series.close[0], series.volume[0]]).toEqual([
      4261.48, 4313.62, 4261.32, 4308.83, 47.181009,
    ]);
    expect(report).toMatchObject({
      rows: 71_214,
      first: '2017-08-17T04:00:00.000Z',
      last: '2025-10-06T17:00:00.000Z',
      spacingSeconds: 3600,
    });
    expect(report.gaps).toMatchObject({ count: 28, missingBars: 128, largestAt: '2018-02-08T00:00:00.000Z' });
    expect(report.problems).toEqual([{ kind: 'zero_volume', count: 3, example: '2019-06-07T21:00:00.000Z: volume 0' }]); // no close moves 20 % in an hour
  });

  it('reads the daily and 5-minute files', async () => {
    const daily = await readPriceCsv(join(SHARED, 'btc_usd_1d.csv'));
    expect(daily.report).toMatchObject({ rows: 4091, spacingSeconds: 86_400, gaps: { count: 0, missingBars: 0 } });
    const fiveMinute = await readPriceCsv(join(SHARED, 'btc_usd_5m_2024.csv'));
    expect(fiveMinute.report).toMatchObject({
      rows: 28_304,
      spacingSeconds: 300,
      gaps: { count: 10, missingBars: 964 },
    });
    expect(fiveMinute.source.sha256).toBe(await sha256File(join(SHARED, 'btc_usd_5m_2024.csv')));
  });
});

describe('layouts', () => {
  it("reads the original project's close-only processed file and Dukascopy day-first times, as UTC", async () => {
    const path = await file(
      'processed.csv',
      'timestamp,price,returns,split\n01.08.2024 00:00:00,64640,0,train\n01.08.2024 00:05:00,64748,0.0017,train\n',
    );
    const { series, source } = await readPriceCsv(path);
    expect(source.layout).toBe('close_only');
    expect(series.hasOhlc).toBe(false);
    expect(Array.from(series.time)).toEqual([Date.UTC(2024, 7, 1, 0, 0), Date.UTC(2024, 7, 1, 0, 5)]);
    expect(Array.from(series.close)).toEqual([64640, 64748]);
    expect(Array.from(series.high)).toEqual([64640, 64748]);
  });

  it('accepts case, spaces, a BOM, extra columns and no volume', async () => {
    const path = await file(
      'yahoo.csv',
      '\uFEFFDate, Open,High,Low,Close,Adj Close\n2024-01-01,1,2,0.5,1.5,1.5\n2024-01-02,1.5,2,1,1.8,1.8\n',
    );
    const { series } = await readPriceCsv(path);
    expect(Array.from(series.close)).toEqual([1.5, 1.8]);
    expect(Array.from(series.volume)).toEqual([0, 0]);
  });

  it.each([
    ['2017-08-17T04:00:00Z', Date.UTC(2017, 7, 17, 4)],
    ['2017-08-17 04:00:00', Date.UTC(2017, 7, 17, 4)],
    ['2017-08-17T06:00:00+02:00', Date.UTC(2017, 7, 17, 4)],
    ['2017-08-17T04:00:00.250Z', Date.UTC(2017, 7, 17, 4, 0, 0, 250)],
    ['2017-08-17', Date.UTC(2017, 7, 17)],
    ['17.08.2017 04:00:00', Date.UTC(2017, 7, 17, 4)],
    ['1502942400', Date.UTC(2017, 7, 17, 4)],
    ['1502942400000', Date.UTC(2017, 7, 17, 4)],
    ['1502942400000000', Date.UTC(2017, 7, 17, 4)],
    ['2017-08-17 04:00:00.123456 ', Date.UTC(2017, 7, 17, 4, 0, 0, 123)],
    ['17.08.2017 07:00:00.000 GMT+0300', Date.UTC(2017, 7, 17, 4)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['1900-03-01', Date.UTC(1900, 2, 1)],
  ])('parses %s as UTC', (text, expected) => expect(parseTimestamp(text)).toBe(expected));

  it.each([
    '2024-02-30',
    '2023-02-29',
    '1900-02-29',
    '2024-13-01',
    'yesterday',
    '2024-01-01T25:00:00Z',
    '2024-01-01T10:00:00+2',
    '32.01.2024 00:00:00',
    '2024-01-01T10:00:00.',
    '',
  ])('refuses the timestamp %j', (text) => {
    expect(parseTimestamp(text)).toBeNaN();
  });
});

describe('parseTimestamp round trips (property)', () => {
  const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) });
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  it('reads back formatTimestamp, epoch ms and µs, and Dukascopy times with a GMT offset', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -12, max: 14 }), (ms, hours) => {
        expect(parseTimestamp(formatTimestamp(ms))).toBe(ms);
        // Epoch numbers: milliseconds from 1e11 (1973), seconds below that; microseconds from 1e14.
        if (ms >= 1e11) expect(parseTimestamp(String(ms))).toBe(ms);
        if (ms >= 1e11) expect(parseTimestamp(`${ms}000`)).toBe(ms);
        const seconds = Math.floor(ms / 1000);
        if (seconds >= 1e8) expect(parseTimestamp(String(seconds))).toBe(seconds * 1000);
        const local = new Date(ms + hours * 3_600_000);
        const date = `${pad(local.getUTCDate())}.${pad(local.getUTCMonth() + 1)}.${local.getUTCFullYear()}`;
        const clock = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
        const text = `${date} ${clock}.${pad(local.getUTCMilliseconds(), 3)}`;
        expect(parseTimestamp(`${text} GMT${hours < 0 ? '-' : '+'}${pad(Math.abs(hours))}00`)).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });
});

describe('line handling', () => {
  it('honours quoted fields, CRLF, blank lines and a missing final newline', async () => {
    const path = await file(
      'quoted.csv',
      '"timestamp","open","high","low","close","volume"\r\n"2024-01-01T00:00:00Z","1","2","0.5","1.5","10"\r\n\r\n   \r\n2024-01-01T01:00:00Z,1.5,2,1,"1,8",3',
    );
    const error = await readPriceCsv(path).catch((e) => e);
    // "1,8" is one field holding a decimal comma: not a number, and named at its column.
    expect(error.where).toBe(`${path}:5:5`);
    await writeFile(path, '"timestamp","close"\r\n"2024-01-01T00:00:00Z","1"\r\n\r\n   \r\n2024-01-01T01:00:00Z,"2"');
    const { series } = await readPriceCsv(path);
    expect(Array.from(series.close)).toEqual([1, 2]);
  });

  it('refuses an unclosed quote and a row of more than 64 fields, by line', async () => {
    const unclosed = await file('unclosed.csv', 'timestamp,close\n2024-01-01,"1\n2024-01-02,2\n');
    await expect(readPriceCsv(unclosed)).rejects.toThrow(
      `${unclosed}:2:12: has a quoted field that is not closed on its line`,
    );
    const wide = await file('wide.csv', `timestamp,close\n2024-01-01,1\n2024-01-02,2${',0'.repeat(70)}\n`);
    const error = await readPriceCsv(wide).catch((e) => e);
    expect(error.where).toBe(`${wide}:3:2`);
    expect(error.message).toContain('has more fields, the header has 2');
  });

  it('reads a file larger than one read chunk, with rows cut across chunks, to the same bars', async () => {
    const series = syntheticMarket({ bars: 40_000, seed: 2 });
    const path = join(dir, 'big.csv');
    await writePriceCsv(series, path);
    expect((await readPriceCsv(path)).series).toEqual(series);
  });
});

describe('fatal problems name file, line and column', () => {
  const header = 'timestamp,open,high,low,close,volume\n';
  const row = (h: number, close = '100', volume = '5') =>
    `2024-01-01T${String(h).padStart(2, '0')}:00:00Z,100,101,99,${close},${volume}\n`;
  it.each([
    ['non-numeric close', header + row(0) + row(1, 'abc'), ':3:5', 'close must be a positive number (got "abc")'],
    ['zero close', header + row(0) + row(1, '0'), ':3:5', 'close must be a positive number'],
    ['negative volume', header + row(0) + row(1, '100', '-1'), ':3:6', 'volume must be a decimal number ≥ 0'],
    ['duplicate time', header + row(0) + row(1) + row(1), ':4:1', 'is a duplicate of the previous'],
    ['out of order', header + row(0) + row(2) + row(1), ':4:1', 'is earlier than the previous'],
    ['bad time', header + row(0) + 'noon,1,1,1,1,1\n', ':3:1', '"noon" is not a timestamp'],
    ['short row', header + row(0) + '2024-01-01T01:00:00Z,1,1\n', ':3:', 'has 3 fields, the header has 6'],
    [
      'missing column',
      'timestamp,open,high,low,volume\n' + '2024-01-01T00:00:00Z,1,1,1,1\n',
      ':1',
      'needs columns timestamp,open,high,low,close',
    ],
    ['no time column', 'when,close\n1,2\n', ':1', 'no time column'],
  ])('%s', async (name, content, where, message) => {
    const path = await file(`${name.replace(/ /g, '-')}.csv`, content);
    const error = await readPriceCsv(path).catch((e) => e);
    expect(error.name).toBe('InputError');
    expect(error.where.startsWith(`${path}${where}`)).toBe(true);
    expect(error.message).toContain(message);
  });

  it.each([
    ['empty', '', 'is empty'],
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]), 'is a binary file'],
    ['one row', 'timestamp,close\n2024-01-01,5\n', 'has 1 valid rows; at least 2'],
  ])('%s file', async (name, content, message) => {
    const path = await file(`${name}.csv`, content);
    await expect(readPriceCsv(path)).rejects.toThrow(message);
  });

  it('a missing file', async () => {
    await expect(readPriceCsv(join(dir, 'nowhere.csv'))).rejects.toThrow(`${join(dir, 'nowhere.csv')}: no such file`);
  });

  it('--lenient drops bad rows and lists them, each with its kind', async () => {
    const rows =
      header +
      row(0) +
      row(1, 'abc') +
      row(2) +
      row(2) +
      row(1) +
      'noon,1,1,1,1,1\n' +
      '2024-01-01T03:00:00Z,1,1\n' +
      row(3, '100', '-2') +
      row(4);
    const path = await file('lenient.csv', rows);
    const { series, report } = await readPriceCsv(path, { lenient: true });
    expect(Array.from(series.time, (t) => new Date(t).getUTCHours())).toEqual([0, 2, 4]);
    expect(report.dropped.map((d) => [d.line, d.kind])).toEqual([
      [3, 'bad_price'],
      [5, 'duplicate_time'],
      [6, 'out_of_order'],
      [7, 'bad_time'],
      [8, 'field_count'],
      [9, 'bad_volume'],
    ]);
    expect(report.dropped.slice(0, 2)).toEqual([
      { line: 3, kind: 'bad_price', reason: 'column 5: close must be a positive number (got "abc")' },
      {
        line: 5,
        kind: 'duplicate_time',
        reason: expect.stringContaining('column 1: 2024-01-01T02:00:00Z is a duplicate'),
      },
    ]);
  });
});

describe('reported, not fatal', () => {
  it('flags OHLC inconsistencies, zero volume and extreme moves', async () => {
    const path = await file(
      'odd.csv',
      'timestamp,open,high,low,close,volume\n2024-01-01,10,9,8,10,0\n2024-01-02,10,13,9,13,1\n2024-01-03,13,13,13,13,1\n2024-01-05,13,13,13,13,1\n',
    );
    const { report } = await readPriceCsv(path);
    expect(report.problems).toEqual([
      { kind: 'ohlc_inconsistent', count: 1, example: '2024-01-01T00:00:00.000Z: open 10 high 9 low 8 close 10' },
      { kind: 'zero_volume', count: 1, example: '2024-01-01T00:00:00.000Z: volume 0' },
      { kind: 'extreme_move', count: 1, example: '2024-01-02T00:00:00.000Z: close moved 30.0 %' },
    ]);
    expect(report.gaps).toEqual({
      count: 1,
      missingBars: 1,
      largestSeconds: 172_800,
      largestAt: '2024-01-03T00:00:00.000Z',
    });
  });
});

describe('writePriceCsv', () => {
  it('round-trips exactly', async () => {
    const price = fc.double({ min: 1e-6, max: 1e7, noNaN: true });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(price, price, price, price, fc.double({ min: 0, max: 1e9, noNaN: true })), {
          minLength: 2,
          maxLength: 40,
        }),
        async (rows) => {
          const series = {
            time: Float64Array.from(rows, (_, i) => Date.UTC(2024, 0, 1) + i * 60_000),
            open: Float64Array.from(rows, (r) => r[0]),
            high: Float64Array.from(rows, (r) => r[1]),
            low: Float64Array.from(rows, (r) => r[2]),
            close: Float64Array.from(rows, (r) => r[3]),
            volume: Float64Array.from(rows, (r) => r[4]),
            hasOhlc: true,
          };
          const path = join(dir, 'roundtrip.csv');
          await writePriceCsv(series, path);
          const { series: back } = await readPriceCsv(path);
          expect(back).toEqual(series);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('writes the generic layout', () => {
    const csv = formatPriceCsv({
      time: Float64Array.of(0, 3_600_000),
      open: Float64Array.of(1, 2),
      high: Float64Array.of(2, 3),
      low: Float64Array.of(0.5, 1),
      close: Float64Array.of(2, 2.5),
      volume: Float64Array.of(0, 7),
      hasOhlc: true,
    });
    expect(csv).toBe(
      'timestamp,open,high,low,close,volume\n1970-01-01T00:00:00Z,1,2,0.5,2,0\n1970-01-01T01:00:00Z,2,3,1,2.5,7\n',
    );
  });
});
