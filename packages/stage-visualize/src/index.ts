// Stage 5 — visualize: the figures that make the fall visible. The histogram shows how the "best" stands out
// from hundreds of lucky draws; the comparison and the equity curve show what happens after the split. The four
// figures of overfitting_report.json measure the whole selection process (see overfittingFigures.ts).
import {
  costsOf,
  createMarket,
  equityCurve,
  METRIC_LABELS,
  PERCENT_METRICS,
  NO_COSTS,
  positions,
  SELECTION_METRIC_FIELDS,
  type DataRef,
  type MetricName,
  type OverfittingReport,
  type VisualizeEvent,
} from '@overfit/core';
import { renderEquityCurve, renderMetricHistogram, renderPerformanceComparison } from '@overfit/charts';
import { renderOverfittingFigures } from './overfittingFigures';
import { comparedMetrics } from './comparedMetrics';
import type { LoadedPrices } from '@overfit/data';
import {
  getJson,
  parseStageEvent,
  readPerformanceTable,
  histogramKey,
  runKeys,
  type ArtifactStore,
  type ValidationResults,
} from '@overfit/store';

/** Metrics that are shares of something: a histogram of them never extends below 0 % or above 100 %. */
const RATE_METRICS = new Set<MetricName>(['winRate', 'hitRate', 'exposure']);

export type VisualizeInput = VisualizeEvent;

export interface VisualizeOutput {
  plotKeys: string[];
}

const PERCENT = new Set<MetricName>(PERCENT_METRICS);

export function parseEvent(event: unknown): VisualizeInput {
  const { trainingPerformanceKey, validationPerformanceKey, validationResultsKey, overfittingReportKey } =
    event as VisualizeEvent;
  return {
    ...parseStageEvent(event, 'visualize'),
    trainingPerformanceKey,
    validationPerformanceKey,
    validationResultsKey,
    overfittingReportKey,
  };
}

const formatOf = (metric: MetricName) => (PERCENT.has(metric) ? 'percent' : 'number') as 'percent' | 'number';

export async function run(
  input: VisualizeInput,
  deps: { store: ArtifactStore; loadPrices: (ref: DataRef) => Promise<LoadedPrices> },
): Promise<VisualizeOutput> {
  const { config } = input;
  const keys = runKeys(input.runId);
  const [table, validationTable, results, report, prices] = await Promise.all([
    readPerformanceTable(deps.store, input.trainingPerformanceKey),
    readPerformanceTable(deps.store, input.validationPerformanceKey),
    getJson<ValidationResults>(deps.store, input.validationResultsKey),
    getJson<OverfittingReport>(deps.store, input.overfittingReportKey),
    deps.loadPrices(input.data),
  ]);
  const field = SELECTION_METRIC_FIELDS[config.selectBy];
  const id = results.strategy.id;
  const asNumber = (v: number | null) => (v === null ? Number.NaN : v);

  const histogram = await renderMetricHistogram({
    values: table.columns[field],
    metricLabel: METRIC_LABELS[field],
    format: formatOf(field),
    best: { id, training: asNumber(results.training[field]), validation: asNumber(results.validation[field]) },
    eligible: Array.from(table.columns.trades, (trades) => trades >= config.minTrades),
    bounds: RATE_METRICS.has(field) ? [0, 1] : undefined,
    title: `${METRIC_LABELS[field]} of ${table.ids.length} random strategies on the training window`,
  });

  const comparison = await renderPerformanceComparison({
    ...comparedMetrics(results, field, prices.series.time),
    title: `Strategy ${id} (${results.strategy.family}): training vs validation`,
    verdict: report.verdict.headline,
  });

  // Equity over the whole history with the split marked: the strategy as selected, buy-and-hold beside it.
  const market = createMarket(prices.series);
  const everything = { start: 0, end: prices.series.close.length };
  const costs = costsOf(config);
  const alwaysLong = new Int8Array(everything.end).fill(1);
  const equity = await renderEquityCurve({
    time: prices.series.time,
    strategy: equityCurve(positions(results.strategy, market), market, everything, costs),
    buyAndHold: equityCurve(alwaysLong, market, everything, NO_COSTS),
    splitIndex: results.windows.validation.start,
    strategyLabel: `${id} (${results.strategy.family}, ${results.strategy.direction})`,
    title: `Equity of the selected strategy: training, then validation`,
    logScale: true,
  });

  const figures = await renderOverfittingFigures({
    config,
    keys,
    market,
    report,
    training: table,
    validation: validationTable,
    selectedId: id,
    metricLabel: METRIC_LABELS[field],
    format: formatOf(field),
  });

  // Named after the metric it shows (win_rate_histogram.png for win rate, the default).
  const histogramAt = histogramKey(input.runId, config.selectBy);
  await deps.store.put(histogramAt, histogram, 'image/png');
  await deps.store.put(keys.performanceComparison, comparison, 'image/png');
  await deps.store.put(keys.equityCurve, equity, 'image/png');
  for (const [key, png] of figures) await deps.store.put(key, png, 'image/png');
  return { plotKeys: [histogramAt, keys.performanceComparison, keys.equityCurve, ...figures.keys()] };
}
