// The entry to PBO by CSCV (cscv.ts): the inputs it takes (return series, the backtest's block moments, block
// scores of any selection metric) checked and summed into partitions, the ranking each implies (the per-bar Sharpe
// ratio or the scores' own metric), and the splits to evaluate (all C(S, S/2), or a seeded sample).
import { InputError } from '../errors';
import { createRng } from '../random';
import type { BlockMoments } from '../types';
import { cscv, type CscvResult, type PartitionSums, type Ranking } from './cscv';

// Local aliases: jest runs modules in a vm context where a global lookup (Math.sqrt) in a hot loop costs ~30×.
const { abs, sqrt } = Math;

/**
 * CSCV input for any selection metric that can be computed from two additive per-block components (the kernel's
 * per-block figures): e.g. win rate from wins and trades, or the Sharpe ratio from Σr and Σr².
 */
export interface BlockScores {
  strategies: number;
  blocks: number;
  blockBars: number;
  /**
   * Two additive per-block components per strategy, laid out [i * blocks + b] (e.g. wins and trades, or Σr and Σr²).
   */
  x: Float64Array;
  y: Float64Array;
  /**
   * The metric on a union of blocks from the summed components and its bar count; higher is better; NaN = undefined
   * (ranks below every defined value, never selected).
   */
  score: (x: number, y: number, bars: number) => number;
  /**
   * Optional eligibility: a strategy can be the in-sample winner only if the summed `counts` over the in-sample half ≥
   * `minimum` (e.g. trades ≥ min-trades/2).
   */
  eligibility?: { counts: Float64Array; minimum: number };
  /**
   * Optional: did the winner lose out of sample, from its summed out-of-sample components? Without it
   * `probabilityOfLoss` is NaN: a score alone (a win rate) does not say whether money was lost.
   */
  loss?: (x: number, y: number, bars: number) => boolean;
  /** What the score is, reported as the result's `metric` (default 'score'). */
  label?: string;
}

export interface CscvOptions {
  /** S: an even number of partitions (16 gives C(16, 8) = 12,870 splits). */
  partitions?: number;
  /**
   * Evaluate at most this many splits: when C(S, S/2) is larger, a uniform sample drawn with `seed`. The cost is
   * splits × strategies, so at 100,000 strategies 2,000 splits take a sixth of the time of all 12,870, and PBO, a
   * share of splits, moves by at most ±2.2 points (95 %) from sampling. Default: all.
   */
  maxSplits?: number;
  seed?: number;
}

function checkPartitions(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 2 || partitions % 2 !== 0 || partitions > 30) {
    throw new InputError(`must be an even whole number from 2 to 30 (got ${partitions})`, 'partitions');
  }
}

/** From a series per strategy: S blocks of ⌊T/S⌋ bars, the remainder at the end dropped. */
function sumsOfReturns(returns: ArrayLike<ArrayLike<number>>, partitions: number): PartitionSums {
  const n = returns.length;
  const bars = n > 0 ? returns[0].length : 0;
  const size = Math.floor(bars / partitions);
  if (size * (partitions / 2) < 2)
    throw new InputError(`${bars} bars cannot fill ${partitions} partitions with at least 2 bars per half`, 'returns');
  const x = new Float64Array(partitions * n);
  const y = new Float64Array(partitions * n);
  for (let i = 0; i < n; i++) {
    const series = returns[i];
    if (series.length !== bars)
      throw new InputError(`every series needs the same length (${bars}); series ${i} has ${series.length}`, 'returns');
    for (let p = 0; p < partitions; p++) {
      let s = 0,
        q = 0;
      for (let t = p * size; t < (p + 1) * size; t++) {
        const r = series[t];
        if (!Number.isFinite(r))
          throw new InputError(`must be finite numbers (series ${i}, bar ${t} is ${r})`, 'returns');
        s += r;
        q += r * r;
      }
      x[i * partitions + p] = s;
      y[i * partitions + p] = q;
    }
  }
  return { strategies: n, partitions, barsPerPartition: size, x, y };
}

