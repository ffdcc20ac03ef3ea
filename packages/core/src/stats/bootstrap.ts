// Data-snooping tests: did any of N strategies really beat the benchmark, given that the best of N was looked
// for? White's Reality Check (2000) and Hansen's Superior Predictive Ability test (2005), with the stationary
// bootstrap of Politis & Romano (1994). Inputs are excess returns d[k][t] = strategy k − benchmark at t.
import { InputError } from '../errors';
import { createRng } from '../random';

// Local aliases: jest runs modules in a vm context where every global lookup (Math.…) in a hot loop costs ~30×.
const { abs, floor, max, sqrt } = Math;

export interface SnoopingInput {
  /** One return series per strategy, all of length T. */
  returns: ArrayLike<ArrayLike<number>>;
  /** The benchmark's returns on the same T observations (the product uses buy-and-hold). */
  benchmark: ArrayLike<number>;
  /** Mean block length b of the stationary bootstrap, in observations (blocks have geometric lengths, mean b). */
  meanBlockLength: number;
  /** Bootstrap replicates B. */
  replicates?: number;
  seed: number;
  /**
   * SPA's statistic: the plain √T·mean with SPA's re-centring (false, the default) or studentised as a bootstrap-t
   * (true). On the pipeline's 64 block sums of 500 strategies on no-edge markets the bootstrap-t rejected 8.1 %
   * [6.7, 9.8] at 5 %, the plain statistic 6.6 % [5.3, 8.1] (`npm run bench:snooping-pipeline`, docs/verdict.md).
   */
  studentise?: boolean;
}

export interface RealityCheckResult {
  /** max over strategies of √T · mean excess return. */
  statistic: number;
  pValue: number;
  best: number;
}

export interface SpaResult {
  /** max(0, max over strategies of √T · mean excess), divided by σ̂ when studentised. */
  statistic: number;
  /** Re-centred at max(mean, 0): poor strategies drop out, the smallest p-value. */
  lower: number;
  /** Hansen's recommended p-value: only strategies within √(2 ln ln T)·ω̂/√T of 0 are re-centred at 0. */
  consistent: number;
  /** Re-centred at the mean for every strategy (like the Reality Check): the largest p-value. */
  upper: number;
  best: number;
}

export const DEFAULT_REPLICATES = 1000;

/**
 * Observation counts of each bootstrap replicate (how often each t was drawn; blocks start at a uniform t, run on
 * with probability 1 − 1/b and wrap around the end), handed to `visit` one replicate at a time. The array is
 * reused between calls.
 */
export function stationaryBootstrapCounts(
  length: number,
  meanBlockLength: number,
  replicates: number,
  seed: number,
  visit: (counts: Float64Array, replicate: number) => void,
): void {
  const rng = createRng(seed);
  const restart = 1 / meanBlockLength;
  const counts = new Float64Array(length);
  for (let b = 0; b < replicates; b++) {
    counts.fill(0);
    let t = floor(rng.next() * length);
    counts[t]++;
    for (let drawn = 1; drawn < length; drawn++) {
      t = rng.next() < restart ? floor(rng.next() * length) : t + 1 === length ? 0 : t + 1;
      counts[t]++;
    }
    visit(counts, b);
  }
}

/**
 * The variance of √T · mean under the stationary bootstrap (Politis & Romano 1994, the kernel form Hansen uses):
 * γ0 + 2 Σ κ(i) γi, κ(i) = (1 − i/T)(1 − p)^i + (i/T)(1 − p)^(T − i), p = 1/b. Deterministic, so the statistic's
 * scale does not depend on the draws.
 */
export function stationaryBootstrapVariance(series: ArrayLike<number>, meanBlockLength: number): number {
  const n = series.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += series[t];
  mean /= n;
  const autocovariance = (lag: number) => {
    let s = 0;
    for (let t = 0; t + lag < n; t++) s += (series[t] - mean) * (series[t + lag] - mean);
    return s / n;
  };
  const stay = 1 - 1 / meanBlockLength;
  let variance = autocovariance(0);
  for (let i = 1; i < n; i++) {
    const kernel = (1 - i / n) * stay ** i + (i / n) * stay ** (n - i);
    if (kernel > 1e-12) variance += 2 * kernel * autocovariance(i);
  }
  return max(0, variance);
}

