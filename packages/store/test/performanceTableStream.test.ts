// The backtest stage streams its tables in chunks; the bytes must be those of formatting everything at once.
import { generateStrategies, METRIC_NAMES, type MetricName, type MetricsTable } from '@overfit/core';
import { formatPerformanceTable, performanceTableChunks } from '../src';

/** Metrics of every kind a backtest writes: fractions, an undefined one (NaN) and an infinite profit factor. */
function tableOf(ids: string[]): MetricsTable {
  const value = (i: number, m: number) =>
    m === 1 && i % 5 === 0 ? Number.NaN : m === 2 && i % 7 === 0 ? Infinity : (i * 31 + m) / 17;
  return {
    ids,
    columns: Object.fromEntries(
      METRIC_NAMES.map((m, j) => [m, Float64Array.from(ids, (_, i) => value(i, j))]),
    ) as Record<MetricName, Float64Array>,
  };
}

it.each([
  [1, 7],
  [23, 7], // seasonal params hold commas: quoted cells cross no chunk edge
  [23, 23],
  [50, 1],
  [50, 4000],
])('streams %i rows in chunks of %i with the bytes of a one-shot format', async (count, rowsPerChunk) => {
  const strategies = generateStrategies({ count, seed: 3 });
  const table = tableOf(strategies.map((s) => s.id));
  const chunks: Buffer[] = [];
  for await (const chunk of performanceTableChunks(strategies, table, rowsPerChunk)) chunks.push(chunk);
  expect(chunks).toHaveLength(Math.ceil(count / rowsPerChunk));
  expect(Buffer.concat(chunks).toString()).toBe(formatPerformanceTable(strategies, table));
});