/**
 * Per-block components [i · blocks + b] summed into S partitions of blocks/S consecutive blocks (S must divide the
 * block count), each in block order, so equal blocks give bit-identical partition sums.
 */
function partitionSums(
  strategies: number,
  blocks: number,
  partitions: number,
  field: string,
  ...components: ArrayLike<number>[]
): Float64Array[] {
  const per = blocks / partitions;
  return components.map((values) => {
    if (values.length < strategies * blocks)
      throw new InputError(`needs ${strategies} × ${blocks} values (got ${values.length})`, field);
    const out = new Float64Array(partitions * strategies);
    for (let i = 0; i < strategies; i++) {
      for (let b = 0; b < blocks; b++) {
        const v = values[i * blocks + b];
        if (!Number.isFinite(v))
          throw new InputError(`must be finite numbers (strategy ${i}, block ${b} is ${v})`, field);
        out[i * partitions + Math.floor(b / per)] += v;
      }
    }
    return out;
  });
}

/** Partitions must be whole runs of blocks, and each half must hold at least 2 bars. */
function checkBlocks(blocks: number, blockBars: number, partitions: number, field: string): void {
  if (blocks % partitions !== 0)
    throw new InputError(`must divide the ${blocks} blocks of the ${field} (got ${partitions})`, 'partitions');
  if ((blocks / partitions) * blockBars * (partitions / 2) < 2)
    throw new InputError(`${blocks} blocks of ${blockBars} bars are too few for ${partitions} partitions`, field);
}

/** From block moments: each partition is blocks/S consecutive blocks, so S must divide the block count. */
function sumsOfMoments(moments: BlockMoments, partitions: number): PartitionSums {
  const { strategies: n, blocks, blockBars } = moments;
  checkBlocks(blocks, blockBars, partitions, 'moments');
  const [x, y] = partitionSums(n, blocks, partitions, 'moments', moments.sum, moments.sumSquares);
  return { strategies: n, partitions, barsPerPartition: (blocks / partitions) * blockBars, x, y };
}

/**
 * The per-bar Sharpe ratio of `bars` bars from Σr and Σr², as CSCV ranks it: sign(s)·√(k·(n − 1)/n) with
 * k = s·|s| / (n·Σr² − s²) (SR² = s²·(n − 1) / (n·(n·Σr² − s²))). A function of k alone, so strategies whose sums
 * are proportional (exact ties: equal Sharpe ratios) stay exactly tied, which mean / std does not guarantee. A union
 * of bars without variation (a strategy that stayed flat) scores 0, not NaN: it is neither selected for luck nor
 * ranked below every loser.
 */
export function sharpeScore(sum: number, sumSquares: number, bars: number): number {
  const spread = bars * sumSquares - sum * sum;
  if (!(spread > 0)) return 0;
  const k = (sum * abs(sum)) / spread;
  return k >= 0 ? sqrt((k * (bars - 1)) / bars) : -sqrt((-k * (bars - 1)) / bars);
}

