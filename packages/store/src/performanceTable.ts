// The performance tables, training_performance.csv and validation_performance.csv: one row per strategy with every
// metric on one window. The backtest stage writes them, the select, validate and visualize stages and the dashboard
// read them, so their format lives here with the run layout, writer beside reader.
import { CorruptArtifactError, METRIC_NAMES, type MetricName, type MetricsTable, type Strategy } from '@overfit/core';
import type { ArtifactStore } from './artifactStore';

/** totalReturn → total_return: the CSV keeps the original Python project's snake_case column names. */
export const metricColumn = (name: MetricName): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const HEADER = ['strategy_id', 'family', 'direction', 'params', ...METRIC_NAMES.map(metricColumn)];

/** Shortest exact decimal; an undefined metric (NaN) is an empty cell, ±Infinity is written as such. */
const cell = (value: number): string => (Number.isNaN(value) ? '' : String(value));

function paramsOf(strategy: Strategy): string {
  const { id: _id, family: _family, direction: _direction, ...params } = strategy;
  return JSON.stringify(params);
}

/** A field as csv-stringify writes it by default: quoted when it holds a quote, comma or line break. */
const field = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/**
 * One header line, then one line per strategy, each ended by LF: csv-stringify's default output byte for byte (a
 * property test holds the two together), written directly because the backtest stage formats 100,000 rows twice
 * and csv-stringify took ~1.3 s of that.
 */
export function formatPerformanceTable(strategies: readonly Strategy[], table: MetricsTable): string {
  const columns = METRIC_NAMES.map((m) => table.columns[m]);
  let text = `${HEADER.join(',')}\n`;
  strategies.forEach((strategy, i) => {
    if (table.ids[i] !== strategy.id) throw new Error(`metrics row ${i} is ${table.ids[i]}, expected ${strategy.id}`);
    text += `${field(strategy.id)},${field(strategy.family)},${field(strategy.direction)},${field(paramsOf(strategy))}`;
    for (const column of columns) text += `,${cell(column[i])}`;
    text += '\n';
  });
  return text;
}

/**
 * formatPerformanceTable's bytes, streamed a few thousand rows at a time: 100,000 rows never exist as one string
 * (nor as csv-stringify's 1.5 M cells at once).
 */
export async function* performanceTableChunks(
  strategies: readonly Strategy[],
  table: MetricsTable,
  rowsPerChunk = 4000,
): AsyncGenerator<Buffer> {
  for (let from = 0; from === 0 || from < strategies.length; from += rowsPerChunk) {
    const to = Math.min(strategies.length, from + rowsPerChunk);
    const slice: MetricsTable = {
      ids: table.ids.slice(from, to),
      columns: Object.fromEntries(
        METRIC_NAMES.map((m) => [m, table.columns[m].subarray(from, to)]),
      ) as MetricsTable['columns'],
    };
    const text = formatPerformanceTable(strategies.slice(from, to), slice);
    yield Buffer.from(from === 0 ? text : text.slice(text.indexOf('\n') + 1)); // the header once
  }
}

/** Write a window's table under `key` (a run's or a shard's training_performance.csv or validation_performance.csv). */
export async function writePerformanceTable(
  store: ArtifactStore,
  key: string,
  strategies: readonly Strategy[],
  table: MetricsTable,
): Promise<void> {
  await store.put(key, performanceTableChunks(strategies, table), 'text/csv');
}

/**
 * The run's table from its shards' tables, which share one header: the first header, then every part's rows, in order.
 */
export async function* concatPerformanceTables(store: ArtifactStore, keys: readonly string[]): AsyncGenerator<Buffer> {
  let header: Buffer | undefined;
  for (const key of keys) {
    const part = await store.get(key);
    const newline = part.indexOf(0x0a) + 1;
    const partHeader = part.subarray(0, newline);
    if (!header) {
      header = partHeader;
      yield part;
    } else if (!partHeader.equals(header)) {
      throw new CorruptArtifactError(
        key,
        `it has the header ${JSON.stringify(partHeader.toString())}, the first part ${JSON.stringify(header.toString())}`,
      );
    } else {
      yield part.subarray(newline);
    }
  }
}

export interface PerformanceTable extends MetricsTable {
  families: string[];
}

/** Read the table at `key`; a table that does not parse is a CorruptArtifactError naming that key and the line. */
export async function readPerformanceTable(store: ArtifactStore, key: string): Promise<PerformanceTable> {
  return parsePerformanceTable((await store.get(key)).toString('utf8'), key);
}

