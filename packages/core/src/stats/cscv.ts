// Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey, Borwein, López de
// Prado & Zhu 2017). Cut the bars into S partitions; for each of the C(S, S/2) ways to call half of them
// in-sample, pick the strategy with the best in-sample score (the Sharpe ratio, or the run's selection metric from
// per-block components) and see where it ranks among all strategies on the other half. PBO is the share of splits
// in which the in-sample winner lands in the bottom half out of sample.
import { InputError } from '../errors';
import { createRng } from '../random';
import type { BlockMoments } from '../types';

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

export interface CscvResult {
  strategies: number;
  partitions: number;
  /** Bars in each partition; in-sample and out-of-sample each hold partitions/2 of them. */
  barsPerPartition: number;
  /** Splits evaluated (all C(S, S/2) unless `maxSplits` sampled fewer) and how many there are. */
  combinations: number;
  allCombinations: number;
  /** Share of splits with logit ≤ 0: the in-sample winner was no better than the median out of sample. */
  pbo: number;
  /**
   * Share of decided splits in which the in-sample winner lost out of sample: its Sharpe is negative (Sharpe forms),
   * or the BlockScores `loss` predicate holds; NaN for BlockScores without one.
   */
  probabilityOfLoss: number;
  /** What the strategies were ranked by: 'sharpe' for series and block moments, the BlockScores label otherwise. */
  metric: string;
  /** Splits without an eligible in-sample winner with a defined score (NaN logit and scores; left out of PBO). */
  undecided: number;
  /** λ = ln(ω / (1 − ω)), ω = out-of-sample rank / (N + 1) of each split's in-sample winner. */
  logits: Float64Array;
  /** Per split: its in-sample partitions as a bit mask (bit p set: partition p is in-sample), increasing. */
  splits: Int32Array;
  /** Per split: the index of the in-sample winner (−1 when undecided). */
  winners: Int32Array;
  /** Per split: the winner's in-sample and out-of-sample score (the per-bar Sharpe for the Sharpe forms). */
  inSampleScore: Float64Array;
  outOfSampleScore: Float64Array;
  /** @deprecated The same arrays as `inSampleScore` / `outOfSampleScore` (kept for callers of the Sharpe forms). */
  inSampleSharpe: Float64Array;
  /** @deprecated See `inSampleSharpe`. */
  outOfSampleSharpe: Float64Array;
  /**
   * Least-squares line of out-of-sample on in-sample score of the winner (decided splits): a negative slope is
   * overfitting.
   */
  degradation: { slope: number; intercept: number; r2: number };
}

/**
 * Two additive components (x, y) of every strategy over every partition, strategy-major: [i · S + p], so a
 * strategy's S partitions are contiguous for the per-split sums. For the Sharpe forms x = Σr, y = Σr².
 */
interface PartitionSums {
  strategies: number;
  partitions: number;
  barsPerPartition: number;
  x: Float64Array;
  y: Float64Array;
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

/** What CSCV ranks by, on the union of one half's partitions. */
interface Ranking {
  score: (x: number, y: number, bars: number) => number;
  /** Partition sums of the eligibility counts ([i · S + p]) and the in-sample minimum; absent: every strategy. */
  counts?: Float64Array;
  minimum: number;
  loss?: (x: number, y: number, bars: number) => boolean;
  metric: string;
}

/**
 * Subset sums of one strategy's S partition values, for every subset of the low S/2 partitions and of the high S/2:
 * table[A] = table[A without its highest member] + value, i.e. ((0 + v_a1) + v_a2) + … in partition order, so the sum
 * over a set of partitions is a function of the set alone, and equal partition values give bit-identical sums.
 */
function fillSubsetSums(values: Float64Array, base: number, bits: number, table: Float64Array, offset: number): void {
  const size = 1 << bits;
  table[offset] = 0;
  for (let a = 1; a < size; a++) {
    const top = 31 - Math.clz32(a);
    table[offset + a] = table[offset + (a ^ (1 << top))] + values[base + top];
  }
}

/** The same sum as the tables give, added directly: low partitions in order, high partitions in order, then both. */
function directSum(values: Float64Array, base: number, bits: number, low: number, high: number): number {
  let l = 0,
    h = 0;
  for (let p = 0; p < bits; p++) if (low & (1 << p)) l += values[base + p];
  for (let p = 0; p < bits; p++) if (high & (1 << p)) h += values[base + bits + p];
  return l + h;
}

/**
 * Every split, each figure from its own partitions: the sum of a component over a half is a function of the set of
 * partitions alone (`fillSubsetSums`), never carried from the previous split nor taken as total − in-sample, both
 * of which leave rounding residue that breaks exact ties (two variants sharing most block sums). The in-sample
 * winner is the first of equal best scores among eligible strategies with a defined score; out of sample, equal
 * scores share the average of their ranks and undefined ones (NaN) rank below all.
 *
 * Two passes, strategy by strategy (its subset-sum tables stay in L1 while every split reads them): the first finds
 * each split's in-sample winner, the second ranks the winner's out-of-sample score among all strategies.
 */
function cscv(sums: PartitionSums, masks: Int32Array, allCombinations: number, ranking: Ranking): CscvResult {
  const { strategies: n, partitions: S, barsPerPartition, x, y } = sums;
  if (n < 2) throw new InputError(`needs at least 2 strategies to rank (got ${n})`, 'returns');
  const { score, counts, minimum, loss } = ranking;
  const bits = S / 2;
  const bars = bits * barsPerPartition; // in each half
  const combinations = masks.length;
  const lowAll = (1 << bits) - 1;
  const size = 1 << bits;
  // Per split, the in- and out-of-sample sets as (low subset, high subset), packed low | high << 16 (≤ 15 bits each).
  const inSet = new Int32Array(combinations),
    outSet = new Int32Array(combinations);
  for (let c = 0; c < combinations; c++) {
    inSet[c] = (masks[c] & lowAll) | (((masks[c] >>> bits) & lowAll) << 16);
    outSet[c] = (~masks[c] & lowAll) | (((~masks[c] >>> bits) & lowAll) << 16);
  }
  // Tables of 2 · 2^(S/2) sums per component; when fewer splits are evaluated than that, sum each split directly.
  const useTables = combinations >= size;
  const tx = new Float64Array(useTables ? 2 * size : 0),
    ty = new Float64Array(tx.length),
    tc = new Float64Array(counts ? tx.length : 0);
  const fill = (values: Float64Array, table: Float64Array, i: number) => {
    fillSubsetSums(values, i * S, bits, table, 0);
    fillSubsetSums(values, i * S + bits, bits, table, size);
  };
  const sumOf = (values: Float64Array, table: Float64Array, i: number, set: number) =>
    useTables
      ? table[set & 0xffff] + table[size + (set >>> 16)]
      : directSum(values, i * S, bits, set & 0xffff, set >>> 16);

  // Pass 1: the in-sample winner of every split.
  const winners = new Int32Array(combinations).fill(-1);
  const inSampleScore = new Float64Array(combinations).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    if (useTables) {
      fill(x, tx, i);
      fill(y, ty, i);
      if (counts !== undefined) fill(counts, tc, i);
    }
    for (let c = 0; c < combinations; c++) {
      const set = inSet[c];
      const v = score(sumOf(x, tx, i, set), sumOf(y, ty, i, set), bars);
      if (
        (v > inSampleScore[c] || (v === inSampleScore[c] && winners[c] < 0)) &&
        (counts === undefined || sumOf(counts, tc, i, set) >= minimum)
      ) {
        inSampleScore[c] = v;
        winners[c] = i;
      }
    }
  }