function excessReturns(input: SnoopingInput): { d: Float64Array[]; means: Float64Array; T: number } {
  const { returns, benchmark, meanBlockLength } = input;
  const T = benchmark.length;
  if (returns.length < 1) throw new InputError('needs at least one strategy', 'returns');
  if (T < 2) throw new InputError(`needs at least 2 observations (got ${T})`, 'benchmark');
  if (!(meanBlockLength >= 1 && meanBlockLength <= T))
    throw new InputError(`must be between 1 and the ${T} observations (got ${meanBlockLength})`, 'meanBlockLength');
  const replicates = input.replicates ?? DEFAULT_REPLICATES;
  if (!Number.isInteger(replicates) || replicates < 1)
    throw new InputError(`must be a whole number ≥ 1 (got ${replicates})`, 'replicates');
  const means = new Float64Array(returns.length);
  const d = Array.from(returns, (series, k) => {
    if (series.length !== T)
      throw new InputError(`series ${k} has ${series.length} observations, the benchmark ${T}`, 'returns');
    const row = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      row[t] = series[t] - benchmark[t];
      if (!Number.isFinite(row[t]))
        throw new InputError(`must be finite numbers (series ${k}, observation ${t})`, 'returns');
      means[k] += row[t] / T;
    }
    return row;
  });
  return { d, means, T };
}

/**
 * White's Reality Check and Hansen's SPA from one bootstrap pass (the resampled sums, N × T per replicate, are the
 * whole cost and both tests read the same ones).
 *
 * SPA re-centres the strategies clearly below the benchmark at 0 (Hansen's consistent p-value), so they no longer
 * inflate the bootstrap maximum as they do in the Reality Check; by default its statistic is the plain √T·mean.
 * With `studentise` it is a bootstrap-t: the observed t_k = √T·mean_k / σ̂_k and, in every replicate, the resampled
 * t*_k = √T·(mean*_k − centre_k) / σ*_k with σ*_k the standard deviation of that replicate's draws (σ̂, σ* with 1/T).
 * Hansen's version divides the replicates by the fixed kernel estimate ω̂_k instead: with few observations (the
 * validate stage's 64 block sums) ω̂ is so noisy that the observed t has much heavier tails than the replicates, and
 * the test rejected a true null 20–48 % of the time at 5 % (N = 50–500; `npm run bench:snooping`). Re-estimating
 * the scale in each replicate puts the same noise into the bootstrap distribution. Dependence is still carried by
 * the stationary bootstrap (Var*(√T·mean*) ≈ ω̂², σ* ≈ σ̂), so t* mimics t. ω̂ (the kernel variance) still sets the
 * consistent p-value's threshold for "clearly below the benchmark". The bootstrap-t still rejected 8.1 % on the
 * pipeline's block sums (the plain statistic 6.6 %), which is why it is not the default.
 */
