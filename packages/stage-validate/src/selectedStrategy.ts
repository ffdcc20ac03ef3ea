// Statistics about one strategy's Sharpe ratio: alone (PSR, MinTRL), and deflated for the search that found it
// (DSR, MinBTL, haircuts). Returns come from the kernel's own formula (netReturns), never from ratios of an equity
// curve, which underflow once heavy costs drive equity towards 0.
import {
  finiteOrNull,
  haircutSharpe,
  luckPValue,
  minimumBacktestLength,
  minimumTrackRecordLength,
  netReturns,
  probabilisticSharpeRatio,
  sampleMoments,
  YEAR_MS,
  type BarWindow,
  type Costs,
  type LuckOfTheBest,
  type Market,
  type OverfittingReport,
  type SharpeInference,
} from '@overfit/core';

const CONFIDENCE = 0.95;

/** PSR and MinTRL of one strategy's net returns, from its positions (computed once for both windows). */
export function sharpeInference(
  strategyId: string,
  held: Int8Array,
  market: Market,
  window: BarWindow,
  costs: Costs,
): SharpeInference {
  const m = sampleMoments(netReturns(held, market, window, costs));
  const defined = Number.isFinite(m.sharpe);
  const moments = { sharpe: m.sharpe, benchmarkSharpe: 0, skewness: m.skewness, kurtosis: m.kurtosis };
  return {
    strategyId,
    observations: m.observations,
    sharpe: finiteOrNull(m.sharpe),
    sharpeAnnual: finiteOrNull(m.sharpe * Math.sqrt(market.periodsPerYear)),
    skewness: finiteOrNull(m.skewness),
    kurtosis: finiteOrNull(m.kurtosis),
    probabilisticSharpe: defined ? probabilisticSharpeRatio({ ...moments, observations: m.observations }) : null,
    minimumTrackRecordBars:
      defined && m.sharpe > 0 ? minimumTrackRecordLength({ ...moments, confidence: CONFIDENCE }) : null,
  };
}

/**
 * DSR of `inference` after `trials` strategies whose luck is `luck` (the simulated best of them under "no skill",
 * from their own return correlations): PSR against E[max SR̂] = E[max z] / √(T − 1), the Sharpe the best of these
 * trials shows on average by luck, with the null variance 1/(T − 1) of one estimate (the spread of the trials' own
 * Sharpe ratios would include every real difference between them — skill, and fees — and put the bar out of reach).
 * `pValue` is the family-wise P(best of the trials ≥ this Sharpe) from the same draws: the test the verdict uses.
 */
export function deflatedSharpe(
  inference: SharpeInference,
  trials: number,
  luck: LuckOfTheBest,
  periodsPerYear: number,
): OverfittingReport['deflatedSharpe'] {
  const { sharpe, skewness, kurtosis, observations, strategyId } = inference;
  if (sharpe === null || skewness === null || kurtosis === null) return null;
  const expected = luck.expectedMax / Math.sqrt(observations - 1);
  let value: number, factor: number;
  try {
    value = probabilisticSharpeRatio({ sharpe, benchmarkSharpe: expected, observations, skewness, kurtosis });
    factor = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  } catch {
    return null; // moments that cannot come from one series (a near-constant one): no inference
  }
  return {
    strategyId,
    trials,
    effectiveTrials: luck.effectiveTrials,
    sharpeVariance: 1 / (observations - 1),
    expectedMaxSharpe: expected,
    expectedMaxSharpeAnnual: expected * Math.sqrt(periodsPerYear),
    sharpe,
    observations,
    skewness,
    kurtosis,
    value,
    pValue: luckPValue(luck, (sharpe * Math.sqrt(observations - 1)) / Math.sqrt(factor)),
  };
}

/** Years of history below which the independent trials can be expected to show the strategy's annual Sharpe by luck. */
export function backtestLength(
  inference: SharpeInference,
  effective: number,
  trainingBars: number,
  barMs: number,
): OverfittingReport['minimumBacktestLength'] {
  const target = inference.sharpeAnnual;
  if (target === null || !(target > 0)) return null;
  const trials = Math.max(1, Math.round(effective));
  return {
    strategyId: inference.strategyId,
    trials,
    targetSharpeAnnual: target,
    years: minimumBacktestLength({ trials, targetSharpe: target }),
    availableYears: (trainingBars * barMs) / YEAR_MS,
  };
}

/** Harvey & Liu's haircut of the strategy's Sharpe ratio for all N trials, by their per-bar Sharpe ratios. */
export function haircuts(
  inference: SharpeInference,
  allSharpes: Float64Array,
  periodsPerYear: number,
): OverfittingReport['haircut'] {
  const { sharpe, observations, strategyId, sharpeAnnual } = inference;
  if (sharpe === null || sharpeAnnual === null || allSharpes.length < 1) return null;
  const rootP = Math.sqrt(periodsPerYear);
  const methods = Object.fromEntries(
    (['bonferroni', 'holm', 'bhy'] as const).map((method) => {
      const h = haircutSharpe({ sharpe, observations, trials: allSharpes.length, method, allSharpes });
      return [method, { ...h, haircutSharpeAnnual: h.haircutSharpe * rootP }];
    }),
  ) as NonNullable<OverfittingReport['haircut']>['methods'];
  return { strategyId, sharpeAnnual, observations, trials: allSharpes.length, methods };
}
