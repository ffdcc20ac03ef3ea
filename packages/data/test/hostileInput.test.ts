// Hostile price files (issue 14, items 8, 9 and 11): numbers JavaScript reads but no price file writes, text that
// would run on the user's terminal, and files that are not files or never end.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_DROPPED, MAX_LINE_CHARS, MAX_PRICE, MAX_ROWS, MIN_PRICE, printable, readPriceCsv } from '../src';

jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overfit-hostile-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let files = 0;
const file = async (content: string | Buffer) => {
  const path = join(dir, `f${++files}.csv`);
  await writeFile(path, content);
  return path;
};
const header = 'timestamp,open,high,low,close,volume\n';
const row = (h: number, close = '100', volume = '5') =>
  `2024-01-01T${String(h).padStart(2, '0')}:00:00Z,100,101,99,${close},${volume}\n`;
const failure = async (path: string) => {
  const error = await readPriceCsv(path).catch((e: unknown) => e);
  if (!(error instanceof Error)) throw new Error(`${path} was read without an error`);
  return error as Error & { where?: string };
};

describe('prices are decimal numbers in a sane range (item 8)', () => {
  it.each([
    ['0x10', 'must be a decimal number such as 4308.83 (got "0x10")'],
    ['0b101', 'must be a decimal number'],
    ['0o17', 'must be a decimal number'],
    [' 0X1F ', 'must be a decimal number'],
    ['Infinity', 'must be a positive number (got "Infinity")'],
    ['1e308', `"1e308" is outside the accepted prices, ${MIN_PRICE} to ${MAX_PRICE}`],
    ['5e-324', 'is outside the accepted prices'],
    ['1000000001', 'is outside the accepted prices'],
    ['\u00a0100', 'must be a decimal number'],
  ])('close %j is refused at its line and column', async (close, message) => {
    const path = await file(header + row(0) + row(1, close));
    const error = await failure(path);
    expect(error.name).toBe('InputError');
    expect(error.where).toBe(`${path}:3:5`);
    expect(error.message).toContain(message);
  });

  it('a hexadecimal volume is refused too; decimal forms people write are read', async () => {
    expect((await failure(await file(header + row(0) + row(1, '100', '0x10')))).where).toMatch(/:3:6$/);
    const path = await file(
      header +
        row(0, ' 1e2 ') +
        row(1, '+100.') +
        row(2, '.5') +
        row(3, String(MAX_PRICE)) +
        row(4, String(MIN_PRICE)) +
        row(5, '100', '1E3'),
    );
    const { series } = await readPriceCsv(path);
    expect(Array.from(series.close)).toEqual([100, 100, 0.5, MAX_PRICE, MIN_PRICE, 100]);
    expect(series.volume[5]).toBe(1000);
  });

  it('--lenient drops such rows as bad prices', async () => {
    const path = await file(header + row(0) + row(1, '0x10') + row(2, '1e308') + row(3));
    const { series, report } = await readPriceCsv(path, { lenient: true });
    expect(series.close.length).toBe(2);
    expect(report.dropped.map((d) => d.kind)).toEqual(['bad_price', 'bad_price']);
  });
});

