// Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey, Borwein, López de
// Prado & Zhu 2017). Cut the bars into S partitions; for each of the C(S, S/2) ways to call half of them
// in-sample, pick the strategy with the best in-sample Sharpe and see where it ranks among all strategies on the
// other half. PBO is the share of splits in which the in-sample winner lands in the bottom half out of sample.
import { InputError } from '../errors';
import { createRng } from '../random';
import type { BlockMoments } from '../types';

// Local aliases: jest runs modules in a vm context where a global lookup (Math.sqrt) in a hot loop costs ~30×.
const { abs, sqrt } = Math;

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
  /** Share of splits in which the in-sample winner's out-of-sample Sharpe is negative. */
  probabilityOfLoss: number;
  /** λ = ln(ω / (1 − ω)), ω = out-of-sample rank / (N + 1) of each split's in-sample winner. */
  logits: Float64Array;
  /** Per split: the winner's in-sample and out-of-sample Sharpe (per bar). */
  inSampleSharpe: Float64Array;
  outOfSampleSharpe: Float64Array;
  /** Least-squares line of out-of-sample on in-sample Sharpe of the winner: a negative slope is overfitting. */
  degradation: { slope: number; intercept: number; r2: number };
}

/** Σr and Σr² of every strategy over every partition, partition-major: [p · N + i]. */
interface PartitionSums {
  strategies: number;
  partitions: number;
  barsPerPartition: number;
  sum: Float64Array;
  sumSquares: Float64Array;
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
  if (size * (partitions / 2) < 2) throw new InputError(`${bars} bars cannot fill ${partitions} partitions with at least 2 bars per half`, 'returns');
  const sum = new Float64Array(partitions * n);
  const sumSquares = new Float64Array(partitions * n);
  for (let i = 0; i < n; i++) {
    const series = returns[i];
    if (series.length !== bars) throw new InputError(`every series needs the same length (${bars}); series ${i} has ${series.length}`, 'returns');
    for (let p = 0; p < partitions; p++) {
      let s = 0, q = 0;
      for (let t = p * size; t < (p + 1) * size; t++) {
        const r = series[t];
        if (!Number.isFinite(r)) throw new InputError(`must be finite numbers (series ${i}, bar ${t} is ${r})`, 'returns');
        s += r;
        q += r * r;
      }
      sum[p * n + i] = s;
      sumSquares[p * n + i] = q;
    }
  }
  return { strategies: n, partitions, barsPerPartition: size, sum, sumSquares };
}

/** From block moments: each partition is blocks/S consecutive blocks, so S must divide the block count. */
function sumsOfMoments(moments: BlockMoments, partitions: number): PartitionSums {
  const { strategies: n, blocks, blockBars } = moments;
  if (blocks % partitions !== 0) throw new InputError(`must divide the ${blocks} blocks of the moments (got ${partitions})`, 'partitions');
  const per = blocks / partitions;
  if (per * blockBars * (partitions / 2) < 2) throw new InputError(`${blocks} blocks of ${blockBars} bars are too few for ${partitions} partitions`, 'moments');
  if (moments.sum.length < n * blocks || moments.sumSquares.length < n * blocks) throw new InputError(`needs ${n} × ${blocks} sums and sums of squares`, 'moments');
  const sum = new Float64Array(partitions * n);
  const sumSquares = new Float64Array(partitions * n);
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < blocks; b++) {
      const s = moments.sum[i * blocks + b], q = moments.sumSquares[i * blocks + b];
      if (!Number.isFinite(s) || !Number.isFinite(q)) throw new InputError(`must be finite numbers (strategy ${i}, block ${b}: Σr ${s}, Σr² ${q})`, 'moments');
      const at = Math.floor(b / per) * n + i;
      sum[at] += moments.sum[i * blocks + b];
      sumSquares[at] += moments.sumSquares[i * blocks + b];
    }
  }
  return { strategies: n, partitions, barsPerPartition: per * blockBars, sum, sumSquares };
}

/** Sharpe of n bars from their sums; a series without variation (a strategy that stayed flat) counts as 0. */
function sharpe(n: number, s: number, q: number): number {
  const mean = s / n;
  const variance = (q - s * mean) / (n - 1);
  return variance > 0 ? mean / sqrt(variance) : 0;
}

/**
 * A key in the order of the Sharpe ratio of n bars, without its square root: SR·|SR| ∝ s·|s| / (n·q − s²) for a
 * fixed n (both halves have the same n). Exact inputs give exact ties, and the hot loop needs no sqrt.
 */