export function dataSnoopingTests(input: SnoopingInput): { realityCheck: RealityCheckResult; spa: SpaResult } {
  const { d, means, T } = excessReturns(input);
  const n = d.length;
  const root = sqrt(T);
  const replicates = input.replicates ?? DEFAULT_REPLICATES;
  const studentise = input.studentise ?? false;

  // Reality Check: max over strategies of √T · mean, re-centred at each strategy's own mean in the bootstrap.
  let rcStatistic = Number.NEGATIVE_INFINITY,
    rcBest = 0;
  for (let k = 0; k < n; k++) if (root * means[k] > rcStatistic) [rcStatistic, rcBest] = [root * means[k], k];

  // SPA: a strategy whose excess does not vary (a copy of the benchmark, σ̂ = 0) says nothing and is left out.
  // √(2 ln ln T), 0 where ln ln T ≤ 0 (T ≤ e): it was NaN at T = 2, which re-centred every strategy at 0 and broke
  // lower ≤ consistent ≤ upper. The centres obey max(mean, 0) ≥ consistent ≥ mean for any threshold ≥ 0, and all
  // three statistics read the same replicates and scales, so the p-values are ordered replicate by replicate.
  const threshold = sqrt(2 * max(0, Math.log(Math.log(T))));
  const used = new Uint8Array(n);
  const lowerCentre = new Float64Array(n),
    consistentCentre = new Float64Array(n);
  let spaStatistic = 0,
    spaBest = -1;
  for (let k = 0; k < n; k++) {
    const row = d[k],
      m = means[k];
    let v = 0;
    for (let t = 0; t < T; t++) v += (row[t] - m) * (row[t] - m);
    const sigma = sqrt(v / T);
    if (!(sigma > 1e-15 * max(1, abs(m)))) continue;
    used[k] = 1;
    const omega = sqrt(stationaryBootstrapVariance(row, input.meanBlockLength));
    lowerCentre[k] = max(m, 0);
    consistentCentre[k] = m >= 0 || m >= (-threshold * omega) / root ? m : 0;
    const statistic = studentise ? (root * m) / sigma : root * m;
    if (spaBest < 0 || statistic > spaStatistic) spaBest = k;
    spaStatistic = max(spaStatistic, statistic);
  }

  // REPLICATES_AT_ONCE replicates share one pass over the strategies: each row is loaded once for all of them, and
  // their sums are independent add chains the CPU overlaps (one replicate at a time waits on two chains: 1.8×
  // slower at 5,000 strategies). Every sum is still added alone in observation order, and maxima do not depend on
  // order: same bits.
  const counts = new Float64Array(REPLICATES_AT_ONCE * T);
  const sums = new Float64Array(2 * REPLICATES_AT_ONCE);
  const rc = new Float64Array(REPLICATES_AT_ONCE),
    lower = new Float64Array(REPLICATES_AT_ONCE),
    consistent = new Float64Array(REPLICATES_AT_ONCE),
    upper = new Float64Array(REPLICATES_AT_ONCE);
  let rcExceed = 0,
    lowerExceed = 0,
    consistentExceed = 0,
    upperExceed = 0;
  stationaryBootstrapCounts(T, input.meanBlockLength, replicates, input.seed, (drawn, replicate) => {
    const j = replicate % REPLICATES_AT_ONCE;
    counts.set(drawn, j * T);
    const batch = j + 1;
    if (batch < REPLICATES_AT_ONCE && replicate < replicates - 1) return;
    counts.fill(0, batch * T); // a short last batch sums unused replicates of zeros
    rc.fill(Number.NEGATIVE_INFINITY);
    lower.fill(0);
    consistent.fill(0);
    upper.fill(0);
    for (let k = 0; k < n; k++) {
      resampledSums(d[k], counts, T, sums);
      for (let r = 0; r < batch; r++) {
        const m = sums[2 * r] / T;
        rc[r] = max(rc[r], root * (m - means[k]));
        if (!used[k]) continue;
        const variance = sums[2 * r + 1] / T - m * m;
        // A replicate that drew one value only has no scale: it says nothing about this strategy's t.
        if (studentise && !(variance > 0)) continue;
        const z = studentise ? root / sqrt(variance) : root;
        lower[r] = max(lower[r], (m - lowerCentre[k]) * z);
        consistent[r] = max(consistent[r], (m - consistentCentre[k]) * z);
        upper[r] = max(upper[r], (m - means[k]) * z);
      }
    }
    for (let r = 0; r < batch; r++) {
      if (rc[r] >= rcStatistic) rcExceed++;
      if (lower[r] >= spaStatistic) lowerExceed++;
      if (consistent[r] >= spaStatistic) consistentExceed++;
      if (upper[r] >= spaStatistic) upperExceed++;
    }
  });
  return {
    realityCheck: { statistic: rcStatistic, pValue: rcExceed / replicates, best: rcBest },
    spa: {
      statistic: spaStatistic,
      best: max(spaBest, 0),
      lower: lowerExceed / replicates,
      consistent: consistentExceed / replicates,
      upper: upperExceed / replicates,
    },
  };
}

const REPLICATES_AT_ONCE = 4;

/** One row's Σ count·x and Σ count·x² for REPLICATES_AT_ONCE replicates' counts, into sums[2r] and sums[2r + 1]. */
function resampledSums(row: Float64Array, counts: Float64Array, T: number, sums: Float64Array): void {
  let s0 = 0,
    q0 = 0,
    s1 = 0,
    q1 = 0,
    s2 = 0,
    q2 = 0,
    s3 = 0,
    q3 = 0;
  for (let t = 0; t < T; t++) {
    const x = row[t];
    const c0 = counts[t] * x,
      c1 = counts[T + t] * x,
      c2 = counts[2 * T + t] * x,
      c3 = counts[3 * T + t] * x;
    s0 += c0;
    q0 += c0 * x;
    s1 += c1;
    q1 += c1 * x;
    s2 += c2;
    q2 += c2 * x;
    s3 += c3;
    q3 += c3 * x;
  }
  sums[0] = s0;
  sums[1] = q0;
  sums[2] = s1;
  sums[3] = q1;
  sums[4] = s2;
  sums[5] = q2;
  sums[6] = s3;
  sums[7] = q3;
}

/** White's Reality Check: p-value of the best mean excess return under "no strategy beats the benchmark". */
export function realityCheck(input: SnoopingInput): RealityCheckResult {
  return dataSnoopingTests(input).realityCheck;
}

/** Hansen's SPA test: lower, consistent and upper p-values of the best mean excess return. */
export function superiorPredictiveAbility(input: SnoopingInput): SpaResult {
  return dataSnoopingTests(input).spa;
}
