// Read a price CSV into typed columns, streaming, with every fatal problem reported as file:line:column.
// The line splitter is our own: price files are plain numbers, and a general CSV parser spent most of the time
// budget of a million-row file on quoting rules they never use. Quoted fields are still honoured.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError, type PriceFormat, type PriceSeries } from '@overfit/core';
import { inspectPrices, type DataReport, type DroppedRow } from './inspect';
import { detectLayout, type Layout } from './layouts';
import { parseTimestamp } from './timestamps';

export interface LoadedPrices {
  series: PriceSeries;
  source: { path: string; sha256: string; rows: number; layout: PriceFormat };
  report: DataReport;
}

export interface ReadOptions {
  /** Drop bad rows (listed in report.dropped) instead of stopping at the first. */
  lenient?: boolean;
  /** Force a layout instead of detecting it from the first row. */
  format?: PriceFormat;
}

/** Refuse what is not text before it turns into confusing column errors. */
async function assertTextFile(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`, path);
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new InputError('is empty', path);
    const head = Buffer.alloc(Math.min(size, 4096));
    await handle.read(head, 0, head.length, 0);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
    // A cut multi-byte character at the end of the sample is fine; anything else that is not UTF-8 is binary.
    if (head.includes(0) || text.slice(0, -1).includes('\uFFFD')) throw new InputError('is a binary file, not CSV text', path);
  } finally {
    await handle.close();
  }
}

/** Fields of one CSV line: a plain split without quotes, RFC 4180 quoting otherwise; null for an unclosed quote. */
function splitCsvLine(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (line[i + 1] === '"') field += line[++i];
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

/** Typed columns that grow by doubling while streaming, trimmed at the end. */
class ColumnBuilder {
  length = 0;
  columns = Array.from({ length: 6 }, () => new Float64Array(4096));
  push(time: number, open: number, high: number, low: number, close: number, volume: number): void {
    if (this.length === this.columns[0].length) {
      this.columns = this.columns.map((c) => {
        const grown = new Float64Array(c.length * 2);
        grown.set(c);
        return grown;
      });
    }
    const [t, o, h, l, c, v] = this.columns;
    const i = this.length++;
    t[i] = time;
    o[i] = open;
    h[i] = high;
    l[i] = low;
    c[i] = close;
    v[i] = volume;
  }
  finish(): Float64Array[] {
    return this.columns.map((c) => c.slice(0, this.length));
  }
}

/** Rows with more fields are refused (a Binance kline row has 12). */
const MAX_FIELDS = 64;

/** A positive finite price, or NaN. Number() accepts surrounding spaces (Kaggle's exports have them). */
function price(raw: string): number {
  const value = Number(raw);
  return value > 0 && value < Number.POSITIVE_INFINITY ? value : Number.NaN;
}

export async function readPriceCsv(path: string, options: ReadOptions = {}): Promise<LoadedPrices> {
  await assertTextFile(path);
  const dropped: DataReport['dropped'] = [];
  const builder = new ColumnBuilder();
  let layout: Layout | undefined;
  let headerRowsLeft = 0;
  let previous = Number.NEGATIVE_INFINITY;
  let line = 0;

  const fail = (kind: DroppedRow['kind'], column: number, message: string): void => {
    if (!options.lenient) throw new InputError(message, `${path}:${line}:${column + 1}`);
    dropped.push({ line, kind, reason: `column ${column + 1}: ${message}` });
  };

  // The current row: its fields are found by indexOf on the chunk's text, and only the ones used are cut out
  // (field k is text.slice(starts[k], starts[k + 1] − 1)), no array per row. A chunk holding a quote goes the slow
  // way, through splitCsvLine.
  const starts = new Int32Array(MAX_FIELDS + 2);
  let text = '';
  let quoted: string[] | null = null;
  const field = (k: number): string => (quoted ? quoted[k] : text.slice(starts[k], starts[k + 1] - 1));

  const readRow = (chunkText: string, start: number, end: number, hasQuotes: boolean): void => {
    if (line === 1 && chunkText.charCodeAt(start) === 0xfeff) start++;
    if (start === end || (chunkText.charCodeAt(start) <= 32 && chunkText.slice(start, end).trim() === '')) return;
    let count: number;
    if (hasQuotes || !layout) {
      quoted = splitCsvLine(chunkText.slice(start, end));
      if (!quoted) throw new InputError('has a quoted field that is not closed on its line', `${path}:${line}`);
      count = quoted.length;
    } else {
      quoted = null;
      text = chunkText;
      count = 1;
      starts[0] = start;
      for (let comma = chunkText.indexOf(',', start); comma !== -1 && comma < end && count <= MAX_FIELDS; comma = chunkText.indexOf(',', comma + 1)) starts[count++] = comma + 1;
      starts[count] = end + 1;
    }
    if (!layout) {
      layout = detectLayout(quoted!, path, options.format);
      if (layout.width > MAX_FIELDS) throw new InputError(`has ${layout.width} columns; at most ${MAX_FIELDS} are read`, `${path}:${line}`);
      headerRowsLeft = layout.extraHeaderRows;
      if (layout.header) return;
    }
    if (headerRowsLeft > 0) {
      headerRowsLeft--;
      return;
    }
    const L = layout;
    if (count !== L.width) return fail('field_count', Math.min(count, L.width) - 1, `has ${count > MAX_FIELDS ? 'more' : count} fields, the ${L.header ? 'header' : 'first row'} has ${L.width}`);
    const rawTime = field(L.time);
    const time = parseTimestamp(rawTime);
    if (Number.isNaN(time)) return fail('bad_time', L.time, `"${rawTime.trim()}" is not a timestamp (ISO 8601, dd.mm.yyyy HH:MM:SS or epoch)`);
    if (time <= previous) {
      return fail(time === previous ? 'duplicate_time' : 'out_of_order', L.time, `${rawTime.trim()} is ${time === previous ? 'a duplicate of' : 'earlier than'} the previous row's timestamp (rows must be sorted, oldest first, one per time)`);
    }
    const close = price(field(L.close));
    const open = L.hasOhlc ? price(field(L.open)) : close;
    const high = L.hasOhlc ? price(field(L.high)) : close;
    const low = L.hasOhlc ? price(field(L.low)) : close;
    if (Number.isNaN(open + high + low + close)) {
      for (const [column, name] of [[L.open, 'open'], [L.high, 'high'], [L.low, 'low'], [L.close, 'close']] as const) {
        if (Number.isNaN(price(field(column)))) return fail('bad_price', column, `${name} must be a positive number (got "${field(column).trim()}")`);
      }
    }
    let volume = 0;
    if (L.volume >= 0) {
      const raw = field(L.volume);
      volume = raw.trim() === '' ? 0 : Number(raw);
      if (!(volume >= 0 && volume < Number.POSITIVE_INFINITY)) return fail('bad_volume', L.volume, `volume must be a number ≥ 0 (got "${raw.trim()}")`);
    }
    previous = time;
    builder.push(time, open, high, low, close, volume);
  };

  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8');
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  let rest = '';
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      hash.update(chunk);
      const chunkText = rest + decoder.decode(chunk, { stream: true });
      const hasQuotes = chunkText.includes('"');
      let start = 0;
      for (let end = chunkText.indexOf('\n'); end >= 0; end = chunkText.indexOf('\n', start)) {
        line++;
        readRow(chunkText, start, end > start && chunkText.charCodeAt(end - 1) === 13 ? end - 1 : end, hasQuotes);
        start = end + 1;
      }
      rest = chunkText.slice(start);
    }
    rest += decoder.decode();
    if (rest.length > 0) {
      line++;
      readRow(rest, 0, rest.endsWith('\r') ? rest.length - 1 : rest.length, rest.includes('"'));
    }
  } finally {
    input.destroy();
  }
  if (!layout) throw new InputError('has no header row', path);
  if (builder.length < 2) throw new InputError(`has ${builder.length} valid rows; at least 2 are needed`, path);

  const [time, open, high, low, close, volume] = builder.finish();
  const series: PriceSeries = { time, open, high, low, close, volume, hasOhlc: layout.hasOhlc };
  return {
    series,
    source: { path, sha256: hash.digest('hex'), rows: builder.length, layout: layout.format },
    report: inspectPrices(series, dropped),
  };
}
