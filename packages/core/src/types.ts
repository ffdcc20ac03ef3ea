// The shared vocabulary of the engine: price columns, strategy records, costs, windows, metrics.

/** OHLCV bars as typed columns, oldest first. `time` is the bar's open time in epoch milliseconds (UTC). */
export interface PriceSeries {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** False when the source had only closes: open/high/low are then copies of close. */
  readonly hasOhlc: boolean;
}

/** Zeroed columns of `bars` bars, for code that fills a PriceSeries bar by bar (synthesis, resampling). */
export function emptyPriceColumns(bars: number): Omit<PriceSeries, 'hasOhlc'> {
  return {
    time: new Float64Array(bars),
    open: new Float64Array(bars),
    high: new Float64Array(bars),
    low: new Float64Array(bars),
    close: new Float64Array(bars),
    volume: new Float64Array(bars),
  };
}

// The strategy records and their families are a contract (JSON in events, files and flags): see contracts/strategy.ts.
export {
  DIRECTIONS,
  STRATEGY_FAMILIES,
  type BollingerStrategy,
  type CoinFlipStrategy,
  type Direction,
  type DonchianBreakoutStrategy,
  type EmaCrossStrategy,
  type MacdStrategy,
  type MomentumStrategy,
  type RsiReversionStrategy,
  type SeasonalStrategy,
  type SmaCrossStrategy,
  type Strategy,
  type StrategyFamily,
} from './contracts/strategy';

/** Trading costs in basis points, charged on every position change: (fees + slippage) × |Δposition| of equity. */
export interface Costs {
  feesBps: number;
  slippageBps: number;
}

/** Half-open range of bar indices [start, end). A bar's return (close[t-1] → close[t]) belongs to bar t. */
export interface BarWindow {
  start: number;
  end: number;
}

export const METRIC_NAMES = [
  'totalReturn',
  'cagr',
  'sharpe',
  'sortino',
  'maxDrawdown',
  'calmar',
  'winRate',
  'hitRate',
  'trades',
  'exposure',
  'profitFactor',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * Metrics of one strategy on one window.
 * NaN where undefined (e.g. Sharpe of a constant series, win rate without trades).
 */
export type Metrics = Record<MetricName, number>;

/** Metrics of many strategies on one window as columns: row i belongs to ids[i]. Nothing per bar is kept. */
export interface MetricsTable {
  ids: string[];
  columns: Record<MetricName, Float64Array>;
}

/**
 * Per-strategy moments of net per-bar returns over contiguous blocks of one window: what CSCV (the Sharpe of any
 * union of blocks) and block-level bootstraps need, without an N × T matrix. Block b of a window [start, end)
 * covers bars start + b·blockBars … start + (b+1)·blockBars − 1, blockBars = ⌊(end − start) / blocks⌋; the
 * remainder at the end is dropped. Row-major: strategy i, block b at index i·blocks + b.
 */
export interface BlockMoments {
  strategies: number;
  blocks: number;
  blockBars: number;
  /** Σ r over the block's bars. */
  sum: Float64Array;
  /** Σ r² over the block's bars. */
  sumSquares: Float64Array;
  /** Trades that closed in the block (a trade counts where it ends): min-trades eligibility on any union of blocks. */
  trades: Float64Array;
  /**
   * The selection metric's two additive components per block (see BLOCK_SCORES in blockScores.ts), so CSCV can
   * rank strategies by the metric the run selects by on any union of blocks; null when the metric is read from
   * `sum` and `sumSquares` (Sharpe) or no metric was given.
   */
  selection: { metric: string; x: Float64Array; y: Float64Array } | null;
}
