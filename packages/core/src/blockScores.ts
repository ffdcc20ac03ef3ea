// A selection metric on any union of blocks of the training window, from per-block figures the kernel emits. CSCV
// (PBO) asks, for thousands of half/half splits, which strategy the run's own selection would have picked on one
// half and where it ranks on the other; that needs the metric the run selects by, not always the Sharpe ratio.
// Each metric is a function of two figures that add up over blocks (wins and trades for the win rate, …). A trade
// or a run of held bars counts in the block where it ends.
import type { SelectionMetric } from './metrics';

/** Per-block figures the kernel can emit: changes of its running totals over the block. */
export type BlockComponent =
  | 'wins'
  | 'trades'
  | 'grossWin'
  | 'grossLoss'
  | 'hits'
  | 'exposed'
  | 'logGrowth'
  | 'sum'
  | 'downsideSquares';

/**
 * A block's figure from the running totals at its start and end. Equal totals give 0, also when both are −∞ (the
 * log growth of equity ruined in an earlier block), so the figure is never NaN and both backtests give the same bits.
 */
export const blockChange = (end: number, start: number): number => (end === start ? 0 : end - start);

/** ln(equity) as a running total; −∞ once equity is gone (costs above 100 % can even make it negative). */
export const logEquity = (equity: number): number => (equity > 0 ? Math.log(equity) : Number.NEGATIVE_INFINITY);

export interface BlockScore {
  /** The two per-block figures; null: the metric is the Sharpe ratio of the blocks' Σr and Σr². */
  components: readonly [BlockComponent, BlockComponent] | null;
  /** The metric from the figures summed over some blocks spanning `bars` bars; higher is better, NaN undefined. */
  score: (x: number, y: number, bars: number) => number;
  /** What CSCV ranks by, for people. */
  label: string;
}

/** Per-bar Sharpe ratio from n, Σr and Σr²; NaN for a series without variation. */
export function sharpeOfSums(x: number, y: number, bars: number): number {
  const mean = x / bars;
  const variance = (y - x * mean) / (bars - 1);
  return variance > 0 ? mean / Math.sqrt(variance) : Number.NaN;
}

const ratio = (x: number, y: number) => (y > 0 ? x / y : Number.NaN);

export const BLOCK_SCORES: Record<SelectionMetric, BlockScore> = {
  sharpe: { components: null, score: sharpeOfSums, label: 'Sharpe ratio' },
  // Max drawdown does not add up over blocks: Calmar selections are ranked by Sharpe, and the report says so.
  calmar: {
    components: null,
    score: sharpeOfSums,
    label: 'Sharpe ratio (Calmar needs a drawdown, which does not split into blocks)',
  },
  win_rate: { components: ['wins', 'trades'], score: ratio, label: 'win rate' },
  hit_rate: { components: ['hits', 'exposed'], score: ratio, label: 'hit rate' },
  profit_factor: {
    components: ['grossWin', 'grossLoss'],
    score: (x, y) => (y > 0 ? x / y : x > 0 ? Number.POSITIVE_INFINITY : Number.NaN),
    label: 'profit factor',
  },
  // Compounded growth is the product of the blocks' growth factors, so Σ log-growth ranks as total return and CAGR.
  total_return: { components: ['logGrowth', 'trades'], score: (x) => x, label: 'total return (log growth)' },
  cagr: { components: ['logGrowth', 'trades'], score: (x) => x, label: 'CAGR (log growth)' },
  sortino: {
    components: ['sum', 'downsideSquares'],
    score: (x, y, bars) => (y > 0 ? x / bars / Math.sqrt(y / bars) : Number.NaN),
    label: 'Sortino ratio',
  },
};