/**
 * Reads what formatPerformanceTable writes (RFC 4180, as csv-stringify quotes it), columns found by header name.
 * A reader of its own because csv-parse with `columns: true` took ~1 s per 30,000 rows, and select, validate,
 * visualize and the dashboard each read 100,000-row tables: this one scans the text once, keeps only each field's
 * bounds and builds strings for the two text columns it returns (the params column is skipped unread).
 * The pipeline wrote the table, so malformed input (bad quoting, a row of the wrong length, a missing column, a
 * cell that is not a number) is a CorruptArtifactError that names the file read (`key`) and the line.
 */
export function parsePerformanceTable(text: string, key: string): PerformanceTable {
  const fail = (message: string, at: number): never => {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line += 1;
    throw new CorruptArtifactError(key, `line ${line}: ${message}`);
  };
  const fields = new FieldBounds();
  let pos = skipEmptyLines(text, 0);
  if (pos >= text.length) fail('no header row', pos);
  pos = readRecord(text, pos, fields, fail);
  const header = Array.from({ length: fields.count }, (_, f) => fields.value(text, f));
  const indexOf = (name: string): number => {
    const index = header.indexOf(name);
    return index !== -1 ? index : fail(`no column ${name}`, 0);
  };
  const idField = indexOf('strategy_id');
  const familyField = indexOf('family');
  const metricFields = METRIC_NAMES.map((m) => indexOf(metricColumn(m)));

  const ids: string[] = [];
  const families: string[] = [];
  const values: number[][] = METRIC_NAMES.map(() => []);
  for (pos = skipEmptyLines(text, pos); pos < text.length; pos = skipEmptyLines(text, pos)) {
    const start = pos;
    pos = readRecord(text, pos, fields, fail);
    if (fields.count !== header.length) fail(`a row of ${fields.count} fields, the header has ${header.length}`, start);
    ids.push(fields.value(text, idField));
    families.push(fields.value(text, familyField));
    for (let m = 0; m < metricFields.length; m++) {
      const index = metricFields[m];
      const from = fields.starts[index];
      const to = fields.ends[index];
      if (from === to) {
        values[m].push(Number.NaN); // an undefined metric
        continue;
      }
      const value = Number(text.slice(from, to));
      if (Number.isNaN(value))
        fail(`${header[index]} is not a number: ${JSON.stringify(fields.value(text, index))}`, start);
      values[m].push(value);
    }
  }
  const columns = Object.fromEntries(METRIC_NAMES.map((m, i) => [m, Float64Array.from(values[i])])) as Record<
    MetricName,
    Float64Array
  >;
  return { ids, families, columns };
}

/** One record's fields as offsets into the text, so that a skipped field costs no string. */
class FieldBounds {
  count = 0;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly quoted: boolean[] = [];

  push(start: number, end: number, quoted: boolean): void {
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.quoted[this.count] = quoted;
    this.count += 1;
  }

  value(text: string, field: number): string {
    const raw = text.slice(this.starts[field], this.ends[field]);
    return this.quoted[field] ? raw.replaceAll('""', '"') : raw;
  }
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Skips blank lines (as csv-parse's skip_empty_lines does) and returns where the next record starts. */
function skipEmptyLines(text: string, pos: number): number {
  for (;;) {
    if (text.charCodeAt(pos) === LF) pos += 1;
    else if (text.charCodeAt(pos) === CR && text.charCodeAt(pos + 1) === LF) pos += 2;
    else return pos;
  }
}

/** Reads the record at pos into fields (LF or CRLF ends it) and returns the position after it. */
function readRecord(
  text: string,
  pos: number,
  fields: FieldBounds,
  fail: (message: string, at: number) => never,
): number {
  fields.count = 0;
  for (;;) {
    let end: number;
    if (text.charCodeAt(pos) === QUOTE) {
      // A quoted field ends at a quote that is not doubled.
      let close = text.indexOf('"', pos + 1);
      while (close !== -1 && text.charCodeAt(close + 1) === QUOTE) close = text.indexOf('"', close + 2);
      if (close === -1) fail('a quoted field is never closed', pos);
      fields.push(pos + 1, close, true);
      end = close + 1;
    } else {
      end = pos;
      for (
        let c = text.charCodeAt(end);
        c !== COMMA && c !== LF && c !== CR && end < text.length;
        c = text.charCodeAt(++end)
      ) {
        if (c === QUOTE) fail('a quote inside an unquoted field', end);
      }
      fields.push(pos, end, false);
    }
    const c = text.charCodeAt(end);
    if (c === COMMA) pos = end + 1;
    else if (end >= text.length) return end;
    else if (c === LF) return end + 1;
    else if (c === CR && text.charCodeAt(end + 1) === LF) return end + 2;
    else return fail('a field continues after its closing quote', end);
  }
}
