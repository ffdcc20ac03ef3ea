// The fast backtest kernel: every strategy on both windows with no per-bar allocation and no N × T matrix. For each
// strategy, one family-specific loop fills a reused Int8Array of positions (kept in cache: 1 byte a bar), then one
// accounting loop per window turns them into metrics and block moments written straight into the result columns.
// Results are bit for bit those of backtestAllReference() (backtestAll.ts), whatever the order, the chunking or the
// thread a strategy runs in: each strategy's numbers depend on that strategy and the prices only.
import { BLOCK_SCORES } from '../blockScores';
import { InputError } from '../errors';
import type { SelectionMetric } from '../metrics';
import {
  METRIC_NAMES,
  type BarWindow,
  type BlockMoments,
  type MetricName,
  type MetricsTable,
  type Strategy,
} from '../types';
import { STATE_SLOTS } from './accounting';
import type { KernelColumns } from './columns';
import { ColumnCache, fillPositions, kernelOrderKey } from './fillPositions';
import { accountWindow, componentSlot } from './window';

export { prepareColumns, shared, type KernelColumns } from './columns';
export { STATE_SLOTS } from './accounting';
export { finishMetrics, type WindowTotals } from './totals';
export { accountWindow, componentSlot } from './window';

/** What the backtest stage computes for every strategy: metrics on both windows, block moments of training. */
export interface BacktestResults {
  training: MetricsTable;
  validation: MetricsTable;
  /** Net per-bar return moments over the training window, `blocks` contiguous blocks per strategy. */
  trainingMoments: BlockMoments;
}

/** The per-run constants every kernel (one per thread) shares. */
export interface KernelJob {
  windows: { training: BarWindow; validation: BarWindow };
  /** (fees + slippage) / 10,000. */
  costRate: number;
}

type Allocate = (bytes: number) => ArrayBufferLike;

/**
 * Empty per-block moments for `strategies` rows over a window of `bars` bars cut into `blocks` blocks, with room
 * for the per-block figures of `selectBy` when it is not Sharpe-based.
 */
export function emptyBlockMoments(
  strategies: number,
  blocks: number,
  bars: number,
  allocate: Allocate = (b) => new ArrayBuffer(b),
  selectBy?: SelectionMetric,
): BlockMoments {
  if (!Number.isInteger(blocks) || blocks < 1 || blocks > bars) {
    throw new InputError(`must be a whole number between 1 and the window's ${bars} bars (got ${blocks})`, 'blocks');
  }
  const column = () => new Float64Array(allocate(8 * strategies * blocks));
  return {
    strategies,
    blocks,
    blockBars: Math.floor(bars / blocks),
    sum: column(),
    sumSquares: column(),
    trades: column(),
    selection: selectBy && BLOCK_SCORES[selectBy].components ? { metric: selectBy, x: column(), y: column() } : null,
  };
}

function emptyTable(ids: string[], allocate: Allocate): MetricsTable {
  const columns = Object.fromEntries(
    METRIC_NAMES.map((m) => [m, new Float64Array(allocate(8 * ids.length))]),
  ) as Record<MetricName, Float64Array>;
  return { ids, columns };
}

/** Result columns for `strategies`, zeroed; with `allocate = shared` every thread can write its rows in place. */
export function emptyResults(
  strategies: readonly Strategy[],
  windows: KernelJob['windows'],
  blocks: number,
  allocate: Allocate = (b) => new ArrayBuffer(b),
  selectBy?: SelectionMetric,
): BacktestResults {
  const ids = strategies.map((s) => s.id);
  return {
    training: emptyTable(ids, allocate),
    validation: emptyTable([...ids], allocate),
    trainingMoments: emptyBlockMoments(
      strategies.length,
      blocks,
      windows.training.end - windows.training.start,
      allocate,
      selectBy,
    ),
  };
}

/**
 * Row indices in the order the kernel should process them: by family and cached parameter, so a column computed
 * for one strategy serves the next ones. Ties keep their input order.
 */
export function kernelOrder(strategies: readonly Strategy[]): Int32Array {
  const keys = strategies.map(kernelOrderKey);
  const order = Int32Array.from(strategies, (_, i) => i);
  return order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
}

/**
 * Whether positions change on more than 15 % of bars (measured on a sample of up to 8,192 bars): there the
 * branch-free accounting loop is faster (coin_flip changes on half the bars, seasonal on a fifth), below it the
 * run-by-run loop is (every other family changes on 1–9 % of hourly BTC bars). Only speed depends on this.
 */
export function changesOften(pos: Int8Array): boolean {
  const from = pos.length >> 2;
  const to = Math.min(pos.length, from + 8192);
  let changes = 0;
  for (let t = from + 1; t < to; t++) changes += +(pos[t] !== pos[t - 1]);
  return changes > 0.15 * (to - from);
}

/** One thread's kernel: its positions buffer, accounting state and indicator cache, reused for every strategy. */
export class BacktestKernel {
  private readonly pos: Int8Array;
  private readonly state = new Float64Array(STATE_SLOTS);
  private readonly cache = new ColumnCache();

  constructor(
    private readonly columns: KernelColumns,
    private readonly job: KernelJob,
    private readonly results: BacktestResults,
  ) {
    this.pos = new Int8Array(columns.close.length);
  }

  /** Backtest strategies[i] into result row rows[i]. */
  run(strategies: readonly Strategy[], rows: ArrayLike<number>): void {
    const { columns: k, job, pos, state, results } = this;
    const { training, validation } = job.windows;
    const moments = results.trainingMoments;
    const components = moments.selection && BLOCK_SCORES[moments.selection.metric as SelectionMetric].components;
    const selection =
      moments.selection && components
        ? {
            x: moments.selection.x,
            y: moments.selection.y,
            slots: [componentSlot(components[0]), componentSlot(components[1])] as const,
          }
        : null;
    for (let i = 0; i < strategies.length; i++) {
      const row = rows[i];
      const strategy = strategies[i];
      fillPositions(strategy, k, this.cache, pos);
      const dense = changesOften(pos);
      const inSample = accountWindow(
        pos,
        k,
        training.start,
        training.end,
        job.costRate,
        state,
        {
          blocks: moments.blocks,
          blockBars: moments.blockBars,
          sum: moments.sum,
          sumSquares: moments.sumSquares,
          trades: moments.trades,
          selection,
          row,
        },
        dense,
      );
      const outOfSample = accountWindow(
        pos,
        k,
        validation.start,
        validation.end,
        job.costRate,
        state,
        undefined,
        dense,
      );
      for (const m of METRIC_NAMES) {
        results.training.columns[m][row] = inSample[m];
        results.validation.columns[m][row] = outOfSample[m];
      }
    }
  }
}
