// Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey, Borwein, López de
// Prado & Zhu 2017). Cut the bars into S partitions; for each of the C(S, S/2) ways to call half of them
// in-sample, pick the strategy with the best in-sample score (the Sharpe ratio, or the run's selection metric from
// per-block components) and see where it ranks among all strategies on the other half. PBO is the share of splits
// in which the in-sample winner lands in the bottom half out of sample.
//
// This file holds the evaluation of the splits (cscv()) on partition sums and a ranking; pbo.ts turns the inputs
// (series, block moments, block scores) into those and chooses the splits.
import { InputError } from '../errors';

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
export interface PartitionSums {
  strategies: number;
  partitions: number;
  barsPerPartition: number;
  x: Float64Array;
  y: Float64Array;
}

/** What CSCV ranks by, on the union of one half's partitions. */
export interface Ranking {
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
export function cscv(sums: PartitionSums, masks: Int32Array, allCombinations: number, ranking: Ranking): CscvResult {
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