describe('echoed file content is escaped and cut (item 9)', () => {
  it('printable escapes control bytes, bidi overrides and backslashes, and cuts long text', () => {
    expect(printable('\x1b[2Jhacked\r\n\x00\x7f\u009b\u202e\\')).toBe(
      '\\x1b[2Jhacked\\x0d\\x0a\\x00\\x7f\\x9b\\u202e\\\\',
    );
    expect(printable('a'.repeat(200))).toBe(`${'a'.repeat(80)}…`);
    expect(printable('€ ok, plain text', 80)).toBe('€ ok, plain text');
    expect(printable(`${'a'.repeat(79)}😀b`)).toBe(`${'a'.repeat(79)}…`);
  });

  it.each([
    [
      'a time',
      `${header}${row(0)}\x1b[2J\x1b[31mYOUR DISK IS GONE,1,1,1,1,1\n`,
      '"\\x1b[2J\\x1b[31mYOUR DISK IS GONE" is not a timestamp',
    ],
    ['a price', header + row(0) + row(1, '\x1b]0;title\x07'), '(got "\\x1b]0;title\\x07")'],
    ['a volume', header + row(0) + row(1, '100', '\x9b2J'), '(got "\\x9b2J")'],
    ['a header', 'when\x1b[2J,close\n1,2\n', 'found: when\\x1b[2J, close'],
  ])('in %s', async (_name, content, shown) => {
    const error = await failure(await file(content));
    expect(error.message).toContain(shown);
    // eslint-disable-next-line no-control-regex
    expect(error.message).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('a field is shown with the invisible characters that make it bad (only ASCII spaces around it are cut)', async () => {
    const error = await failure(await file(header + row(0) + row(1, '100', ' 999.491\u2028')));
    expect(error.message).toContain('volume must be a decimal number ≥ 0 (got "999.491\\u2028")');
    expect((await failure(await file(header + row(0) + row(1, '\ufeff100')))).message).toContain('(got "\\ufeff100")');
  });

  it('a long field is shown cut, not whole', async () => {
    const error = await failure(await file(`${header}${row(0)}${'9'.repeat(3000)}x,1,1,1,1,1\n`));
    expect(error.message).toContain(`"${'9'.repeat(80)}…" is not a timestamp`);
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('files that are not files, lines that never end, NULs (item 11)', () => {
  it('a directory is refused by name', async () => {
    const folder = join(dir, 'a-folder.csv');
    await mkdir(folder);
    const error = await failure(folder);
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(`${folder}: is a directory, not a CSV file`);
  });

  (process.platform === 'win32' ? it.skip : it)(
    'a FIFO is refused at once instead of waiting for a writer',
    async () => {
      const fifo = join(dir, 'pipe.csv');
      execFileSync('mkfifo', [fifo]);
      const error = await failure(fifo);
      expect(error.name).toBe('InputError');
      expect(error.message).toBe(`${fifo}: is a named pipe (FIFO), not a CSV file: give a regular file`);
    },
  );

  it(`a line longer than ${MAX_LINE_CHARS} characters is refused where it starts, inside a chunk or across chunks`, async () => {
    const short = await file(`${header}${row(0)}${row(1, `100${' '.repeat(MAX_LINE_CHARS)}`)}${row(2)}`);
    expect((await failure(short)).where).toBe(`${short}:3:1`);
    // 64 MB without a newline: refused after the first read, not held whole.
    const long = join(dir, 'long.csv');
    const handle = await open(long, 'w');
    await handle.write(header + row(0));
    const block = Buffer.alloc(1 << 20, 'x');
    for (let i = 0; i < 64; i++) await handle.write(block);
    await handle.close();
    const before = process.memoryUsage().rss;
    const error = await failure(long);
    expect(error.message).toBe(`${long}:3:1: is longer than ${MAX_LINE_CHARS} characters: not a row of prices`);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20);
  });

  it(`refuses a file of more bars than it may hold (${MAX_ROWS} by default) at the first one too many`, async () => {
    const path = await file(header + Array.from({ length: 12 }, (_, h) => row(h)).join(''));
    const error = await readPriceCsv(path, { maxRows: 10 }).catch((e) => e);
    expect(error.message).toBe(
      `${path}:12:1: holds more than 10 bars, the most one file may have; resample it to a longer bar first`,
    );
    expect((await readPriceCsv(path, { maxRows: 12 })).series.time).toHaveLength(12);
  });

  it('--lenient refuses a file of bad rows instead of listing them all (at most 100,000 by default)', async () => {
    const path = await file(header + row(0) + 'x,1,1,1,1,1\n'.repeat(5) + row(1));
    const error = await readPriceCsv(path, { lenient: true, maxDropped: 3 }).catch((e) => e);
    expect(error.message).toBe(
      `${path}:6:1: makes more than 3 bad rows (this one: "x" is not a timestamp (ISO 8601, dd.mm.yyyy HH:MM:SS or epoch)); lenient reading drops a few bad rows, and this is not a price file`,
    );
    expect((await readPriceCsv(path, { lenient: true, maxDropped: 5 })).report.dropped).toHaveLength(5);
    expect(MAX_DROPPED).toBe(100_000);
  });

  it('stops at the first NUL byte and names where it is', async () => {
    // A NUL past the first 4 KB (what the binary check samples), then 3 MB more of them: the read stops at the first.
    const rows = header + row(0) + row(1) + row(2) + ' '.repeat(4000) + '\n' + row(3);
    const path = await file(Buffer.concat([Buffer.from(`${rows}2024-01-01T05:0`), Buffer.alloc(3 << 20)]));
    const error = await failure(path);
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      `${path}:7:16: has a NUL byte: not CSV text (a binary file, or one cut short by a crash)`,
    );
  });
});
