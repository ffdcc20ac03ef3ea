// Read a price CSV into typed columns, streaming, with every fatal problem reported as file:line:column.
// The line splitter is our own: price files are plain numbers, and a general CSV parser spent most of the time
// budget of a million-row file on quoting rules they never use. Quoted fields are still honoured.
// Opening the file is in csvFile.ts, the quoted-line tokenizer in csvLine.ts, the field checks in priceFields.ts.
import { createHash } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { InputError, type PriceFormat, type PriceSeries } from '@overfit/core';
import { assertTextFile, openRegularFile } from './csvFile';
import { MAX_FIELDS, MAX_LINE_CHARS, splitCsvLine } from './csvLine';
import { inspectPrices, type DataReport, type DroppedRow } from './inspect';
import { detectLayout, type Layout } from './layouts';
import { cell, isDecimal, price, priceProblem } from './priceFields';
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
  /** The most bars read before the file is refused (default and ceiling MAX_ROWS). */
  maxRows?: number;
  /** The most rows `lenient` drops before the file is refused (default and ceiling MAX_DROPPED). */
  maxDropped?: number;
}

/** Bars one file may hold (480 MB of columns): more is refused, not read until memory runs out. Resample first. */
export const MAX_ROWS = 10_000_000;
/** Rows --lenient may drop (each is kept with its reason, ~300 bytes): a file of bad rows is refused, not listed. */
export const MAX_DROPPED = 100_000;

