// How many independent trials were there? N strategies built on the same market are correlated: 500 parameter
// variants of one moving-average rule are closer to a few dozen independent bets. The expected maximum Sharpe of the
// DSR (and MinBTL, the haircut) should count independent trials, not variants. Three estimates from the strategies'
// per-block sums (the kernel's BlockMoments.sum: per-block P&L, so correlations are of returns, block by block):
//   - the DSR paper's appendix: N̂ = ρ̄ + (1 − ρ̄)·N, ρ̄ the mean pairwise correlation;
//   - the participation ratio of the correlation matrix's eigenvalues, (Σλ)² / Σλ²: k equal independent groups give
//     k, one group gives 1 (a standard count of "how many directions carry the variance");
//   - the number of clusters of complete-linkage hierarchical clustering cut at correlation ρ (López de Prado &
//     Lewis 2019 use clustering of the correlation matrix): every pair inside a cluster has correlation ≥ ρ.
import { InputError } from '../errors';

const { sqrt } = Math;

export interface EffectiveTrialsOptions {
  /** Correlation at which hierarchical clustering is cut: strategies in one cluster all correlate ≥ this. Default 0.5. */
  threshold?: number;
  /**
   * Clustering keeps an n × n matrix (Float64, 8·n² bytes) and costs O(n²·blocks); above this many usable
   * strategies `clusters` is NaN. Default 4,000 (128 MB).
   */
  maxClusterStrategies?: number;
}

export interface EffectiveTrials {
  /** Strategies with varying block sums; the others (flat, never traded) have no correlation and are not counted. */
  strategies: number;
  blocks: number;
  /** ρ̄: mean correlation over pairs of distinct used strategies. */
  meanCorrelation: number;
  /** ρ̄ + (1 − ρ̄)·n (DSR paper, appendix). */
  appendix: number;
  /** (Σλ)² / Σλ² of the correlation matrix; at most min(n, blocks − 1), since its rank is at most blocks − 1. */
  participationRatio: number;
  /** Complete-linkage clusters at correlation ≥ threshold (NaN above maxClusterStrategies). */
  clusters: number;
  threshold: number;
}

/**
 * Effective number of independent trials from per-block sums laid out [i · blocks + b] (BlockMoments satisfies the
 * input). Correlations are Pearson's over the blocks. The participation ratio needs no eigenvalues:
 * Σλ = trace(C) = n and Σλ² = ‖C‖²_F; with Z the n × blocks matrix of standardised rows, C = Z·Zᵀ and
 * ‖Z·Zᵀ‖_F = ‖Zᵀ·Z‖_F, so when n > blocks the blocks × blocks Gram matrix Zᵀ·Z gives it in O(n·blocks²) without
 * forming the n × n matrix.
 */
