// training_performance.csv: one row per strategy with every metric on the training window. The backtest stage
// writes it, the select stage and the dashboard read it, so its format lives here with the run layout.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { METRIC_NAMES, type MetricName, type MetricsTable, type Strategy } from '@overfit/core';

/** totalReturn → total_return: the CSV keeps the original Python project's snake_case column names. */
export const metricColumn = (name: MetricName): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const HEADER = ['strategy_id', 'family', 'direction', 'params', ...METRIC_NAMES.map(metricColumn)];

/** Shortest exact decimal; an undefined metric (NaN) is an empty cell, ±Infinity is written as such. */
const cell = (value: number): string => (Number.isNaN(value) ? '' : String(value));

function paramsOf(strategy: Strategy): string {
  const { id: _id, family: _family, direction: _direction, ...params } = strategy;
  return JSON.stringify(params);
}

export function formatTrainingPerformance(strategies: readonly Strategy[], table: MetricsTable): string {
  const rows: string[][] = [HEADER];
  strategies.forEach((strategy, i) => {
    if (table.ids[i] !== strategy.id) throw new Error(`metrics row ${i} is ${table.ids[i]}, expected ${strategy.id}`);
    rows.push([strategy.id, strategy.family, strategy.direction, paramsOf(strategy), ...METRIC_NAMES.map((m) => cell(table.columns[m][i]))]);
  });
  return stringify(rows);
}

export interface TrainingPerformance extends MetricsTable {
  families: string[];
}

export function parseTrainingPerformance(text: string): TrainingPerformance {
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const n = records.length;
  const columns = Object.fromEntries(METRIC_NAMES.map((m) => [m, new Float64Array(n)])) as Record<MetricName, Float64Array>;
  records.forEach((record, i) => {
    for (const m of METRIC_NAMES) {
      const raw = record[metricColumn(m)];
      if (raw === undefined) throw new Error(`training_performance.csv has no column ${metricColumn(m)}`);
      columns[m][i] = raw === '' ? Number.NaN : Number(raw);
    }
  });
  return { ids: records.map((r) => r.strategy_id), families: records.map((r) => r.family), columns };
}
