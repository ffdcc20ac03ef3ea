// How good does the best of N correlated, skill-less strategies look? Five hundred strategies drawn from nine
// families are not five hundred independent bets — two moving-average crosses with nearby periods hold the same
// position most of the time — nor one bet. Under "no strategy has skill", each strategy's Sharpe estimate is
// SR̂ᵢ ≈ zᵢ/√(T − 1) with z ~ N(0, C), C the correlation matrix of their returns. This simulates max zᵢ directly
// from the strategies' own correlations, estimated from their per-block return sums (B = 64 observations each):
// z = Z·g, g ~ N(0, I_B), where the rows of Z are each strategy's standardised block sums (unit length), so zᵢ has
// variance 1 and corr(zᵢ, zⱼ) is the sample correlation. What follows from the draws:
//   - E[max z], the benchmark of the deflated Sharpe ratio (Bailey & López de Prado 2014) for these trials, and the
//     number of independent trials that would give the same expectation (their "effective number");
//   - P(max z ≥ z_observed): the family-wise p-value of an observed best (a max-t test): exact in size when the
//     strategy tested is the best by Sharpe, conservative when it was picked by another metric.
// With B observations, C has rank ≤ B − 1 and its off-diagonal entries carry chance correlation of variance
// ~1/(B − 1); both are measured by `npm run calibrate` (the size of the test is in the README's table).
import { InputError } from '../errors';
import { createRng } from '../random';
import { expectedMaxStandardNormal } from './sharpe';

/**
 * The share of each strategy's variance drawn independently of the others. Correlations estimated from B = 64
 * block sums span at most 63 dimensions, so on their own they make 500 strategies look like at most 63 and
 * understate how high luck can reach; an independent share restores the rank. Measured on 100 zero-drift GBM
 * markets at 0 bps, 500 strategies on 6,132 training bars, selected by Sharpe: the p ≤ 0.05 test rejected 9.3 % of
 * the time with no independent share, 9.0 % with 0.1 and 8.0 % with 0.25 (±2.7 points); the README's calibration
 * table has the size at the defaults.
 */
export const INDEPENDENT_SHARE = 0.25;

export interface LuckOfTheBest {
  /** Strategies whose block sums vary (a flat series has no correlation and cannot be the best by luck). */
  strategies: number;
  draws: number;
  /** E[max z] over the draws: in Sharpe units per bar it is E[max SR̂] · √(T − 1). */
  expectedMax: number;
  /** N such that N independent standard normals have the same E[max] (≥ 1). */
  effectiveTrials: number;
  /** The draws of max z, sorted ascending (for p-values). */
  maxima: Float64Array;
}