export function effectiveNumberOfTrials(
  blockSums: { strategies: number; blocks: number; sum: ArrayLike<number> }, options: EffectiveTrialsOptions = {},
): EffectiveTrials {
  const { strategies: count, blocks, sum } = blockSums;
  const threshold = options.threshold ?? 0.5;
  const maxClusterStrategies = options.maxClusterStrategies ?? 4000;
  if (!Number.isInteger(blocks) || blocks < 3) throw new InputError(`needs at least 3 blocks (got ${blocks})`, 'blocks');
  if (!Number.isInteger(count) || count < 0 || sum.length < count * blocks) throw new InputError(`needs ${count} × ${blocks} block sums (got ${sum.length})`, 'blockSums');
  if (!(threshold >= -1 && threshold <= 1)) throw new InputError(`must be a correlation between −1 and 1 (got ${threshold})`, 'threshold');

  // Standardised rows: centred, unit length, so a dot product is a correlation.
  const rows: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const row = new Float64Array(blocks);
    let total = 0;
    for (let b = 0; b < blocks; b++) {
      const v = sum[i * blocks + b];
      if (!Number.isFinite(v)) throw new InputError(`must be finite numbers (strategy ${i}, block ${b} is ${v})`, 'blockSums');
      row[b] = v;
      total += v;
    }
    let mean = total / blocks, correction = 0; // the corrected two-pass mean, as in sampleMoments
    for (let b = 0; b < blocks; b++) correction += row[b] - mean;
    mean += correction / blocks;
    let norm = 0;
    for (let b = 0; b < blocks; b++) {
      row[b] -= mean;
      norm += row[b] * row[b];
    }
    // Variation that is only rounding of the mean (see sampleMoments) is none.
    if (!(norm > blocks * (16 * Number.EPSILON * mean) ** 2)) continue;
    const scale = 1 / sqrt(norm);
    for (let b = 0; b < blocks; b++) row[b] *= scale;
    rows.push(row);
  }
  const n = rows.length;
  if (n === 0) return { strategies: 0, blocks, meanCorrelation: Number.NaN, appendix: Number.NaN, participationRatio: Number.NaN, clusters: Number.NaN, threshold };

  // ρ̄ = (‖Σ z_i‖² − n) / (n(n − 1)): the sum of all entries of C minus its diagonal.
  const columnSums = new Float64Array(blocks);
  for (const row of rows) for (let b = 0; b < blocks; b++) columnSums[b] += row[b];
  let all = 0;
  for (let b = 0; b < blocks; b++) all += columnSums[b] * columnSums[b];
  const meanCorrelation = n > 1 ? (all - n) / (n * (n - 1)) : Number.NaN;

  // Σλ² = ‖C‖²_F, from the smaller of the n × n and blocks × blocks Gram matrices.
  let squares = 0;
  if (n <= blocks) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const c = dot(rows[i], rows[j]);
        squares += c * c;
      }
    }
  } else {
    const gram = new Float64Array(blocks * blocks);
    for (const row of rows) {
      for (let a = 0; a < blocks; a++) {
        const ra = row[a];
        for (let b = a; b < blocks; b++) gram[a * blocks + b] += ra * row[b];
      }
    }
    for (let a = 0; a < blocks; a++) {
      for (let b = a; b < blocks; b++) squares += (a === b ? 1 : 2) * gram[a * blocks + b] ** 2;
    }
  }

  return {
    strategies: n, blocks, meanCorrelation,
    appendix: n > 1 ? meanCorrelation + (1 - meanCorrelation) * n : 1,
    participationRatio: (n * n) / squares,
    clusters: n <= maxClusterStrategies ? completeLinkageClusters(rows, 1 - threshold) : Number.NaN,
    threshold,
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/**
 * Clusters left when complete-linkage agglomerative clustering on the distance 1 − ρ is cut at `cut`: n minus the
 * merges at height ≤ cut. Merges by the nearest-neighbour chain (O(n²) time, exact for complete linkage, which is
 * reducible); a cluster's distance to another is the largest distance between their members, so every pair inside
 * a cluster at the cut correlates ≥ 1 − cut.
 */
function completeLinkageClusters(rows: Float64Array[], cut: number): number {
  const n = rows.length;
  const distance = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) distance[i * n + j] = distance[j * n + i] = 1 - dot(rows[i], rows[j]);
  }
  const active = new Uint8Array(n).fill(1);
  const chain: number[] = [];
  let remaining = n, merges = 0;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    const a = chain[chain.length - 1];
    const previous = chain.length > 1 ? chain[chain.length - 2] : -1;
    // The nearest active neighbour of a; the previous link of the chain wins ties, so the chain cannot cycle.
    let b = previous, nearest = previous >= 0 ? distance[a * n + previous] : Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      if (j === a || !active[j]) continue;
      if (distance[a * n + j] < nearest) [b, nearest] = [j, distance[a * n + j]];
    }
    if (b !== previous) {
      chain.push(b);
      continue;
    }
    // a and previous are reciprocal nearest neighbours: merge previous into a.
    chain.length -= 2;
    if (nearest <= cut) merges++;
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === a || k === previous) continue;
      const d = Math.max(distance[a * n + k], distance[previous * n + k]);
      distance[a * n + k] = distance[k * n + a] = d;
    }
    active[previous] = 0;
    remaining--;
  }
  return n - merges;
}
