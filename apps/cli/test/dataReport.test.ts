// The data report in the CLI's words: the data package returns facts, the CLI names its flags and caps the list.
import type { DataReport, DroppedRow } from '@overfit/data';
import { count, droppedRowsLines, duration, formatDataReport, gapsText } from '../src/dataReport';

const dropped = (n: number): DroppedRow[] =>
  Array.from({ length: n }, (_, i) => ({
    line: 10 + i,
    kind: i % 2 ? 'bad_time' : 'bad_price',
    reason: `reason ${i}`,
  }));

const report = (rows: DroppedRow[]): DataReport => ({
  rows: 32_054,
  first: '2024-01-01T00:00:00.000Z',
  last: '2024-04-21T09:05:00.000Z',
  spacingSeconds: 300,
  gaps: { count: 2, missingBars: 1234, largestSeconds: 18_000, largestAt: '2024-02-01T00:00:00.000Z' },
  problems: [],
  dropped: rows,
});

test('counts are whole numbers with thousands separators', () => {
  expect(count(32_054.689)).toBe('32,055');
  expect(count(7)).toBe('7');
});

test('durations in the unit people use', () => {
  expect([duration(2700), duration(7200), duration(118_800), duration(216_000)]).toEqual([
    '45 min',
    '2 h',
    '33 h',
    '2.5 days',
  ]);
});

test('gaps: none, or how many, the bars missing and the largest', () => {
  expect(gapsText({ count: 0, missingBars: 0, largestSeconds: 0, largestAt: null })).toBe('none');
  expect(gapsText(report([]).gaps)).toBe(
    '2 (1,234 missing bars; the longest: 5 h between two bars, after 2024-02-01T00:00:00.000Z)',
  );
});

test('the report names --lenient for dropped rows, lists the first five and counts the rest', () => {
  const text = formatDataReport(report(dropped(7)), 'five.csv');
  expect(text.split('\n')).toEqual([
    'five.csv',
    '  rows      32,054',
    '  range     2024-01-01T00:00:00.000Z → 2024-04-21T09:05:00.000Z',
    '  spacing   300 s (median)',
    '  gaps      2 (1,234 missing bars; the longest: 5 h between two bars, after 2024-02-01T00:00:00.000Z)',
    '  problems  none',
    '  dropped   7 rows dropped (--lenient): bad_price 4, bad_time 3',
    '            line 10: reason 0',
    '            line 11: reason 1',
    '            line 12: reason 2',
    '            line 13: reason 3',
    '            line 14: reason 4',
    '            … and 2 more (--json lists them)',
  ]);
});

test('when only the first rows are known (a manifest keeps 100), the count is the total, without kinds', () => {
  expect(droppedRowsLines(dropped(1), 250, '  ')).toEqual([
    '250 rows dropped (--lenient)',
    '  line 10: reason 0',
    '  … and 249 more (--json lists them)',
  ]);
  expect(droppedRowsLines(dropped(1), 1, '  ')).toEqual([
    '1 row dropped (--lenient): bad_price 1',
    '  line 10: reason 0',
  ]);
});