function standardNormal(rng: { next(): number }): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** The smallest N ≥ 1 (continuous) whose E[max of N independent standard normals] reaches `target`. */
export function independentTrialsFor(target: number): number {
  if (!(target > 0)) return 1;
  const expected = (n: number) => (n <= 1 ? 0 : expectedMaxStandardNormal(Math.round(n)));
  let lo = 1,
    hi = 2;
  while (expected(hi) < target && hi < 1e15) hi *= 2;
  while (hi - lo > 0.5) {
    const mid = (lo + hi) / 2;
    if (expected(mid) < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Simulated maxima of N correlated standard normals with the correlations of `sums` (N strategies × `blocks` block
 * sums, [i · blocks + b]). Cost N · B per draw; `draws` 2,000 by default (the 95 % point to about ±0.05).
 */
export function luckOfTheBest(
  sums: ArrayLike<number>,
  strategies: number,
  blocks: number,
  options: { draws?: number; seed?: number; independentShare?: number } = {},
): LuckOfTheBest {
  const draws = options.draws ?? 2000;
  const ownShare = options.independentShare ?? INDEPENDENT_SHARE;
  const shared = Math.sqrt(1 - ownShare),
    alone = Math.sqrt(ownShare);
  if (!Number.isInteger(blocks) || blocks < 3)
    throw new InputError(`needs at least 3 observations per strategy (got ${blocks})`, 'blocks');
  if (sums.length !== strategies * blocks)
    throw new InputError(`holds ${sums.length} values, expected ${strategies} × ${blocks}`, 'sums');
  if (!Number.isInteger(draws) || draws < 1) throw new InputError(`must be a whole number ≥ 1 (got ${draws})`, 'draws');
  // The standardised block sums of the strategies that vary, row after row.
  let rows = 0;
  const z = new Float64Array(strategies * blocks);
  for (let i = 0; i < strategies; i++) {
    let mean = 0;
    for (let b = 0; b < blocks; b++) {
      const v = sums[i * blocks + b];
      if (!Number.isFinite(v)) throw new InputError(`must be finite (strategy ${i}, block ${b} is ${v})`, 'sums');
      mean += v / blocks;
    }
    const at = rows * blocks;
    let norm = 0;
    for (let b = 0; b < blocks; b++) {
      const d = sums[i * blocks + b] - mean;
      z[at + b] = d;
      norm += d * d;
    }
    if (!(norm > blocks * (mean * 1e-12) ** 2) || norm === 0) continue; // constant up to rounding: not a series
    const scale = 1 / Math.sqrt(norm);
    for (let b = 0; b < blocks; b++) z[at + b] *= scale;
    rows++;
  }
  const maxima = new Float64Array(draws);
  const normal = standardNormal(createRng(options.seed ?? 0));
  // DRAWS_AT_ONCE draws share one pass over z: each row is loaded once for all of them, and their dot products are
  // independent add chains the CPU overlaps (one draw at a time waits on one chain: the whole function took twice
  // as long at 5,000 strategies, normals included). Each draw's normals are taken in the order one draw at a time
  // takes them (its B, then one per strategy), and each dot product is summed alone in block order, so every maximum
  // has the bits it had.
  const g = new Float64Array(DRAWS_AT_ONCE * blocks);
  const ownNormals = new Float64Array(DRAWS_AT_ONCE * rows);
  const best = new Float64Array(DRAWS_AT_ONCE);
  for (let first = 0; first < draws; first += DRAWS_AT_ONCE) {
    const batch = Math.min(DRAWS_AT_ONCE, draws - first);
    g.fill(0); // a short last batch computes unused draws on zeros
    for (let j = 0; j < batch; j++) {
      for (let b = 0; b < blocks; b++) g[j * blocks + b] = normal();
      for (let r = 0; r < rows; r++) ownNormals[j * rows + r] = normal();
    }
    bestOfDraws(z, rows, blocks, g, ownNormals, shared, alone, best);
    for (let j = 0; j < batch; j++) maxima[first + j] = rows > 0 ? best[j] : 0;
  }
  maxima.sort();
  let expectedMax = 0;
  for (let d = 0; d < draws; d++) expectedMax += maxima[d] / draws;
  return { strategies: rows, draws, expectedMax, effectiveTrials: independentTrialsFor(expectedMax), maxima };
}

const DRAWS_AT_ONCE = 4;

/**
 * For DRAWS_AT_ONCE draws j: best[j] = max over rows r of shared · (z_r · g_j) + alone · ownNormals[j · rows + r].
 * Two rows at a time: eight independent add chains, and each g value loaded once for both.
 */
function bestOfDraws(
  z: Float64Array,
  rows: number,
  blocks: number,
  g: Float64Array,
  ownNormals: Float64Array,
  shared: number,
  alone: number,
  best: Float64Array,
): void {
  best.fill(Number.NEGATIVE_INFINITY);
  const g1 = blocks,
    g2 = 2 * blocks,
    g3 = 3 * blocks;
  for (let r = 0; r < rows; r += 2) {
    const at = r * blocks,
      next = r + 1 < rows ? at + blocks : at; // an odd last row pairs with itself; its twin is not kept
    let v0 = 0,
      v1 = 0,
      v2 = 0,
      v3 = 0,
      w0 = 0,
      w1 = 0,
      w2 = 0,
      w3 = 0;
    for (let b = 0; b < blocks; b++) {
      const x = z[at + b],
        y = z[next + b];
      const h0 = g[b],
        h1 = g[g1 + b],
        h2 = g[g2 + b],
        h3 = g[g3 + b];
      v0 += x * h0;
      v1 += x * h1;
      v2 += x * h2;
      v3 += x * h3;
      w0 += y * h0;
      w1 += y * h1;
      w2 += y * h2;
      w3 += y * h3;
    }
    keep(best, ownNormals, rows, r, shared, alone, v0, v1, v2, v3);
    if (r + 1 < rows) keep(best, ownNormals, rows, r + 1, shared, alone, w0, w1, w2, w3);
  }
}

/** Row r's z of the four draws, with its independent share, into the draws' maxima. */
function keep(
  best: Float64Array,
  ownNormals: Float64Array,
  rows: number,
  r: number,
  shared: number,
  alone: number,
  v0: number,
  v1: number,
  v2: number,
  v3: number,
): void {
  const z0 = shared * v0 + alone * ownNormals[r],
    z1 = shared * v1 + alone * ownNormals[rows + r],
    z2 = shared * v2 + alone * ownNormals[2 * rows + r],
    z3 = shared * v3 + alone * ownNormals[3 * rows + r];
  if (z0 > best[0]) best[0] = z0;
  if (z1 > best[1]) best[1] = z1;
  if (z2 > best[2]) best[2] = z2;
  if (z3 > best[3]) best[3] = z3;
}

/** P(max z ≥ observed) from the draws, as (1 + #{draws ≥ observed}) / (draws + 1). */
export function luckPValue(luck: LuckOfTheBest, observed: number): number {
  if (Number.isNaN(observed)) return Number.NaN;
  let lo = 0,
    hi = luck.maxima.length; // first index with maxima[i] ≥ observed
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (luck.maxima[mid] < observed) lo = mid + 1;
    else hi = mid;
  }
  return (1 + luck.maxima.length - lo) / (luck.maxima.length + 1);
}
