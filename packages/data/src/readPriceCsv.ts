// Read a price CSV into typed columns, streaming, with every fatal problem reported as file:line:column.
// The line splitter is our own: price files are plain numbers, and a general CSV parser spent most of the time
// budget of a million-row file on quoting rules they never use. Quoted fields are still honoured.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError, type PriceFormat, type PriceSeries } from '@overfit/core';
import { inspectPrices, type DataReport } from './inspect';
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
export function splitCsvLine(line: string): string[] | null {
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
  let previous = Number.NEGATIVE_INFINITY;
  let line = 0;

  const fail = (column: number, message: string): void => {
    if (!options.lenient) throw new InputError(message, `${path}:${line}:${column + 1}`);
    dropped.push({ line, reason: `column ${column + 1}: ${message}` });
  };

  const readRow = (text: string): void => {
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0 || text.trim() === '') return;
    const fields = splitCsvLine(text);
    if (!fields) throw new InputError('has a quoted field that is not closed on its line', `${path}:${line}`);
    if (!layout) {
      layout = detectLayout(fields, path, options.format);
      if (layout.header) return;
    }
    const L = layout;
    if (fields.length !== L.width) return fail(Math.min(fields.length, L.width) - 1, `has ${fields.length} fields, the ${L.header ? 'header' : 'first row'} has ${L.width}`);
    const rawTime = fields[L.time];
    const time = parseTimestamp(rawTime);
    if (Number.isNaN(time)) return fail(L.time, `"${rawTime.trim()}" is not a timestamp (ISO 8601, dd.mm.yyyy HH:MM:SS or epoch)`);
    if (time <= previous) {
      return fail(L.time, `${rawTime.trim()} is ${time === previous ? 'a duplicate of' : 'earlier than'} the previous row's timestamp (rows must be sorted, oldest first, one per time)`);
    }
    const close = price(fields[L.close]);
    const open = L.hasOhlc ? price(fields[L.open]) : close;
    const high = L.hasOhlc ? price(fields[L.high]) : close;
    const low = L.hasOhlc ? price(fields[L.low]) : close;
    if (Number.isNaN(open + high + low + close)) {
      for (const [column, name] of [[L.open, 'open'], [L.high, 'high'], [L.low, 'low'], [L.close, 'close']] as const) {
        if (Number.isNaN(price(fields[column]))) return fail(column, `${name} must be a positive number (got "${fields[column].trim()}")`);
      }
    }
    let volume = 0;
    if (L.volume >= 0) {
      const raw = fields[L.volume];
      volume = raw.trim() === '' ? 0 : Number(raw);
      if (!(volume >= 0 && volume < Number.POSITIVE_INFINITY)) return fail(L.volume, `volume must be a number ≥ 0 (got "${raw.trim()}")`);
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
      const text = rest + decoder.decode(chunk, { stream: true });
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        line++;
        readRow(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
        start = end + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.decode();
    if (rest.length > 0) {
      line++;
      readRow(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
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
