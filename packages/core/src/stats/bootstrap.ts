// Data-snooping tests: did any of N strategies really beat the benchmark, given that the best of N was looked
// for? White's Reality Check (2000) and Hansen's Superior Predictive Ability test (2005), with the stationary
// bootstrap of Politis & Romano (1994). Inputs are excess returns d[k][t] = strategy k − benchmark at t.
import { InputError } from '../errors';
import { createRng } from '../random';

// Local aliases: jest runs modules in a vm context where every global lookup (Math.…) in a hot loop costs ~30×.
const { floor, max, sqrt } = Math;

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
}

export interface RealityCheckResult {
  /** max over strategies of √T · mean excess return. */
  statistic: number;
  pValue: number;
  best: number;
}

export interface SpaResult {
  /** max(0, max over strategies of √T · mean excess / ω̂): studentised, so noisy strategies weigh less. */
  statistic: number;
  /** Re-centred at max(mean, 0): poor strategies drop out, the smallest p-value. */
  lower: number;
  /** Hansen's recommended p-value: only strategies within √(2 ln ln T)·ω̂/√T of 0 are re-centred at 0. */
  consistent: number;
  /** Re-centred at the mean for every strategy (like the Reality Check, studentised): the largest p-value. */
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
  length: number, meanBlockLength: number, replicates: number, seed: number, visit: (counts: Float64Array, replicate: number) => void,
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
  if (!(meanBlockLength >= 1 && meanBlockLength <= T)) throw new InputError(`must be between 1 and the ${T} observations (got ${meanBlockLength})`, 'meanBlockLength');
  const replicates = input.replicates ?? DEFAULT_REPLICATES;
  if (!Number.isInteger(replicates) || replicates < 1) throw new InputError(`must be a whole number ≥ 1 (got ${replicates})`, 'replicates');
  const means = new Float64Array(returns.length);
  const d = Array.from(returns, (series, k) => {
    if (series.length !== T) throw new InputError(`series ${k} has ${series.length} observations, the benchmark ${T}`, 'returns');
    const row = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      row[t] = series[t] - benchmark[t];
      if (!Number.isFinite(row[t])) throw new InputError(`must be finite numbers (series ${k}, observation ${t})`, 'returns');
      means[k] += row[t] / T;
    }
    return row;
  });
  return { d, means, T };
}

/** Mean of one row under bootstrap counts. */
function resampledMean(row: Float64Array, counts: Float64Array, T: number): number {
  let s = 0;
  for (let t = 0; t < T; t++) s += counts[t] * row[t];
  return s / T;
}

/**
 * White's Reality Check and Hansen's SPA from one bootstrap pass (the resampled means, N × T per replicate, are the
 * whole cost and both tests read the same ones).
 */
export function dataSnoopingTests(input: SnoopingInput): { realityCheck: RealityCheckResult; spa: SpaResult } {
  const { d, means, T } = excessReturns(input);
  const n = d.length;
  const root = sqrt(T);
  const replicates = input.replicates ?? DEFAULT_REPLICATES;

  // Reality Check: max over strategies of √T · mean, re-centred at each strategy's own mean in the bootstrap.
  let rcStatistic = Number.NEGATIVE_INFINITY, rcBest = 0;
  for (let k = 0; k < n; k++) if (root * means[k] > rcStatistic) [rcStatistic, rcBest] = [root * means[k], k];

  // SPA: studentised by ω̂; a strategy identical to the benchmark (ω̂ = 0) says nothing and is left out.
  const scale = new Float64Array(n); // √T / ω̂, 0 when left out
  // √(2 ln ln T), 0 where ln ln T ≤ 0 (T ≤ e): it was NaN at T = 2, which re-centred every strategy at 0 and broke
  // lower ≤ consistent ≤ upper. The centres obey max(mean, 0) ≥ consistent ≥ mean for any threshold ≥ 0, and all
  // three statistics read the same replicates, so the p-values are ordered replicate by replicate.
  const threshold = sqrt(2 * max(0, Math.log(Math.log(T))));
  const lowerCentre = new Float64Array(n), consistentCentre = new Float64Array(n);
  let spaStatistic = 0, spaBest = -1;
  for (let k = 0; k < n; k++) {
    const omega = sqrt(stationaryBootstrapVariance(d[k], input.meanBlockLength));
    if (!(omega > 0)) continue;
    scale[k] = root / omega;
    lowerCentre[k] = max(means[k], 0);
    consistentCentre[k] = means[k] >= 0 || means[k] >= (-threshold * omega) / root ? means[k] : 0;
    const t = means[k] * scale[k];
    if (spaBest < 0 || t > spaStatistic) spaBest = k;
    spaStatistic = max(spaStatistic, t);
  }

  let rcExceed = 0, lowerExceed = 0, consistentExceed = 0, upperExceed = 0;
  stationaryBootstrapCounts(T, input.meanBlockLength, replicates, input.seed, (counts) => {
    let rc = Number.NEGATIVE_INFINITY, lower = 0, consistent = 0, upper = 0;
    for (let k = 0; k < n; k++) {
      const m = resampledMean(d[k], counts, T);
      rc = max(rc, root * (m - means[k]));
      const z = scale[k];
      if (z === 0) continue;
      lower = max(lower, (m - lowerCentre[k]) * z);
      consistent = max(consistent, (m - consistentCentre[k]) * z);
      upper = max(upper, (m - means[k]) * z);
    }
    if (rc >= rcStatistic) rcExceed++;
    if (lower >= spaStatistic) lowerExceed++;
    if (consistent >= spaStatistic) consistentExceed++;
    if (upper >= spaStatistic) upperExceed++;
  });
  return {
    realityCheck: { statistic: rcStatistic, pValue: rcExceed / replicates, best: rcBest },
    spa: {
      statistic: spaStatistic, best: max(spaBest, 0),
      lower: lowerExceed / replicates, consistent: consistentExceed / replicates, upper: upperExceed / replicates,
    },
  };
}

/** White's Reality Check: p-value of the best mean excess return under "no strategy beats the benchmark". */
export function realityCheck(input: SnoopingInput): RealityCheckResult {
  return dataSnoopingTests(input).realityCheck;
}

/** Hansen's SPA test: lower, consistent and upper p-values of the best studentised mean excess return. */
export function superiorPredictiveAbility(input: SnoopingInput): SpaResult {
  return dataSnoopingTests(input).spa;
}