/** Typed columns that grow by doubling while streaming (never past MAX_ROWS), trimmed at the end. */
class ColumnBuilder {
  length = 0;
  columns = Array.from({ length: 6 }, () => new Float64Array(4096));
  push(time: number, open: number, high: number, low: number, close: number, volume: number): void {
    if (this.length === this.columns[0].length) {
      this.columns = this.columns.map((c) => {
        const grown = new Float64Array(Math.min(c.length * 2, MAX_ROWS));
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
    return this.columns.map((c) => (c.length === this.length ? c : c.slice(0, this.length)));
  }
}

export async function readPriceCsv(path: string, options: ReadOptions = {}): Promise<LoadedPrices> {
  const maxRows = Math.min(options.maxRows ?? MAX_ROWS, MAX_ROWS);
  const { handle, size } = await openRegularFile(path);
  const dropped: DataReport['dropped'] = [];
  const builder = new ColumnBuilder();
  let layout: Layout | undefined;
  let headerRowsLeft = 0;
  let previous = Number.NEGATIVE_INFINITY;
  let line = 0;

  const maxDropped = Math.min(options.maxDropped ?? MAX_DROPPED, MAX_DROPPED);
  const fail = (kind: DroppedRow['kind'], column: number, message: string): void => {
    if (!options.lenient) throw new InputError(message, `${path}:${line}:${column + 1}`);
    if (dropped.length === maxDropped)
      throw new InputError(
        `makes more than ${maxDropped} bad rows (this one: ${message}); lenient reading drops a few bad rows, and this is not a price file`,
        `${path}:${line}:${column + 1}`,
      );
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
    if (end - start > MAX_LINE_CHARS)
      throw new InputError(`is longer than ${MAX_LINE_CHARS} characters: not a row of prices`, `${path}:${line}:1`);
    if (start === end || (chunkText.charCodeAt(start) <= 32 && chunkText.slice(start, end).trim() === '')) return;
    let count: number;
    if (hasQuotes || !layout) {
      const row = chunkText.slice(start, end);
      quoted = splitCsvLine(row);
      if (!quoted)
        throw new InputError(
          'has a quoted field that is not closed on its line',
          `${path}:${line}:${row.lastIndexOf('"') + 1}`,
        );
      count = quoted.length;
    } else {
      quoted = null;
      text = chunkText;
      count = 1;
      starts[0] = start;
      for (
        let comma = chunkText.indexOf(',', start);
        comma !== -1 && comma < end && count <= MAX_FIELDS;
        comma = chunkText.indexOf(',', comma + 1)
      )
        starts[count++] = comma + 1;
      starts[count] = end + 1;
    }
    if (!layout) {
      layout = detectLayout(quoted!, `${path}:${line}`, options.format);
      if (layout.width > MAX_FIELDS)
        throw new InputError(`has ${layout.width} columns; at most ${MAX_FIELDS} are read`, `${path}:${line}:1`);
      headerRowsLeft = layout.extraHeaderRows;
      if (layout.header) return;
    }
    if (headerRowsLeft > 0) {
      headerRowsLeft--;
      return;
    }
    const L = layout;
    if (count !== L.width)
      return fail(
        'field_count',
        Math.min(count, L.width) - 1,
        `has ${count > MAX_FIELDS ? 'more' : count} field${count === 1 ? '' : 's'}, the ${L.header ? 'header' : 'first row'} has ${L.width}`,
      );
    const rawTime = field(L.time);
    const time = parseTimestamp(rawTime);
    if (Number.isNaN(time))
      return fail('bad_time', L.time, `"${cell(rawTime)}" is not a timestamp (ISO 8601, dd.mm.yyyy HH:MM:SS or epoch)`);
    if (time <= previous) {
      return fail(
        time === previous ? 'duplicate_time' : 'out_of_order',
        L.time,
        `${cell(rawTime)} is ${time === previous ? 'a duplicate of' : 'earlier than'} the previous row's timestamp (rows must be sorted, oldest first, one per time)`,
      );
    }
    const close = price(field(L.close));
    const open = L.hasOhlc ? price(field(L.open)) : close;
    const high = L.hasOhlc ? price(field(L.high)) : close;
    const low = L.hasOhlc ? price(field(L.low)) : close;
    if (Number.isNaN(open + high + low + close)) {
      const columns = L.hasOhlc
        ? ([
            [L.open, 'open'],
            [L.high, 'high'],
            [L.low, 'low'],
            [L.close, 'close'],
          ] as const)
        : ([[L.close, 'close']] as const);
      for (const [column, name] of columns) {
        if (Number.isNaN(price(field(column)))) return fail('bad_price', column, priceProblem(name, field(column)));
      }
    }
    let volume = 0;
    if (L.volume >= 0) {
      const raw = field(L.volume);
      volume = raw.trim() === '' ? 0 : Number(raw);
      if (!(volume >= 0 && volume < Number.POSITIVE_INFINITY) || !isDecimal(raw))
        return fail('bad_volume', L.volume, `volume must be a decimal number ≥ 0 (got "${cell(raw)}")`);
    }
    if (builder.length === maxRows)
      throw new InputError(
        `holds more than ${maxRows} bars, the most one file may have; resample it to a longer bar first`,
        `${path}:${line}:1`,
      );
    previous = time;
    builder.push(time, open, high, low, close, volume);
  };

  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8');
  let input: ReadStream | undefined;
  let rest = '';
  try {
    await assertTextFile(path, handle, size);
    input = handle.createReadStream({ highWaterMark: 1 << 20, start: 0, autoClose: false });
    for await (const chunk of input as AsyncIterable<Buffer>) {
      hash.update(chunk);
      // A NUL is never in a text file; after one (a file cut by a crash, a disk image) nothing is worth reading.
      const nul = chunk.indexOf(0);
      const chunkText = rest + decoder.decode(nul < 0 ? chunk : chunk.subarray(0, nul), { stream: nul < 0 });
      const hasQuotes = chunkText.includes('"');
      let start = 0;
      for (let end = chunkText.indexOf('\n'); end >= 0; end = chunkText.indexOf('\n', start)) {
        line++;
        readRow(chunkText, start, end > start && chunkText.charCodeAt(end - 1) === 13 ? end - 1 : end, hasQuotes);
        start = end + 1;
      }
      rest = chunkText.slice(start);
      if (nul >= 0)
        throw new InputError(
          'has a NUL byte: not CSV text (a binary file, or one cut short by a crash)',
          `${path}:${line + 1}:${rest.length + 1}`,
        );
      if (rest.length > MAX_LINE_CHARS)
        throw new InputError(
          `is longer than ${MAX_LINE_CHARS} characters: not a row of prices`,
          `${path}:${line + 1}:1`,
        );
    }
    rest += decoder.decode();
    if (rest.length > 0) {
      line++;
      readRow(rest, 0, rest.endsWith('\r') ? rest.length - 1 : rest.length, rest.includes('"'));
    }
  } finally {
    input?.destroy();
    await handle.close().catch(() => {});
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
