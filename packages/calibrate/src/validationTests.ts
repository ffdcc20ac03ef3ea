// Which out-of-sample test should the verdict use? This measures the candidates' size where the null holds: on
// no-edge markets at 0 bps, select the best of N strategies on training exactly as a run does (no report, no null
// markets: the out-of-sample test is about the selected strategy only), then test its validation returns with each
// candidate and count how often each rejects "no edge" at 5 %. Run by `npm run bench:validation-tests`; the
// result and the choice are in docs/verdict.md.
//   psr     1 − PSR(SR > 0) of the per-bar net returns, with their sample skewness and kurtosis (what the verdict uses)
//   z       1 − Φ(SR·√T): the same without the higher moments
//   hac     Newey–West: the mean's standard error from the long-run variance (Bartlett, L = ⌊4(T/100)^(2/9)⌋)
//   trades  Student t with n − 1 degrees of freedom on the n trades' summed returns (a trade: bars held on one side)
import {
  backtestAll,
  createMarket,
  DEFAULT_RUN_CONFIG,
  generateStrategies,
  netReturns,
  NO_COSTS,
  normalCdf,
  positions,
  probabilisticSharpeRatio,
  rankEligible,
  sampleMoments,
  splitWindows,
  type SelectionMetric,
} from '@overfit/core';
import { deriveSeed } from './calibrate';
import type { MarketKind } from './marketKinds';
import { generateMarket } from './markets';
import type { RealSource } from './realSource';
import { PIPELINE_BLOCKS } from './runInMemory';
import { studentTSurvival } from './studentT';

export const VALIDATION_TESTS = ['psr', 'z', 'hac', 'trades'] as const;
type ValidationTestName = (typeof VALIDATION_TESTS)[number];

export interface ValidationSample {
  market: MarketKind;
  selectBy: SelectionMetric;
  run: number;
  trades: number;
  /** p-value of each candidate; null where it is undefined (no variance, fewer than 3 trades). */
  p: Record<ValidationTestName, number | null>;
}

/** Newey–West one-sided p-value of "mean ≤ 0". */
export function hacPValue(r: ArrayLike<number>): number | null {
  const n = r.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += r[i];
  mean /= n;
  const lags = Math.floor(4 * (n / 100) ** (2 / 9));
  const autocovariance = (lag: number) => {
    let s = 0;
    for (let i = lag; i < n; i++) s += (r[i] - mean) * (r[i - lag] - mean);
    return s / n;
  };
  let longRun = autocovariance(0);
  for (let l = 1; l <= lags; l++) longRun += 2 * (1 - l / (lags + 1)) * autocovariance(l);
  // a constant series has only rounding noise around its mean: no inference
  return longRun > 1e-14 * mean * mean && longRun > 0 ? 1 - normalCdf(mean / Math.sqrt(longRun / n)) : null;
}

/** Summed net returns of each trade: maximal runs of bars held on the same side (held at bar t is pos[t − 1]). */
export function tradeReturns(returns: ArrayLike<number>, pos: Int8Array, start: number): number[] {
  const trades: number[] = [];
  let sum = 0;
  let side = 0;
  for (let i = 0; i < returns.length; i++) {
    const held = start + i > 0 ? pos[start + i - 1] : 0;
    if (held !== side) {
      if (side !== 0) trades.push(sum);
      sum = 0;
      side = held;
    }
    sum += returns[i];
  }
  if (side !== 0) trades.push(sum);
  return trades;
}

function tradesPValue(trades: number[]): number | null {
  const n = trades.length;
  if (n < 3) return null;
  const mean = trades.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(trades.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return sd > 0 ? studentTSurvival((mean / sd) * Math.sqrt(n), n - 1) : null;
}

/** One selection on one no-edge market (0 bps, the run's other defaults) and every candidate's p-value. */
export function validationSample(
  market: MarketKind,
  selectBy: SelectionMetric,
  run: number,
  options: { seed: number; bars: number; source: RealSource | null },
): ValidationSample {
  const { series } = generateMarket(market, {
    bars: options.bars,
    seed: deriveSeed(options.seed, market, run, 'market'),
    source: options.source,
  });
  const m = createMarket(series);
  const windows = splitWindows(options.bars, DEFAULT_RUN_CONFIG.trainFraction);
  const strategies = generateStrategies({
    count: DEFAULT_RUN_CONFIG.strategies,
    seed: deriveSeed(options.seed, run, 'strategies'),
    families: DEFAULT_RUN_CONFIG.families,
  });
  const results = backtestAll(strategies, m, windows, NO_COSTS, { blocks: PIPELINE_BLOCKS, selectBy });
  const ranked = rankEligible(results.training, { selectBy, minTrades: DEFAULT_RUN_CONFIG.minTrades });
  const held = positions(strategies[ranked[0]], m);
  const r = netReturns(held, m, windows.validation, NO_COSTS);
  const trades = tradeReturns(r, held, windows.validation.start);
  const moments = sampleMoments(r);
  const defined = Number.isFinite(moments.sharpe) && Number.isFinite(moments.kurtosis);
  const psr = defined
    ? 1 -
      probabilisticSharpeRatio({
        sharpe: moments.sharpe,
        benchmarkSharpe: 0,
        observations: moments.observations,
        skewness: moments.skewness,
        kurtosis: moments.kurtosis,
      })
    : null;
  return {
    market,
    selectBy,
    run,
    trades: trades.length,
    p: {
      psr,
      z: defined ? 1 - normalCdf(moments.sharpe * Math.sqrt(moments.observations)) : null,
      hac: defined ? hacPValue(r) : null,
      trades: tradesPValue(trades),
    },
  };
}