  // The winners' out-of-sample figures, by the same arithmetic as the tables.
  const outOfSampleScore = new Float64Array(combinations);
  const chosen = new Float64Array(combinations);
  let losses = 0,
    undecided = 0;
  for (let c = 0; c < combinations; c++) {
    const w = winners[c];
    if (w < 0) {
      undecided++;
      inSampleScore[c] = outOfSampleScore[c] = Number.NaN;
      continue;
    }
    const xo = directSum(x, w * S, bits, outSet[c] & 0xffff, outSet[c] >>> 16),
      yo = directSum(y, w * S, bits, outSet[c] & 0xffff, outSet[c] >>> 16);
    const v = score(xo, yo, bars);
    outOfSampleScore[c] = v;
    chosen[c] = v === v ? v : Number.NEGATIVE_INFINITY; // NaN ranks below every defined value
    if (loss?.(xo, yo, bars)) losses++;
  }

  // Pass 2: twice the winner's out-of-sample rank: 2 per strategy below it, 1 per strategy equal to it (itself
  // included). Counted without branches, since the comparisons are coin flips a branch predictor cannot learn;
  // undecided splits are counted and ignored.
  const twiceRank = new Float64Array(combinations).fill(1);
  for (let i = 0; i < n; i++) {
    if (useTables) {
      fill(x, tx, i);
      fill(y, ty, i);
    }
    for (let c = 0; c < combinations; c++) {
      const set = outSet[c];
      let v = score(sumOf(x, tx, i, set), sumOf(y, ty, i, set), bars);
      if (v !== v) v = Number.NEGATIVE_INFINITY;
      const target = chosen[c];
      twiceRank[c] += 2 * +(v < target) + +(v === target);
    }
  }

  const logits = new Float64Array(combinations);
  let overfit = 0;
  for (let c = 0; c < combinations; c++) {
    if (winners[c] < 0) {
      logits[c] = Number.NaN;
      continue;
    }
    const omega = twiceRank[c] / 2 / (n + 1); // rank 1 = worst; ties share the average rank
    logits[c] = Math.log(omega / (1 - omega));
    if (logits[c] <= 0) overfit++;
  }
  const decided = combinations - undecided;
  return {
    strategies: n,
    partitions: S,
    barsPerPartition,
    combinations,
    allCombinations,
    metric: ranking.metric,
    undecided,
    pbo: decided > 0 ? overfit / decided : Number.NaN,
    probabilityOfLoss: loss !== undefined && decided > 0 ? losses / decided : Number.NaN,
    logits,
    splits: masks,
    winners,
    inSampleScore,
    outOfSampleScore,
    inSampleSharpe: inSampleScore,
    outOfSampleSharpe: outOfSampleScore,
    degradation: leastSquares(...finitePairs(inSampleScore, outOfSampleScore)),
  };
}

/** The pairs where both values are finite. */
function finitePairs(a: Float64Array, b: Float64Array): [Float64Array, Float64Array] {
  const keep: number[] = [];
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) keep.push(i);
  if (keep.length === a.length) return [a, b];
  return [Float64Array.from(keep, (i) => a[i]), Float64Array.from(keep, (i) => b[i])];
}

/** y = slope·x + intercept by least squares, with r²; NaN slope when x does not vary. */
export function leastSquares(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { slope: number; intercept: number; r2: number } {
  const n = x.length;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0,
    syy = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx,
      dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  return { slope, intercept: my - slope * mx, r2: sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : Number.NaN };
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
