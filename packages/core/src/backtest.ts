// Backtesting one strategy or a list of them by the reference accounting (walk.ts): metrics, net returns and the
// equity curve of positions on a window, the buy-and-hold benchmark, costs, and the training / validation split.
// Every strategy at once by the fast kernel is in backtestAll.ts.
import { InputError } from './errors';
import type { Market } from './market';
import { positions } from './strategies';
import {
  METRIC_NAMES,
  type BarWindow,
  type Costs,
  type MetricName,
  type Metrics,
  type MetricsTable,
  type Strategy,
} from './types';
import { checkWindow, costRate, walk } from './walk';

export function evaluatePositions(pos: Int8Array, market: Market, window: BarWindow, costs: Costs): Metrics {
  return walk(pos, market, window, costs);
}

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

/** Equity after each bar of the window (length end − start), starting from 1 before the first bar. */
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
