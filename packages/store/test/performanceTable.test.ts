import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { CorruptArtifactError, METRIC_NAMES, type MetricName, type MetricsTable, type Strategy } from '@overfit/core';
import { formatPerformanceTable, metricColumn, parsePerformanceTable, type PerformanceTable } from '../src';

/** The general-purpose reader the specialised one replaced: csv-parse by column name. */
function csvParseReader(text: string): PerformanceTable {
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const columns = Object.fromEntries(
    METRIC_NAMES.map((m) => [
      m,
      Float64Array.from(records, (r) => (r[metricColumn(m)] === '' ? Number.NaN : Number(r[metricColumn(m)]))),
    ]),
  );
  return {
    ids: records.map((r) => r.strategy_id),
    families: records.map((r) => r.family),
    columns: columns as Record<MetricName, Float64Array>,
  };
}

const bytesOf = (table: PerformanceTable) => ({
  ids: table.ids,
  families: table.families,
  columns: METRIC_NAMES.map((m) => Buffer.from(table.columns[m].buffer)),
});

// Any text in the text columns (commas, quotes, CR, LF), any double in the metrics (NaN, ±Infinity, -0).
const row = fc.record({
  id: fc.string({ unit: fc.constantFrom('s', '0', ',', '"', '\n', '\r', ' ', 'é') }),
  family: fc.string(),
  direction: fc.string(),
  note: fc.string(),
  metrics: fc.array(fc.double(), { minLength: METRIC_NAMES.length, maxLength: METRIC_NAMES.length }),
});

function written(rows: { id: string; family: string; direction: string; note: string; metrics: number[] }[]): string {
  const strategies = rows.map(
    ({ id, family, direction, note }) => ({ id, family, direction, note }) as unknown as Strategy,
  );
  const table: MetricsTable = {
    ids: rows.map((r) => r.id),
    columns: Object.fromEntries(
      METRIC_NAMES.map((m, j) => [m, Float64Array.from(rows, (r) => r.metrics[j])]),
    ) as Record<MetricName, Float64Array>,
  };
  return formatPerformanceTable(strategies, table);
}

const KEY = 'runs/r1/results/validation_performance.csv';

describe('performance table writer', () => {
  it('writes what csv-stringify writes, byte for byte', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
        const cells = rows.map((r) => [
          r.id,
          r.family,
          r.direction,
          JSON.stringify({ note: r.note }),
          ...r.metrics.map((x) => (Number.isNaN(x) ? '' : String(x))),
        ]);
        expect(written(rows)).toBe(
          stringify([['strategy_id', 'family', 'direction', 'params', ...METRIC_NAMES.map(metricColumn)], ...cells]),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('performance table reader', () => {
  it('reads exactly what csv-parse reads from anything formatPerformanceTable writes, bit for bit', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
        const text = written(rows);
        const read = parsePerformanceTable(text, KEY);
        expect(bytesOf(read)).toEqual(bytesOf(csvParseReader(text)));
        expect(read.ids).toEqual(rows.map((r) => r.id));
        // Shortest round-trip decimals: every value comes back, -0 as 0 (String(-0) is "0").
        for (const [j, m] of METRIC_NAMES.entries())
          expect(Array.from(read.columns[m])).toEqual(
            rows.map((r) => (Object.is(r.metrics[j], -0) ? 0 : r.metrics[j])),
          );
      }),
      { numRuns: 300 },
    );
  });

  it('takes CRLF line ends, blank lines and columns in another order, as csv-parse does', () => {
    const header = ['family', 'params', 'strategy_id', 'direction', ...METRIC_NAMES.map(metricColumn)].join(',');
    const cells = METRIC_NAMES.map((_, j) => (j === 2 ? '' : String(j / 4))).join(',');
    const text = `\r\n${header}\r\nsma_cross,"{""fast"":3}",s1,long_only,${cells}\r\n\r\nmacd,{},s2,long_short,${cells}`;
    const read = parsePerformanceTable(text, KEY);
    expect(bytesOf(read)).toEqual(bytesOf(csvParseReader(text)));
    expect(read).toMatchObject({ ids: ['s1', 's2'], families: ['sma_cross', 'macd'] });
    expect(read.columns.sharpe[0]).toBeNaN();
    expect(read.columns.winRate[1]).toBe(1.5);
  });

  it('refuses malformed input with a CorruptArtifactError that names the file read and the line', () => {
    const good = written([
      { id: 's1', family: 'macd', direction: 'long_only', note: 'x', metrics: METRIC_NAMES.map(() => 0.5) },
    ]);
    const [header, line] = good.trimEnd().split('\n');
    const refused = (text: string, message: RegExp) => {
      expect(() => parsePerformanceTable(text, KEY)).toThrow(CorruptArtifactError);
      expect(() => parsePerformanceTable(text, KEY)).toThrow(message);
    };
    refused('', /^runs\/r1\/results\/validation_performance\.csv is corrupt: line 1: no header row$/);
    refused(
      `${header}\n${line}\n${line.replace(',0.5', '')}\n`,
      new RegExp(`line 3: a row of ${METRIC_NAMES.length + 3} fields, the header has ${METRIC_NAMES.length + 4}`),
    );
    refused(`${header}\n${line.replace('0.5', 'abc')}\n`, /line 2: total_return is not a number: "abc"/);
    refused(`${header}\n${line.slice(0, line.lastIndexOf(',') + 1)}"0.5\n`, /line 2: a quoted field is never closed/);
    refused(`${header}\n${line.replace('s1', 's"1')}\n`, /line 2: a quote inside an unquoted field/);
    refused(`${header}\n${line.replace('s1', '"s"1')}\n`, /line 2: a field continues after its closing quote/);
    refused(`${header.replace('win_rate', 'wins')}\n${line}\n`, /line 1: no column win_rate/);
    expect(() => parsePerformanceTable(`${header}\n"x`, 'runs/r1/shards/0/training_performance.csv')).toThrow(
      /^runs\/r1\/shards\/0\/training_performance\.csv is corrupt: line 2: a quoted field is never closed$/,
    );
  });
});