function sharpeKey(n: number, s: number, q: number): number {
  const spread = n * q - s * s;
  return spread > 0 ? (s * abs(s)) / spread : 0;
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
  for (let i = 0; i < maxSplits; i++) { // partial Fisher–Yates: the first maxSplits become the sample
    const j = i + Math.floor(rng.next() * (all.length - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, maxSplits).sort();
}

function cscv(sums: PartitionSums, masks: Int32Array, allCombinations: number): CscvResult {
  const { strategies: n, partitions: S, barsPerPartition } = sums;
  if (n < 2) throw new InputError(`needs at least 2 strategies to rank (got ${n})`, 'returns');
  const half = S / 2;
  const bars = half * barsPerPartition; // in each half
  const totalSum = new Float64Array(n);
  const totalSquares = new Float64Array(n);
  for (let p = 0; p < S; p++) {
    for (let i = 0; i < n; i++) {
      totalSum[i] += sums.sum[p * n + i];
      totalSquares[i] += sums.sumSquares[p * n + i];
    }
  }
  const combinations = masks.length;
  const logits = new Float64Array(combinations);
  const inSampleSharpe = new Float64Array(combinations);
  const outOfSampleSharpe = new Float64Array(combinations);
  const isSum = new Float64Array(n);
  const isSquares = new Float64Array(n);
  const oos = new Float64Array(n);
  // In-sample sums follow the splits incrementally: between consecutive splits only a few partitions move.
  const move = (p: number, sign: number) => {
    const base = p * n;
    for (let i = 0; i < n; i++) {
      isSum[i] += sign * sums.sum[base + i];
      isSquares[i] += sign * sums.sumSquares[base + i];
    }
  };
  let previous = 0;
  let losses = 0, overfit = 0;
  for (let c = 0; c < combinations; c++) {
    const mask = masks[c];
    for (let p = 0; p < S; p++) {
      const bit = 1 << p;
      if (mask & bit && !(previous & bit)) move(p, 1);
      else if (previous & bit && !(mask & bit)) move(p, -1);
    }
    previous = mask;
    let best = 0, bestKey = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const s = isSum[i], q = isSquares[i];
      const inSample = sharpeKey(bars, s, q);
      if (inSample > bestKey) [best, bestKey] = [i, inSample];
      oos[i] = sharpeKey(bars, totalSum[i] - s, totalSquares[i] - q);
    }
    const chosen = oos[best];
    let below = 0, equal = 0;
    for (let i = 0; i < n; i++) {
      if (oos[i] < chosen) below++;
      else if (oos[i] === chosen) equal++;
    }
    const omega = (below + (equal + 1) / 2) / (n + 1); // rank 1 = worst; ties share the average rank
    logits[c] = Math.log(omega / (1 - omega));
    inSampleSharpe[c] = sharpe(bars, isSum[best], isSquares[best]);
    outOfSampleSharpe[c] = sharpe(bars, totalSum[best] - isSum[best], totalSquares[best] - isSquares[best]);
    if (logits[c] <= 0) overfit++;
    if (chosen < 0) losses++;
  }
  return {
    strategies: n, partitions: S, barsPerPartition, combinations, allCombinations,
    pbo: overfit / combinations, probabilityOfLoss: losses / combinations,
    logits, inSampleSharpe, outOfSampleSharpe, degradation: leastSquares(inSampleSharpe, outOfSampleSharpe),
  };
}

/** y = slope·x + intercept by least squares, with r²; NaN slope when x does not vary. */
export function leastSquares(x: ArrayLike<number>, y: ArrayLike<number>): { slope: number; intercept: number; r2: number } {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  return { slope, intercept: my - slope * mx, r2: sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : Number.NaN };
}

const isMoments = (input: unknown): input is BlockMoments =>
  typeof input === 'object' && input !== null && 'sumSquares' in input && 'blocks' in input;

/**
 * PBO by CSCV, from one return series per strategy (equal lengths) or from the backtest's per-block moments.
 * The two differ only in the bars dropped at the end: ⌊T/S⌋·S bars are used from series, blocks·blockBars
 * (blockBars = ⌊T/blocks⌋) from moments; when both divide T exactly the results are the same.
 */
export function probabilityOfBacktestOverfitting(input: ArrayLike<ArrayLike<number>> | BlockMoments, options: CscvOptions = {}): CscvResult {
  const partitions = options.partitions ?? 16;
  checkPartitions(partitions);
  const maxSplits = options.maxSplits ?? Number.POSITIVE_INFINITY;
  if (!(maxSplits >= 1) || (Number.isFinite(maxSplits) && !Number.isInteger(maxSplits))) throw new InputError(`must be a whole number ≥ 1 (got ${maxSplits})`, 'maxSplits');
  const sums = isMoments(input) ? sumsOfMoments(input, partitions) : sumsOfReturns(input, partitions);
  return cscv(sums, splitMasks(partitions, maxSplits, options.seed ?? 0), binomial(partitions, partitions / 2));
}
