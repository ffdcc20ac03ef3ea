// The accounting: positions + prices + costs → net returns, equity, trades and metrics on a window of bars.
//
// Bar t's gross return is r[t] = close[t]/close[t−1] − 1 (r[0] = 0), earned by the position held over it,
// h[t] = pos[t−1] (h[0] = 0). A position change at close t costs c·|pos[t] − pos[t−1]| of equity, with
// c = (fees + slippage) / 10,000, and belongs to bar t, the bar whose close it happens at. So bar t's net return is
// (1 + h[t]·r[t]) · (1 − c·|pos[t] − pos[t−1]|) − 1. A window [start, end) scores bars start … end−1 only, but
// positions come from all earlier bars: a position open at close start−1 is carried in at no cost.
import { BLOCK_SCORES, blockChange, logEquity, type BlockComponent } from './blockScores';
import { InputError } from './errors';
import {
  BacktestKernel,
  emptyBlockMoments,
  emptyResults,
  finishMetrics,
  kernelOrder,
  prepareColumns,
  type BacktestResults,
  type KernelJob,
} from './kernel';
import type { Market } from './market';
import type { SelectionMetric } from './metrics';
import { positions } from './strategies';
import {
  METRIC_NAMES,
  type BarWindow,
  type BlockMoments,
  type Costs,
  type MetricName,
  type Metrics,
  type MetricsTable,
  type Strategy,
} from './types';

function costRate(costs: Costs): number {
  const { feesBps, slippageBps } = costs;
  if (!(Number.isFinite(feesBps) && feesBps >= 0) || !(Number.isFinite(slippageBps) && slippageBps >= 0)) {
    throw new InputError(
      `fees and slippage must be finite and ≥ 0 basis points (got ${feesBps}, ${slippageBps})`,
      'costs',
    );
  }
  return (feesBps + slippageBps) / 10_000;
}

function checkWindow(window: BarWindow, bars: number): void {
  const { start, end } = window;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > bars || end - start < 1) {
    throw new InputError(`must be whole bars within 0…${bars} with at least one bar (got ${start}…${end})`, 'window');
  }
}

/**
 * One pass over the window. Fills `curve` (equity after each bar) when given. Trades: a maximal run of bars holding
 * the same non-zero position; its net return multiplies its bars' gross returns with the cost of its entry leg and
 * of its exit leg, each c·|position|, when that leg happens at a close inside the window. A trade cut by the window's
 * edge counts with its bars inside; a position opened at close end−1 has no bar in the window and is not counted.
 */
/** Where walk() adds a strategy's per-block Σr, Σr², trades and selection figures (its row of a BlockMoments). */
interface MomentsSink {
  moments: BlockMoments;
  row: number;
}

/** walk()'s running totals by the names of the per-block figures (blockScores.ts). */
type RunningTotals = Record<BlockComponent, number>;

