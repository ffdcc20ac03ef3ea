// Paging, filtering, sorting and binning of a run's strategies, on tables built by hand: no store, no pipeline.
import { METRIC_NAMES, type MetricName, type MetricsTable, type Strategy } from '@overfit/core';
import { histogramOf, strategiesPage, type StrategiesQuery, type StrategyTable } from '../src/runTable';

/** A metrics table whose `given` columns hold these values and every other metric 0. */
function metrics(ids: string[], given: Partial<Record<MetricName, number[]>>): MetricsTable {
  const columns = Object.fromEntries(
    METRIC_NAMES.map((m) => [m, Float64Array.from(given[m] ?? ids.map(() => 0))]),
  ) as Record<MetricName, Float64Array>;
  return { ids, columns };
}

const strategy = (id: string, family: string, direction: string): Strategy =>
  ({ id, family, direction, fast: 5 }) as unknown as Strategy;
const ids = ['s0001', 's0002', 's0003', 's0004'];
const table: StrategyTable = {
  strategies: [
    strategy('s0001', 'sma_cross', 'long_only'),
    strategy('s0002', 'rsi', 'long_short'),
    strategy('s0003', 'sma_cross', 'long_short'),
    strategy('s0004', 'rsi', 'long_only'),
  ],
  training: metrics(ids, {
    sharpe: [0.5, Number.NaN, 1.5, -0.5],
    trades: [10, 0, 3, 40],
    winRate: [0.5, Number.NaN, 0.7, 0.4],
  }),
  validation: null,
  bestId: 's0003',
};
const query = (fields: Partial<StrategiesQuery> = {}): StrategiesQuery => ({
  sort: 'id',
  order: 'asc',
  page: 1,
  pageSize: 50,
  ...fields,
});

describe('strategiesPage', () => {
  test('sorts by a metric with undefined values last in either order, ties by id', () => {
    expect(strategiesPage(table, query({ sort: 'sharpe', order: 'desc' }), 5).rows.map((r) => r.id)).toEqual([
      's0003',
      's0001',
      's0004',
      's0002',
    ]);
    expect(strategiesPage(table, query({ sort: 'sharpe', order: 'asc' }), 5).rows.map((r) => r.id)).toEqual([
      's0004',
      's0001',
      's0003',
      's0002',
    ]);
    expect(strategiesPage(table, query({ sort: 'family', order: 'asc' }), 5).rows.map((r) => r.id)).toEqual([
      's0002',
      's0004',
      's0001',
      's0003',
    ]);
  });

  test('filters by family, direction and least trades, then pages', () => {
    const page = strategiesPage(table, query({ family: 'sma_cross', minTrades: 5 }), 5);
    expect(page).toMatchObject({
      total: 4,
      matching: 1,
      pages: 1,
      bestId: 's0003',
      minTrades: 5,
      hasValidation: false,
    });
    expect(page.rows).toEqual([
      {
        id: 's0001',
        family: 'sma_cross',
        direction: 'long_only',
        params: { fast: 5 },
        training: expect.objectContaining({ sharpe: 0.5, trades: 10 }),
      },
    ]);
    const second = strategiesPage(table, query({ direction: 'long_short', pageSize: 1, page: 2 }), 0);
    expect([second.matching, second.pages, second.rows.map((r) => r.id)]).toEqual([2, 2, ['s0003']]);
    // An undefined metric is null in the row (JSON has no NaN).
    expect(strategiesPage(table, query({ pageSize: 1, page: 2 }), 0).rows[0].training.sharpe).toBeNull();
  });

  test('shows validation metrics beside training when the run has them', () => {
    const withValidation = { ...table, validation: metrics(ids, { sharpe: [0.1, 0.2, -0.3, 0.4] }) };
    const page = strategiesPage(withValidation, query({ pageSize: 1 }), 0);
    expect([page.hasValidation, page.rows[0].validation?.sharpe]).toEqual([true, 0.1]);
  });
});

describe('histogramOf', () => {
  test('equal-width bins over the defined values, split by whether a strategy had enough trades', () => {
    const histogram = histogramOf(table.training, 'sharpe', 2, 5);
    expect(histogram).toEqual({
      metric: 'sharpe',
      minTrades: 5,
      undefinedCount: 1,
      bins: [
        { from: -0.5, to: 0.5, eligible: 1, ineligible: 0 },
        { from: 0.5, to: 1.5, eligible: 1, ineligible: 1 },
      ],
    });
  });

  test('one bin when every value is the same; no bins when none is defined', () => {
    const flat = metrics(['a', 'b'], { sharpe: [2, 2], trades: [1, 1] });
    expect(histogramOf(flat, 'sharpe', 30, 0).bins).toEqual([{ from: 2, to: 3, eligible: 2, ineligible: 0 }]);
    const none = metrics(['a', 'b'], { sharpe: [Number.NaN, Number.NaN] });
    expect(histogramOf(none, 'sharpe', 30, 0)).toEqual({ metric: 'sharpe', bins: [], undefinedCount: 2, minTrades: 0 });
  });
});
