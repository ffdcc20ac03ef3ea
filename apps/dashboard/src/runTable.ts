// A run's strategies as the API pages and bins them: pure functions of the parsed tables (no store, no cache),
// unit-tested on their own (test/runTable.test.ts).
import { METRIC_NAMES, type MetricName, type MetricsTable, type Strategy } from '@overfit/core';

export type SortKey = 'id' | 'family' | 'direction' | MetricName;
export const SORT_KEYS: readonly SortKey[] = ['id', 'family', 'direction', ...METRIC_NAMES];

export interface StrategiesQuery {
  sort: SortKey;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
  family?: string;
  direction?: string;
  minTrades?: number;
}

type MetricValues = Record<MetricName, number | null>;

interface StrategyRow {
  id: string;
  family: string;
  direction: string;
  params: Record<string, unknown>;
  training: MetricValues;
  /** Present when the run wrote validation_performance.csv. */
  validation?: MetricValues;
}

export interface StrategiesPage {
  total: number;
  matching: number;
  page: number;
  pageSize: number;
  pages: number;
  sort: SortKey;
  order: 'asc' | 'desc';
  bestId: string | null;
  /** Strategies with fewer training trades could not be selected. */
  minTrades: number;
  hasValidation: boolean;
  rows: StrategyRow[];
}

export interface Histogram {
  metric: MetricName;
  /** Equal-width bins over the defined values; `eligible` counts strategies with enough trades to be selected. */
  bins: { from: number; to: number; eligible: number; ineligible: number }[];
  /** Strategies whose value is undefined (no trades, flat returns). */
  undefinedCount: number;
  minTrades: number;
}

/** A run's strategies in the row order of training_performance.csv, with their metrics. */
export interface StrategyTable {
  strategies: Strategy[];
  training: MetricsTable;
  validation: MetricsTable | null;
  bestId: string | null;
}

/** One page of the strategies, filtered and sorted as asked; `minTrades` is the run's setting. */
export function strategiesPage(table: StrategyTable, query: StrategiesQuery, minTrades: number): StrategiesPage {
  const { strategies, training } = table;
  let rows = strategies.map((_, i) => i);
  if (query.family !== undefined) rows = rows.filter((i) => strategies[i].family === query.family);
  if (query.direction !== undefined) rows = rows.filter((i) => strategies[i].direction === query.direction);
  if (query.minTrades !== undefined) {
    const trades = training.columns.trades;
    const least = query.minTrades;
    rows = rows.filter((i) => trades[i] >= least);
  }
  rows.sort(comparator(table, query.sort, query.order));

  const start = (query.page - 1) * query.pageSize;
  return {
    total: strategies.length,
    matching: rows.length,
    page: query.page,
    pageSize: query.pageSize,
    pages: Math.max(1, Math.ceil(rows.length / query.pageSize)),
    sort: query.sort,
    order: query.order,
    bestId: table.bestId,
    minTrades,
    hasValidation: table.validation !== null,
    rows: rows.slice(start, start + query.pageSize).map((i) => rowOf(table, i)),
  };
}

/** How the strategies spread on one training metric: the picture of how the best stands out by luck. */
export function histogramOf(
  training: MetricsTable,
  metric: MetricName,
  binCount: number,
  minTrades: number,
): Histogram {
  const values = training.columns[metric];
  const trades = training.columns.trades;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  let undefinedCount = 0;
  if (lo === Infinity) return { metric, bins: [], undefinedCount: values.length, minTrades };
  const width = hi > lo ? (hi - lo) / binCount : 1;
  const bins = Array.from({ length: hi > lo ? binCount : 1 }, (_, b) => ({
    from: lo + b * width,
    to: lo + (b + 1) * width,
    eligible: 0,
    ineligible: 0,
  }));
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      undefinedCount += 1;
      return;
    }
    const bin = bins[Math.min(bins.length - 1, Math.floor((v - lo) / width))];
    if (trades[i] >= minTrades) bin.eligible += 1;
    else bin.ineligible += 1;
  });
  return { metric, bins, undefinedCount, minTrades };
}

const finiteOrNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

function metricsOf(table: MetricsTable, i: number): MetricValues {
  return Object.fromEntries(METRIC_NAMES.map((m) => [m, finiteOrNull(table.columns[m][i])])) as MetricValues;
}

function rowOf(table: StrategyTable, i: number): StrategyRow {
  const { id, family, direction, ...params } = table.strategies[i];
  const row: StrategyRow = { id, family, direction, params, training: metricsOf(table.training, i) };
  if (table.validation) row.validation = metricsOf(table.validation, i);
  return row;
}

/** Sort by the key, then by id; an undefined metric (NaN) goes last in either order. */
function comparator(table: StrategyTable, sort: SortKey, order: 'asc' | 'desc'): (a: number, b: number) => number {
  const sign = order === 'asc' ? 1 : -1;
  const { strategies } = table;
  const byId = (a: number, b: number) =>
    strategies[a].id < strategies[b].id ? -1 : strategies[a].id > strategies[b].id ? 1 : 0;
  if (sort === 'id') return (a, b) => sign * byId(a, b);
  if (sort === 'family' || sort === 'direction') {
    return (a, b) => {
      const x = strategies[a][sort];
      const y = strategies[b][sort];
      return x === y ? byId(a, b) : sign * (x < y ? -1 : 1);
    };
  }
  const column = table.training.columns[sort];
  return (a, b) => {
    const x = column[a];
    const y = column[b];
    const xMissing = Number.isNaN(x);
    const yMissing = Number.isNaN(y);
    if (xMissing || yMissing) return xMissing === yMissing ? byId(a, b) : xMissing ? 1 : -1;
    return x === y ? byId(a, b) : sign * (x < y ? -1 : 1);
  };
}
