// Every strategy on both windows at once: backtestAll() by the fast kernel (kernel/), and backtestAllReference(),
// the same results straight from the definitions (positions() and walk()), which the kernel's tests compare it to.
import {
  BacktestKernel,
  emptyBlockMoments,
  emptyResults,
  kernelOrder,
  prepareColumns,
  type BacktestResults,
  type KernelJob,
} from './kernel';
import type { Market } from './market';
import type { SelectionMetric } from './metrics';
import { positions } from './strategies';
import { METRIC_NAMES, type BarWindow, type Costs, type MetricName, type MetricsTable, type Strategy } from './types';
import { checkWindow, costRate, walk } from './walk';

function emptyTable(strategies: readonly Strategy[]): MetricsTable {
  const columns = Object.fromEntries(METRIC_NAMES.map((m) => [m, new Float64Array(strategies.length)])) as Record<
    MetricName,
    Float64Array
  >;
  return { ids: strategies.map((s) => s.id), columns };
}

/** Check windows and costs before any work; what every kernel thread needs besides the prices. */
export function backtestJob(
  market: Market,
  windows: { training: BarWindow; validation: BarWindow },
  costs: Costs,
): KernelJob {
  checkWindow(windows.training, market.series.close.length);
  checkWindow(windows.validation, market.series.close.length);
  return { windows, costRate: costRate(costs) };
}

export interface BacktestAllOptions {
  /** Blocks of the training window's per-block moments (CSCV, the bootstrap tests). */
  blocks: number;
  /** Also emit this selection metric's per-block figures (blockScores.ts), for CSCV ranked by it. */
  selectBy?: SelectionMetric;
  onProgress?: (done: number, total: number) => void;
}

/** How backtestAll and backtestAllReference are called: one signature, since either must give the other's results. */
type BacktestAllFunction = (
  strategies: readonly Strategy[],
  market: Market,
  windows: { training: BarWindow; validation: BarWindow },
  costs: Costs,
  options: BacktestAllOptions,
) => BacktestResults;

/**
 * Every strategy on both windows, in this thread, by the fast kernel (kernel/). Selection only ever reads the
 * training table; the validation table and the training moments feed the statistics of the whole selection process
 * (IS vs OOS rank correlation, CSCV), which need every strategy, not just the winner. The backtest stage spreads
 * the same kernel over worker threads; the results are identical.
 */
export const backtestAll: BacktestAllFunction = (strategies, market, windows, costs, options) => {
  const job = backtestJob(market, windows, costs);
  const results = emptyResults(strategies, windows, options.blocks, undefined, options.selectBy);
  const kernel = new BacktestKernel(prepareColumns(market), job, results);
  const order = kernelOrder(strategies);
  const total = strategies.length;
  const chunk = Math.max(1, Math.ceil(total / 100));
  for (let from = 0; from < total; from += chunk) {
    const rows = order.subarray(from, Math.min(total, from + chunk));
    kernel.run(
      Array.from(rows, (row) => strategies[row]),
      rows,
    );
    options.onProgress?.(from + rows.length, total);
  }
  return results;
};

/**
 * The reference for backtestAll: positions() per strategy, then walk() per window, straight from the definitions.
 * Slow and memory-hungry (it memoises every indicator column), kept for tests that prove the kernel identical.
 */
export const backtestAllReference: BacktestAllFunction = (strategies, market, windows, costs, options) => {
  const total = strategies.length;
  const training = emptyTable(strategies);
  const validation = emptyTable(strategies);
  const trainingMoments = emptyBlockMoments(
    total,
    options.blocks,
    windows.training.end - windows.training.start,
    undefined,
    options.selectBy,
  );
  const every = Math.max(1, Math.floor(total / 100));
  strategies.forEach((strategy, i) => {
    const pos = positions(strategy, market);
    const inSample = walk(pos, market, windows.training, costs, undefined, { moments: trainingMoments, row: i });
    const outOfSample = walk(pos, market, windows.validation, costs);
    for (const m of METRIC_NAMES) {
      training.columns[m][i] = inSample[m];
      validation.columns[m][i] = outOfSample[m];
    }
    if (options.onProgress && ((i + 1) % every === 0 || i + 1 === total)) options.onProgress(i + 1, total);
  });
  return { training, validation, trainingMoments };
};
