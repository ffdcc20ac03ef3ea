// The four figures of the overfitting report. A figure whose statistic is undefined for the run (e.g. no PBO on a
// window too short for CSCV) is left out rather than drawn empty; the keys returned say which were made.
import {
  costsOf,
  equityCurve,
  expectedMaxStandardNormal,
  positions,
  SELECTION_METRIC_FIELDS,
  type Market,
  type OverfittingReport,
  type RunConfig,
} from '@overfit/core';
import { renderExpectedMaxSharpe, renderIsOosScatter, renderPboLogits, renderWalkForwardEquity } from '@overfit/charts';
import type { PerformanceTable, RunKeys } from '@overfit/store';

export interface OverfittingFigureInputs {
  config: RunConfig;
  keys: RunKeys;
  market: Market;
  report: OverfittingReport;
  training: PerformanceTable;
  validation: PerformanceTable;
  selectedId: string;
  metricLabel: string;
  format: 'percent' | 'number';
}

/** Points in the scatter: beyond this the figure is a solid blob and Chart.js takes seconds to draw it. */
const SCATTER_MAX_POINTS = 20_000;

/** N from 1 to at least 10 × the run's N, ~12 points a decade: the E[max SR] curve is smooth on a log axis. */
function trialGrid(n: number): number[] {
  const top = Math.max(1000, 10 * n);
  const grid = new Set<number>([1]);
  for (let e = 0; e <= Math.log10(top) + 1e-9; e += 1 / 12) grid.add(Math.round(10 ** e));
  return [...grid].sort((a, b) => a - b);
}

/** Chained walk-forward equity from the report's per-fold table, with buy-and-hold over the same bars. */
function walkForwardCurves(report: NonNullable<OverfittingReport['walkForward']>, market: Market, config: RunConfig) {
  const costs = costsOf(config);
  const close = market.series.close;
  const first = report.table[0].heldOn.start;
  const last = report.table[report.table.length - 1].heldOn.end;
  const equity = new Float64Array(last - first);
  const buyAndHold = new Float64Array(last - first);
  let level = 1;
  for (const fold of report.table) {
    const { start, end } = fold.heldOn;
    const curve = fold.strategy
      ? equityCurve(positions(fold.strategy, market), market, fold.heldOn, costs)
      : new Float64Array(end - start).fill(1);
    for (let t = start; t < end; t++) equity[t - first] = level * curve[t - start];
    level = equity[end - 1 - first];
  }
  for (let t = first; t < last; t++) buyAndHold[t - first] = close[t] / close[first - 1];
  return {
    time: market.series.time.subarray(first, last),
    equity,
    buyAndHold,
    foldStarts: report.table.map((f) => f.heldOn.start - first),
    foldLabels: report.table.map((f) => (f.strategy ? `${f.strategy.id} ${f.strategy.family}` : 'flat')),
  };
}

export async function renderOverfittingFigures(inputs: OverfittingFigureInputs): Promise<Map<string, Buffer>> {
  const { config, keys, market, report, training, validation } = inputs;
  const figures = new Map<string, Buffer>();
  const field = SELECTION_METRIC_FIELDS[config.selectBy];
  const validationById = new Map(validation.ids.map((id, i) => [id, validation.columns[field][i]]));

  // Above SCATTER_MAX_POINTS: the first ones (strategies are drawn at random, so a uniform sample) and the selected.
  const selected = training.ids.indexOf(inputs.selectedId);
  const rows = Array.from({ length: Math.min(training.ids.length, SCATTER_MAX_POINTS) }, (_, i) => i);
  if (selected >= rows.length) rows.push(selected);
  figures.set(
    keys.isVsOosScatter,
    await renderIsOosScatter({
      training: rows.map((i) => training.columns[field][i]),
      validation: rows.map((i) => validationById.get(training.ids[i]) ?? Number.NaN),
      eligible: rows.map((i) => training.columns.trades[i] >= config.minTrades),
      selected: rows.indexOf(selected),
      total: training.ids.length,
      metricLabel: inputs.metricLabel,
      format: inputs.format,
      rho: report.rankCorrelation.rho,
    }),
  );

  if (report.pbo)
    figures.set(
      keys.pboLogits,
      await renderPboLogits({
        logits: report.pbo.logits,
        pbo: report.pbo.pbo,
        partitions: report.pbo.partitions,
        rankedBy: report.pbo.rankedBy,
      }),
    );

  // Luck's curve with the null variance of a Sharpe estimate on T bars, as the deflated Sharpe uses it; the point is
  // the selected strategy's training Sharpe at the run's number of independent trials.
  const dsr = report.deflatedSharpe;
  if (dsr) {
    const trials = trialGrid(report.inputs.strategies);
    const sdAnnual = Math.sqrt(dsr.sharpeVariance * report.inputs.periodsPerYear);
    figures.set(
      keys.expectedMaxSharpe,
      await renderExpectedMaxSharpe({
        trials,
        expectedMax: trials.map((n) => sdAnnual * expectedMaxStandardNormal(n)),
        bars: report.inputs.trainingBars,
        observed: {
          trials: Math.max(1, Math.round(dsr.effectiveTrials)),
          sharpeAnnual: dsr.sharpe * Math.sqrt(report.inputs.periodsPerYear),
          label: `selected strategy ${dsr.strategyId} (chosen by ${inputs.metricLabel.toLowerCase()}): its training Sharpe`,
        },
      }),
    );
  }

  if (report.walkForward) {
    figures.set(
      keys.walkForwardEquity,
      await renderWalkForwardEquity({
        ...walkForwardCurves(report.walkForward, market, config),
        totalReturn: report.walkForward.totalReturn,
      }),
    );
  }
  return figures;
}
