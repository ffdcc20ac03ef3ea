// The selection as the run makes it, and PBO of that selection: shared by the real market and the null markets,
// so both are judged by exactly the same rule.
import {
  BLOCK_SCORES,
  finiteOrNull,
  probabilityOfBacktestOverfitting,
  sharpeOfSums,
  type BlockMoments,
  type BlockScores,
  type OverfittingReport,
  type RunConfig,
} from '@overfit/core';

const PBO_PARTITIONS = 16;
const PBO_FULL_STRATEGIES = 20_000;
const PBO_SAMPLED_SPLITS = 2_000;

/** The row the select stage would pick among the first `rows` (core's selection rule); -1 when none is eligible. */
export { selectedRow } from '@overfit/core';

/** The largest of 16, 8, 4, 2 that divides the block count: CSCV needs whole blocks per partition. */
function partitionsFor(blocks: number): number | null {
  return [PBO_PARTITIONS, 8, 4, 2].find((s) => blocks % s === 0 && blocks >= s) ?? null;
}

/**
 * The moments as CSCV input ranked by the run's selection metric, with the run's eligibility: a strategy can win a
 * half only with min-trades/2 trades there (half the training window needs half the trades).
 */
function selectionScores(moments: BlockMoments, config: RunConfig): BlockScores {
  const spec = BLOCK_SCORES[config.selectBy];
  const perBlock = moments.selection && spec.components ? moments.selection : { x: moments.sum, y: moments.sumSquares };
  return {
    strategies: moments.strategies,
    blocks: moments.blocks,
    blockBars: moments.blockBars,
    x: perBlock.x,
    y: perBlock.y,
    score: spec.components ? spec.score : sharpeOfSums,
    label: spec.label,
    eligibility: { counts: moments.trades, minimum: Math.ceil(config.minTrades / 2) },
  };
}

/** PBO of the run's selection rule on the training window's blocks; null when the window is too short for CSCV. */
export function selectionPbo(moments: BlockMoments, config: RunConfig, maxSplits?: number): OverfittingReport['pbo'] {
  const partitions = partitionsFor(moments.blocks);
  const n = moments.strategies;
  if (partitions === null || n < 2 || (moments.blocks / partitions) * moments.blockBars * (partitions / 2) < 2)
    return null;
  const scores = selectionScores(moments, config);
  const splits = maxSplits ?? (n > PBO_FULL_STRATEGIES ? PBO_SAMPLED_SPLITS : undefined);
  const r = probabilityOfBacktestOverfitting(scores, { partitions, maxSplits: splits, seed: config.seed });
  return {
    source: 'training block moments',
    blocks: moments.blocks,
    blockBars: moments.blockBars,
    partitions,
    barsPerPartition: r.barsPerPartition,
    rankedBy: scores.label ?? config.selectBy,
    minimumTradesPerHalf: scores.eligibility!.minimum,
    combinations: r.combinations,
    allCombinations: r.allCombinations,
    pbo: r.pbo,
    probabilityOfLoss: finiteOrNull(r.probabilityOfLoss),
    degradation: {
      slope: finiteOrNull(r.degradation.slope),
      intercept: finiteOrNull(r.degradation.intercept),
      r2: finiteOrNull(r.degradation.r2),
    },
    logits: Array.from(r.logits, (l) => Math.round(l * 1e6) / 1e6),
  };
}
