// Every strategy on several windows of one market with one positions pass each: walk-forward scores its five folds
// this way instead of re-running every position loop on all bars for each pair of folds. Each window is accounted
// by the kernel's accountWindow exactly as the backtest stage accounts its training and validation windows, so a
// fold's metrics are bit for bit those of backtestAll with that fold as a window, in any order, chunk or thread.
import { accountWindow, changesOften, prepareColumns, kernelOrder, STATE_SLOTS, type KernelColumns } from './kernel';
import { ColumnCache, fillPositions } from './kernel/fillPositions';
import type { Market } from './market';
import { METRIC_NAMES, type BarWindow, type Costs, type MetricName, type MetricsTable, type Strategy } from './types';
import { checkWindow, costRate } from './walk';

/** The per-run constants of a windows job: the windows and (fees + slippage) / 10,000. */
export interface WindowsJob {
  windows: BarWindow[];
  costRate: number;
}

/** One metrics table per window of the job, rows in the strategies' order. */
export interface WindowsResults {
  tables: MetricsTable[];
}

type Allocate = (bytes: number) => ArrayBufferLike;

/** Check the windows and costs before any work. */
export function windowsJob(market: Market, windows: readonly BarWindow[], costs: Costs): WindowsJob {
  for (const window of windows) checkWindow(window, market.series.close.length);
  return { windows: [...windows], costRate: costRate(costs) };
}

/** Zeroed tables for `strategies` on each window; with `allocate = shared` every thread writes its rows in place. */
export function emptyWindowsResults(
  strategies: readonly Strategy[],
  windows: number,
  allocate: Allocate = (b) => new ArrayBuffer(b),
): WindowsResults {
  const ids = strategies.map((s) => s.id);
  const table = (): MetricsTable => ({
    ids: [...ids],
    columns: Object.fromEntries(METRIC_NAMES.map((m) => [m, new Float64Array(allocate(8 * ids.length))])) as Record<
      MetricName,
      Float64Array
    >,
  });
  return { tables: Array.from({ length: windows }, table) };
}

/** One thread's kernel for a windows job: positions buffer, accounting state and indicator cache reused throughout. */
export class WindowsKernel {
  private readonly pos: Int8Array;
  private readonly state = new Float64Array(STATE_SLOTS);
  private readonly cache = new ColumnCache();

  constructor(
    private readonly columns: KernelColumns,
    private readonly job: WindowsJob,
    private readonly results: WindowsResults,
  ) {
    this.pos = new Int8Array(columns.close.length);
  }

  /** Strategies[i] on every window into row rows[i] of each table. */
  run(strategies: readonly Strategy[], rows: ArrayLike<number>): void {
    const { columns: k, job, pos, state, results } = this;
    for (let i = 0; i < strategies.length; i++) {
      fillPositions(strategies[i], k, this.cache, pos);
      const dense = changesOften(pos);
      job.windows.forEach((w, j) => {
        const metrics = accountWindow(pos, k, w.start, w.end, job.costRate, state, undefined, dense);
        const columns = results.tables[j].columns;
        for (const m of METRIC_NAMES) columns[m][rows[i]] = metrics[m];
      });
    }
  }
}

/** Every strategy on every window, in this thread (the statistics put the same kernel on the worker pool). */
export function backtestWindows(
  strategies: readonly Strategy[],
  market: Market,
  windows: readonly BarWindow[],
  costs: Costs,
): WindowsResults {
  const results = emptyWindowsResults(strategies, windows.length);
  const kernel = new WindowsKernel(prepareColumns(market), windowsJob(market, windows, costs), results);
  const order = kernelOrder(strategies);
  kernel.run(
    Array.from(order, (row) => strategies[row]),
    order,
  );
  return results;
}