function walk(
  pos: Int8Array,
  market: Market,
  window: BarWindow,
  costs: Costs,
  curve?: Float64Array,
  sink?: MomentsSink,
): Metrics {
  const close = market.series.close;
  checkWindow(window, close.length);
  const c = costRate(costs);
  const { start, end } = window;
  const n = end - start;

  let equity = 1,
    peak = 1,
    maxDrawdown = 0;
  let sum = 0,
    sumSquares = 0,
    downsideSquares = 0,
    negativeBars = 0;
  let exposed = 0,
    hits = 0;
  let trades = 0,
    wins = 0,
    grossWin = 0,
    grossLoss = 0;
  let tradeFactor = 1; // 1 + the open trade's net return so far
  let tradeHasBars = false;
  const blockBars = sink ? sink.moments.blockBars : 0;
  const momentsEnd = sink ? start + sink.moments.blocks * blockBars : start;
  const momentsBase = sink ? sink.row * sink.moments.blocks : 0;
  const selection = sink?.moments.selection;
  const components = selection ? BLOCK_SCORES[selection.metric as SelectionMetric].components : null;
  // Running totals at the previous block's end: each block's figures are their changes, as in the kernel.
  let previous = { trades: 0, x: 0, y: 0 };
  const totals = (): RunningTotals => ({
    wins,
    trades,
    grossWin,
    grossLoss,
    hits,
    exposed,
    logGrowth: logEquity(equity),
    sum,
    downsideSquares,
  });

  for (let t = start; t < end; t++) {
    const held = t > 0 ? pos[t - 1] : 0;
    const next = pos[t];
    const gross = t > 0 ? 1 + held * (close[t] / close[t - 1] - 1) : 1;
    const net = gross * (1 - c * Math.abs(next - held)) - 1;

    equity *= 1 + net;
    if (equity > peak) peak = equity;
    else if (1 - equity / peak > maxDrawdown) maxDrawdown = 1 - equity / peak;
    if (curve) curve[t - start] = equity;
    sum += net;
    sumSquares += net * net;
    if (t < momentsEnd) {
      const at = momentsBase + Math.floor((t - start) / blockBars);
      sink!.moments.sum[at] += net;
      sink!.moments.sumSquares[at] += net * net;
    }
    if (net < 0) {
      downsideSquares += net * net;
      negativeBars++;
    }
    if (held !== 0) {
      exposed++;
      if (net > 0) hits++;
      tradeFactor *= gross;
      tradeHasBars = true;
    }
    if (next !== held) {
      if (held !== 0) {
        const result = tradeFactor * (1 - c) - 1; // exit leg; |held| = 1
        trades++;
        if (result > 0) {
          wins++;
          grossWin += result;
        } else grossLoss -= result;
      }
      tradeFactor = next !== 0 ? 1 - c : 1; // entry leg
      tradeHasBars = false;
    }
    if (t < momentsEnd && (t - start + 1) % blockBars === 0) {
      const at = momentsBase + (t - start + 1) / blockBars - 1;
      const now = totals();
      const current = { trades, x: components ? now[components[0]] : 0, y: components ? now[components[1]] : 0 };
      sink!.moments.trades[at] = current.trades - previous.trades;
      if (selection) {
        selection.x[at] = blockChange(current.x, previous.x);
        selection.y[at] = blockChange(current.y, previous.y);
      }
      previous = current;
    }
  }
  if (pos[end - 1] !== 0 && tradeHasBars) {
    const result = tradeFactor - 1; // still open at the window's edge: no exit cost inside the window
    trades++;
    if (result > 0) {
      wins++;
      grossWin += result;
    } else grossLoss -= result;
  }

  return finishMetrics(
    {
      bars: n,
      equity,
      maxDrawdown,
      sum,
      sumSquares,
      downsideSquares,
      negativeBars,
      exposed,
      hits,
      trades,
      wins,
      grossWin,
      grossLoss,
    },
    market.periodsPerYear,
    market.barMs,
  );
}

export function evaluatePositions(pos: Int8Array, market: Market, window: BarWindow, costs: Costs): Metrics {
  return walk(pos, market, window, costs);
}

/** Equity after each bar of the window (length end − start), starting from 1 before the first bar. */
/**
 * Net per-bar returns of positions over a window: bar t's (1 + h[t]·r[t]) · (1 − c·|pos[t] − pos[t−1]|) − 1, the
 * value walk() sums. Statistics read these, not ratios of the equity curve, which underflows under heavy costs.
 */
export function netReturns(pos: Int8Array, market: Market, window: BarWindow, costs: Costs): Float64Array {
  const close = market.series.close;
  checkWindow(window, close.length);
  const c = costRate(costs);
  const out = new Float64Array(window.end - window.start);
  for (let t = window.start; t < window.end; t++) {
    const held = t > 0 ? pos[t - 1] : 0;
    const gross = t > 0 ? 1 + held * (close[t] / close[t - 1] - 1) : 1;
    out[t - window.start] = gross * (1 - c * Math.abs(pos[t] - held)) - 1;
  }
  return out;
}

