// The accounting: positions + prices + costs → net returns, equity, trades and metrics on a window of bars.
//
// Bar t's gross return is r[t] = close[t]/close[t−1] − 1 (r[0] = 0), earned by the position held over it,
// h[t] = pos[t−1] (h[0] = 0). A position change at close t costs c·|pos[t] − pos[t−1]| of equity, with
// c = (fees + slippage) / 10,000, and belongs to bar t, the bar whose close it happens at. So bar t's net return is
// (1 + h[t]·r[t]) · (1 − c·|pos[t] − pos[t−1]|) − 1. A window [start, end) scores bars start … end−1 only, but
// positions come from all earlier bars: a position open at close start−1 is carried in at no cost.
//
// walk() states this definition in one plain pass; the fast kernel (kernel/) is checked bit for bit against it.
import { BLOCK_SCORES, blockChange, logEquity, type BlockComponent } from './blockScores';
import { InputError } from './errors';
import { closeOpenTrade, finishMetrics, type WindowTotals } from './kernel/totals';
import type { Market } from './market';
import type { SelectionMetric } from './metrics';
import type { BarWindow, BlockMoments, Costs, Metrics } from './types';

/** (fees + slippage) / 10,000, once both are checked. */
export function costRate(costs: Costs): number {
  const { feesBps, slippageBps } = costs;
  if (!(Number.isFinite(feesBps) && feesBps >= 0) || !(Number.isFinite(slippageBps) && slippageBps >= 0)) {
    throw new InputError(
      `fees and slippage must be finite and ≥ 0 basis points (got ${feesBps}, ${slippageBps})`,
      'costs',
    );
  }
  return (feesBps + slippageBps) / 10_000;
}

export function checkWindow(window: BarWindow, bars: number): void {
  const { start, end } = window;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > bars || end - start < 1) {
    throw new InputError(`must be whole bars within 0…${bars} with at least one bar (got ${start}…${end})`, 'window');
  }
}

/** Where walk() adds a strategy's per-block Σr, Σr², trades and selection figures (its row of a BlockMoments). */
interface MomentsSink {
  moments: BlockMoments;
  row: number;
}

/** walk()'s running totals by the names of the per-block figures (blockScores.ts). */
type RunningTotals = Record<BlockComponent, number>;

/**
 * One pass over the window. Fills `curve` (equity after each bar) when given. Trades: a maximal run of bars holding
 * the same non-zero position; its net return multiplies its bars' gross returns with the cost of its entry leg and
 * of its exit leg, each c·|position|, when that leg happens at a close inside the window. A trade cut by the window's
 * edge counts with its bars inside; a position opened at close end−1 has no bar in the window and is not counted.
 */
export function walk(
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
  const windowTotals: WindowTotals = {
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
  };
  // Still open at the window's edge: no exit cost inside the window.
  if (pos[end - 1] !== 0 && tradeHasBars) closeOpenTrade(windowTotals, tradeFactor - 1);
  return finishMetrics(windowTotals, market.periodsPerYear, market.barMs);
}
