// The selection rule the select stage ranks by and the validate stage re-applies: the same winner either way.
import fc from 'fast-check';
import { METRIC_NAMES, rankEligible, selectedRow, type MetricName, type MetricsTable } from '../src';

/** A table with the given win rates, Sharpe ratios and trades (the other metrics 0). */
function tableOf(rows: { winRate: number; sharpe: number; trades: number }[]): MetricsTable {
  const column = (m: MetricName) =>
    Float64Array.from(rows, (r) => (m === 'winRate' || m === 'sharpe' || m === 'trades' ? r[m] : 0));
  return {
    ids: rows.map((_, i) => `s${i + 1}`),
    columns: Object.fromEntries(METRIC_NAMES.map((m) => [m, column(m)])) as Record<MetricName, Float64Array>,
  };
}

// s3 has the best win rate but only 4 trades; s4 has none defined; s2 and s5 tie at 0.6 (the earlier wins).
const table = tableOf([
  { winRate: 0.55, sharpe: 1.5, trades: 40 },
  { winRate: 0.6, sharpe: 0.2, trades: 20 },
  { winRate: 0.9, sharpe: 3, trades: 4 },
  { winRate: Number.NaN, sharpe: Number.NaN, trades: 0 },
  { winRate: 0.6, sharpe: 0.9, trades: 50 },
]);
const ids = (rows: number[]) => rows.map((i) => table.ids[i]);

it('ranks eligible strategies by the metric, ties to the earlier one', () => {
  expect(ids(rankEligible(table, { selectBy: 'win_rate', minTrades: 10 }))).toEqual(['s2', 's5', 's1']);
  expect(ids(rankEligible(table, { selectBy: 'win_rate', minTrades: 0 }))).toEqual(['s3', 's2', 's5', 's1']);
  expect(ids(rankEligible(table, { selectBy: 'sharpe', minTrades: 10 }))).toEqual(['s1', 's5', 's2']);
});

it('selects among the first rows only, and none when none is eligible', () => {
  expect(selectedRow(table, { selectBy: 'win_rate', minTrades: 10 })).toBe(1);
  expect(selectedRow(table, { selectBy: 'win_rate', minTrades: 10 }, 1)).toBe(0);
  expect(selectedRow(table, { selectBy: 'win_rate', minTrades: 100 })).toBe(-1);
  expect(selectedRow(table, { selectBy: 'win_rate', minTrades: 10 }, 0)).toBe(-1);
});

it('selects the first of the ranking for any metrics, ties, NaN and ±Infinity included', () => {
  const value = fc.oneof(
    fc.constantFrom(0.5, 0.5, 1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    fc.double(),
  );
  const row = fc.record({ winRate: value, sharpe: value, trades: fc.integer({ min: 0, max: 20 }) });
  fc.assert(
    fc.property(fc.array(row, { maxLength: 30 }), fc.integer({ min: 0, max: 20 }), (rows, minTrades) => {
      const t = tableOf(rows);
      for (const selectBy of ['win_rate', 'sharpe'] as const)
        expect(selectedRow(t, { selectBy, minTrades })).toBe(rankEligible(t, { selectBy, minTrades })[0] ?? -1);
    }),
    { numRuns: 500 },
  );
});