export function equityCurve(pos: Int8Array, market: Market, window: BarWindow, costs: Costs): Float64Array {
  const curve = new Float64Array(window.end - window.start);
  walk(pos, market, window, costs, curve);
  return curve;
}

export function backtestStrategy(strategy: Strategy, market: Market, window: BarWindow, costs: Costs): Metrics {
  return walk(positions(strategy, market), market, window, costs);
}

/** No fees and no slippage: the costs of the buy-and-hold benchmark. */
export const NO_COSTS: Readonly<Costs> = Object.freeze({ feesBps: 0, slippageBps: 0 });

/** A run's costs out of its config (or anything else that has them): only the two figures the accounting reads. */
export const costsOf = ({ feesBps, slippageBps }: Costs): Costs => ({ feesBps, slippageBps });

/** Long on every bar of the window, no costs: the benchmark every strategy is shown beside. */
export function buyAndHold(market: Market, window: BarWindow): Metrics {
  return walk(new Int8Array(market.series.close.length).fill(1), market, window, NO_COSTS);
}

/** Every strategy on one window: one position pass and one accounting pass each, metrics kept as columns. */
export function backtestStrategies(
  strategies: readonly Strategy[],
  market: Market,
  window: BarWindow,
  costs: Costs,
  onProgress?: (done: number, total: number) => void,
): MetricsTable {
  const total = strategies.length;
  const columns = Object.fromEntries(METRIC_NAMES.map((m) => [m, new Float64Array(total)])) as Record<
    MetricName,
    Float64Array
  >;
  const every = Math.max(1, Math.floor(total / 100));
  strategies.forEach((strategy, i) => {
    const metrics = backtestStrategy(strategy, market, window, costs);
    for (const m of METRIC_NAMES) columns[m][i] = metrics[m];
    if (onProgress && ((i + 1) % every === 0 || i + 1 === total)) onProgress(i + 1, total);
  });
  return { ids: strategies.map((s) => s.id), columns };
}

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

/**
 * Every strategy on both windows, in this thread, by the fast kernel (kernel/). Selection only ever reads the
 * training table; the validation table and the training moments feed the statistics of the whole selection process
 * (IS vs OOS rank correlation, CSCV), which need every strategy, not just the winner. The backtest stage spreads
 * the same kernel over worker threads; the results are identical.
 */
export function backtestAll(
  strategies: readonly Strategy[],
  market: Market,
  windows: { training: BarWindow; validation: BarWindow },
  costs: Costs,
  options: BacktestAllOptions,
): BacktestResults {
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
}

/**
 * The reference for backtestAll: positions() per strategy, then walk() per window, straight from the definitions.
 * Slow and memory-hungry (it memoises every indicator column), kept for tests that prove the kernel identical.
 */
export function backtestAllReference(
  strategies: readonly Strategy[],
  market: Market,
  windows: { training: BarWindow; validation: BarWindow },
  costs: Costs,
  options: BacktestAllOptions,
): BacktestResults {
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
}

/** Training = the first ⌊bars × trainFraction⌋ bars, validation = the rest; both need at least 2 bars. */
export function splitWindows(bars: number, trainFraction: number): { training: BarWindow; validation: BarWindow } {
  if (!(trainFraction > 0 && trainFraction < 1))
    throw new InputError(`must be strictly between 0 and 1 (got ${trainFraction})`, 'trainFraction');
  const split = Math.floor(bars * trainFraction);
  if (split < 2 || bars - split < 2) {
    throw new InputError(
      `${bars} bars split at ${trainFraction} leave ${split} for training and ${bars - split} for validation; each needs at least 2`,
      'trainFraction',
    );
  }
  return { training: { start: 0, end: split }, validation: { start: split, end: bars } };
}
