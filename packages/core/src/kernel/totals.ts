// What one window's accounting totals to and the metrics that follow from it: shared by walk() (backtest's
// reference) and the kernel, so that both end in the same formulas and the same last additions.
import { YEAR_MS } from '../market';
import type { Metrics } from '../types';

/** What walk() accumulates over a window, from which every metric follows. */
export interface WindowTotals {
  bars: number;
  equity: number;
  maxDrawdown: number;
  sum: number;
  sumSquares: number;
  downsideSquares: number;
  negativeBars: number;
  exposed: number;
  hits: number;
  trades: number;
  wins: number;
  grossWin: number;
  grossLoss: number;
}

/** The metrics of a window from its totals; shared by walk() and the kernel so both end in the same formulas. */
export function finishMetrics(w: WindowTotals, periodsPerYear: number, barMs: number): Metrics {
  const n = w.bars;
  const rootP = Math.sqrt(periodsPerYear);
  const mean = w.sum / n;
  const variance = n > 1 ? Math.max(0, (w.sumSquares - w.sum * mean) / (n - 1)) : 0;
  const sd = Math.sqrt(variance);
  const years = (n * barMs) / YEAR_MS;
  const cagr = w.equity > 0 ? w.equity ** (1 / years) - 1 : -1;
  const { maxDrawdown, trades, grossWin, grossLoss } = w;
  return {
    totalReturn: w.equity - 1,
    cagr,
    sharpe: sd > 0 ? (mean / sd) * rootP : Number.NaN,
    sortino: w.negativeBars > 0 ? (mean / Math.sqrt(w.downsideSquares / n)) * rootP : Number.NaN,
    maxDrawdown,
    calmar: maxDrawdown > 0 ? cagr / maxDrawdown : Number.NaN,
    winRate: trades > 0 ? w.wins / trades : Number.NaN,
    hitRate: w.exposed > 0 ? w.hits / w.exposed : Number.NaN,
    trades,
    exposure: w.exposed / n,
    profitFactor:
      trades === 0
        ? Number.NaN
        : grossLoss > 0
          ? grossWin / grossLoss
          : grossWin > 0
            ? Number.POSITIVE_INFINITY
            : Number.NaN,
  };
}

/**
 * Count the trade still open at the window's edge, `result` its net return without an exit cost: the same additions
 * walk() and the kernel make in the same order, before finishMetrics().
 */
export function closeOpenTrade(w: WindowTotals, result: number): void {
  w.trades++;
  if (result > 0) {
    w.wins++;
    w.grossWin += result;
  } else w.grossLoss -= result;
}