/** The next larger integer with the same number of set bits (Gosper's hack): every S/2-subset in order. */
function nextCombination(mask: number): number {
  const lowest = mask & -mask;
  const ripple = mask + lowest;
  return ripple | (((mask ^ ripple) >>> 2) / lowest);
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** Every S/2-subset of S partitions as a bit mask, increasing; a sorted uniform sample of them when capped. */
function splitMasks(S: number, maxSplits: number, seed: number): Int32Array {
  const all = new Int32Array(binomial(S, S / 2));
  all[0] = (1 << (S / 2)) - 1;
  for (let c = 1; c < all.length; c++) all[c] = nextCombination(all[c - 1]);
  if (maxSplits >= all.length) return all;
  const rng = createRng(seed);
  for (let i = 0; i < maxSplits; i++) {
    // partial Fisher–Yates: the first maxSplits become the sample
    const j = i + Math.floor(rng.next() * (all.length - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, maxSplits).sort();
}

const isMoments = (input: unknown): input is BlockMoments =>
  typeof input === 'object' && input !== null && 'sumSquares' in input && 'blocks' in input;
/** BlockScores carry their own score function; BlockMoments and return series do not. */
const isScores = (input: unknown): input is BlockScores =>
  typeof input === 'object' && input !== null && 'score' in input && typeof (input as BlockScores).score === 'function';

/** The Sharpe forms' loss: the winner's out-of-sample Sharpe is negative, i.e. it lost money (Σr < 0). */
const sharpeLoss = (sum: number, sumSquares: number, bars: number) => sharpeScore(sum, sumSquares, bars) < 0;

/** BlockScores summed into partitions, with the eligibility counts. */
function rankingOfScores(input: BlockScores, partitions: number): { sums: PartitionSums; ranking: Ranking } {
  const { strategies: n, blocks, blockBars, eligibility } = input;
  if (
    !Number.isInteger(n) ||
    n < 0 ||
    !Number.isInteger(blocks) ||
    blocks < 1 ||
    !Number.isInteger(blockBars) ||
    blockBars < 1
  ) {
    throw new InputError(
      `needs whole numbers of strategies, blocks ≥ 1 and blockBars ≥ 1 (got ${n}, ${blocks}, ${blockBars})`,
      'scores',
    );
  }
  checkBlocks(blocks, blockBars, partitions, 'scores');
  const [x, y] = partitionSums(n, blocks, partitions, 'scores', input.x, input.y);
  let counts: Float64Array | undefined;
  if (eligibility) {
    if (!Number.isFinite(eligibility.minimum))
      throw new InputError(`must be a finite number (got ${eligibility.minimum})`, 'eligibility.minimum');
    [counts] = partitionSums(n, blocks, partitions, 'eligibility.counts', eligibility.counts);
  }
  return {
    sums: { strategies: n, partitions, barsPerPartition: (blocks / partitions) * blockBars, x, y },
    ranking: {
      score: input.score,
      counts,
      minimum: eligibility?.minimum ?? 0,
      loss: input.loss,
      metric: input.label ?? 'score',
    },
  };
}

/**
 * PBO by CSCV, from one return series per strategy (equal lengths) or from the backtest's per-block moments, both
 * ranked by the per-bar Sharpe ratio (`sharpeScore`), or from `BlockScores`, ranked by any metric of two additive
 * per-block components (the run's selection metric, e.g. win rate), with optional eligibility. Series and moments
 * differ only in the bars dropped at the end: ⌊T/S⌋·S bars are used from series, blocks·blockBars
 * (blockBars = ⌊T/blocks⌋) from moments and scores; when both divide T exactly the results are the same.
 */
export function probabilityOfBacktestOverfitting(
  input: ArrayLike<ArrayLike<number>> | BlockMoments | BlockScores,
  options: CscvOptions = {},
): CscvResult {
  const partitions = options.partitions ?? 16;
  checkPartitions(partitions);
  const maxSplits = options.maxSplits ?? Number.POSITIVE_INFINITY;
  if (!(maxSplits >= 1) || (Number.isFinite(maxSplits) && !Number.isInteger(maxSplits)))
    throw new InputError(`must be a whole number ≥ 1 (got ${maxSplits})`, 'maxSplits');
  const masks = splitMasks(partitions, maxSplits, options.seed ?? 0);
  const all = binomial(partitions, partitions / 2);
  if (isScores(input)) {
    const { sums, ranking } = rankingOfScores(input, partitions);
    return cscv(sums, masks, all, ranking);
  }
  const sums = isMoments(input) ? sumsOfMoments(input, partitions) : sumsOfReturns(input, partitions);
  return cscv(sums, masks, all, { score: sharpeScore, minimum: 0, loss: sharpeLoss, metric: 'sharpe' });
}
