// Read a price CSV into typed columns, streaming, with every fatal problem reported as file:line:column.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { InputError, type PriceSeries } from '@overfit/core';
import { inspectPrices, type DataReport } from './inspect';
import { parseTimestamp } from './timestamps';

export interface LoadedPrices {
  series: PriceSeries;
  source: { path: string; sha256: string; rows: number; layout: 'ohlcv' | 'close_only' };
  report: DataReport;
}

const TIME_NAMES = ['timestamp', 'time', 'date', 'datetime', 'open time', 'open_time'];

interface Layout {
  layout: 'ohlcv' | 'close_only';
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number; // −1: no volume column
}

function detectLayout(header: string[], file: string): Layout {
  const names = header.map((h) => h.trim().toLowerCase());
  const find = (...candidates: string[]) => names.findIndex((n) => candidates.includes(n));
  const time = find(...TIME_NAMES);
  const [open, high, low, close, volume] = ['open', 'high', 'low', 'close', 'volume'].map((c) => find(c));
  const found = `found: ${header.map((h) => h.trim()).join(', ')}`;
  if (time < 0) throw new InputError(`no time column (one of ${TIME_NAMES.join(', ')}); ${found}`, `${file}:1`);
  if (open >= 0 && high >= 0 && low >= 0 && close >= 0) return { layout: 'ohlcv', time, open, high, low, close, volume };
  const price = close >= 0 ? close : find('price');
  if (price >= 0 && open < 0 && high < 0 && low < 0) return { layout: 'close_only', time, open: price, high: price, low: price, close: price, volume };
  throw new InputError(`needs columns timestamp,open,high,low,close[,volume] or timestamp,close; ${found}`, `${file}:1`);
}

/** Refuse what is not text before the CSV parser turns it into confusing column errors. */
async function assertTextFile(path: string, file: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`, file);
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new InputError('is empty', file);
    const head = Buffer.alloc(Math.min(size, 4096));
    await handle.read(head, 0, head.length, 0);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
    // A cut multi-byte character at the end of the sample is fine; anything else that is not UTF-8 is binary.
    if (head.includes(0) || text.slice(0, -1).includes('\uFFFD')) throw new InputError('is a binary file, not CSV text', file);
  } finally {
    await handle.close();
  }
}

/** Typed columns that grow by doubling while streaming, trimmed at the end. */
class ColumnBuilder {
  length = 0;
  columns = Array.from({ length: 6 }, () => new Float64Array(4096));
  push(values: number[]): void {
    if (this.length === this.columns[0].length) {
      this.columns = this.columns.map((c) => {
        const grown = new Float64Array(c.length * 2);
        grown.set(c);
        return grown;
      });
    }
    for (let i = 0; i < 6; i++) this.columns[i][this.length] = values[i];
    this.length++;
  }
  finish(): Float64Array[] {
    return this.columns.map((c) => c.slice(0, this.length));
  }
}

export async function readPriceCsv(path: string, options: { lenient?: boolean } = {}): Promise<LoadedPrices> {
  const file = path; // errors name the path as the user gave it
  await assertTextFile(path, file);
  const dropped: DataReport['dropped'] = [];
  const builder = new ColumnBuilder();
  const hash = createHash('sha256');
  const input = createReadStream(path);
  input.on('data', (chunk) => hash.update(chunk));
  const parser = input.pipe(parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: true }));

  let layout: Layout | undefined;
  let width = 0;
  let previous = Number.NEGATIVE_INFINITY;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!layout) {
        layout = detectLayout(record, file);
        width = record.length;
        continue;
      }
      const fail = (column: number, message: string): void => {
        if (!options.lenient) throw new InputError(message, `${file}:${line}:${column + 1}`);
        dropped.push({ line, reason: `column ${column + 1}: ${message}` });
      };
      if (record.length !== width) {
        fail(Math.min(record.length, width) - 1, `has ${record.length} fields, the header has ${width}`);
        continue;
      }
      const time = parseTimestamp(record[layout.time]);
      if (Number.isNaN(time)) {
        fail(layout.time, `"${record[layout.time]}" is not a timestamp (ISO 8601, dd.mm.yyyy HH:MM:SS or epoch)`);
        continue;
      }
      if (time <= previous) {
        fail(layout.time, `${record[layout.time].trim()} is ${time === previous ? 'a duplicate of' : 'earlier than'} the previous row's timestamp (rows must be sorted, oldest first, one per time)`);
        continue;
      }
      const values = [time, 0, 0, 0, 0, 0];
      let bad = false;
      const fields: [number, string][] = [[layout.open, 'open'], [layout.high, 'high'], [layout.low, 'low'], [layout.close, 'close']];
      for (let k = 0; k < 4 && !bad; k++) {
        const [column, name] = fields[k];
        const raw = record[column].trim();
        const value = raw === '' ? Number.NaN : Number(raw);
        if (!(value > 0) || !Number.isFinite(value)) {
          fail(column, `${name} must be a positive number (got "${raw}")`);
          bad = true;
        }
        values[k + 1] = value;
      }
      if (layout.volume >= 0 && !bad) {
        const raw = record[layout.volume].trim();
        const value = raw === '' ? 0 : Number(raw);
        if (!(value >= 0) || !Number.isFinite(value)) {
          fail(layout.volume, `volume must be a number ≥ 0 (got "${raw}")`);
          bad = true;
        }
        values[5] = value;
      }
      if (bad) continue;
      previous = time;
      builder.push(values);
    }
  } catch (error) {
    input.destroy();
    if (error instanceof InputError) throw error;
    const e = error as { message: string; lines?: number };
    throw new InputError(`is not valid CSV: ${e.message}`, e.lines ? `${file}:${e.lines}` : file);
  }
  if (!layout) throw new InputError('has no header row', file);
  if (builder.length < 2) throw new InputError(`has ${builder.length} valid rows; at least 2 are needed`, file);

  const [time, open, high, low, close, volume] = builder.finish();
  const series: PriceSeries = { time, open, high, low, close, volume, hasOhlc: layout.layout === 'ohlcv' };
  return {
    series,
    source: { path, sha256: hash.digest('hex'), rows: builder.length, layout: layout.layout },
    report: inspectPrices(series, dropped),
  };
}
