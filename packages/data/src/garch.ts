// GARCH(1,1) on log returns: r_t = μ + ε_t, ε_t = σ_t·z_t, σ²_t = ω + α·ε²_{t−1} + β·σ²_{t−1}, z_t ~ N(0, 1).
// A null market with BTC's volatility clustering: calm and wild stretches like the real thing, still no edge.
import { createRng, emptyPriceColumns, InputError, type PriceSeries } from '@overfit/core';
import { standardNormal } from './synthetic';

// Math's functions held in module constants: under jest (a vm context) every global lookup in a hot loop is slow.
const { exp, log, round, sqrt } = Math;

export interface Garch11 {
  mu: number;
  omega: number;
  alpha: number;
  beta: number;
  /** Gaussian log-likelihood at the fitted parameters, constants included. */
  logLikelihood: number;
  /** Returns the fit used. */
  observations: number;
}

/** Log returns between consecutive closes. */
export function logReturns(close: Float64Array): Float64Array {
  const r = new Float64Array(close.length - 1);
  for (let i = 1; i < close.length; i++) r[i - 1] = log(close[i] / close[i - 1]);
  return r;
}

/** −(log-likelihood without constants) of demeaned returns; the first variance is the sample variance (backcast). */
function negativeLogLikelihood(e: Float64Array, variance: number, omega: number, alpha: number, beta: number): number {
  let s2 = variance;
  let sum = 0;
  for (let t = 0; t < e.length; t++) {
    sum += log(s2) + (e[t] * e[t]) / s2;
    s2 = omega + alpha * e[t] * e[t] + beta * s2;
  }
  return 0.5 * sum;
}

/** Minimise f with the Nelder–Mead simplex (standard coefficients), from x0 with initial steps `step`. */
function nelderMead(f: (x: number[]) => number, x0: number[], step: number, maxEvaluations = 3000): number[] {
  const d = x0.length;
  let simplex = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step : v)))].map((x) => ({ x, f: f(x) }));
  let evaluations = d + 1;
  const along = (a: number[], b: number[], t: number) => a.map((v, i) => v + t * (b[i] - v));
  while (evaluations < maxEvaluations) {
    simplex.sort((a, b) => a.f - b.f);
    const best = simplex[0];
    const worst = simplex[d];
    if (Math.abs(worst.f - best.f) <= 1e-10 * (Math.abs(best.f) + 1e-10)) break;
    const centroid = x0.map((_, i) => simplex.slice(0, d).reduce((s, p) => s + p.x[i], 0) / d);
    const trial = (t: number) => {
      const x = along(centroid, worst.x, t);
      evaluations++;
      return { x, f: f(x) };
    };
    const reflected = trial(-1);
    if (reflected.f < best.f) {
      const expanded = trial(-2);
      simplex[d] = expanded.f < reflected.f ? expanded : reflected;
    } else if (reflected.f < simplex[d - 1].f) {
      simplex[d] = reflected;
    } else {
      const contracted = reflected.f < worst.f ? trial(-0.5) : trial(0.5);
      if (contracted.f < Math.min(worst.f, reflected.f)) simplex[d] = contracted;
      else {
        // Shrink every vertex halfway towards the best one.
        simplex = simplex.map((p, i) => {
          if (i === 0) return p;
          const x = along(best.x, p.x, 0.5);
          return { x, f: f(x) };
        });
        evaluations += d;
      }
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return simplex[0].x;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

/**
 * GARCH(1,1) of a return series by maximum likelihood with variance targeting (Engle & Mezrich, 1996): μ is the
 * sample mean and ω = s²·(1 − α − β) with s² the sample variance, so the fitted process has the source's
 * volatility. α and β are found by Nelder–Mead over (logit(α + β), logit(α / (α + β))), which keeps α, β ≥ 0 and
 * α + β < 1 (stationary) without constraints; restarted from its own optimum until the likelihood stops improving.
 * Why targeting: fitted freely, ω, α, β of BTC's hourly history run to α + β ≈ 1 with a tiny ω (its volatility
 * regimes last years), and a simulation of that wanders off to 10–100 × the real volatility.
 */
export function fitGarch11(returns: Float64Array, where = 'garch'): Garch11 {
  const n = returns.length;
  if (n < 100) throw new InputError(`needs at least 100 returns to fit GARCH(1,1) (got ${n})`, where);
  const mu = returns.reduce((a, b) => a + b, 0) / n;
  const e = returns.map((r) => r - mu);
  const variance = e.reduce((a, b) => a + b * b, 0) / n;
  if (!(variance > 0)) throw new InputError('has constant prices: no volatility to fit', where);
  const unpack = (x: number[]) => {
    const persistence = logistic(x[0]);
    return {
      omega: variance * (1 - persistence),
      alpha: persistence * logistic(x[1]),
      beta: persistence * (1 - logistic(x[1])),
    };
  };
  const objective = (x: number[]) => {
    const p = unpack(x);
    const value = negativeLogLikelihood(e, variance, p.omega, p.alpha, p.beta);
    return Number.isFinite(value) && p.omega > 0 ? value : Number.MAX_VALUE;
  };
  let x = [logit(0.95), logit(0.1)];
  let value = objective(x);
  for (let restart = 0; restart < 5; restart++) {
    const next = nelderMead(objective, x, 0.5);
    const nextValue = objective(next);
    const improved = value - nextValue > 1e-9 * Math.abs(value);
    x = next;
    value = nextValue;
    if (!improved) break;
  }
  const { omega, alpha, beta } = unpack(x);
  return { mu, omega, alpha, beta, logLikelihood: -value - 0.5 * n * Math.log(2 * Math.PI), observations: n };
}

export interface GarchSimulation {
  bars: number;
  seed: number;
  /** Open time of the first bar (epoch ms) and bar length. */
  start: number;
  intervalMs: number;
  startPrice: number;
}

/** Sub-steps per bar: the running extremes of the path inside a bar give its high and low. */
const STEPS = 4;

/**
 * Prices whose bar log returns follow the GARCH(1,1) process, started at its unconditional variance
 * ω / (1 − α − β). Each bar's return is the sum of four normal sub-steps of variance σ²_t / 4, so it is
 * N(μ, σ²_t) as the model says, and the path inside the bar gives a consistent high and low.
 */
export function simulateGarch11(
  model: Pick<Garch11, 'mu' | 'omega' | 'alpha' | 'beta'>,
  options: GarchSimulation,
): PriceSeries {
  const { mu, omega, alpha, beta } = model;
  const { bars, seed, start, intervalMs, startPrice } = options;
  if (!(omega > 0 && alpha >= 0 && beta >= 0 && alpha + beta < 1))
    throw new InputError(`needs ω > 0, α, β ≥ 0 and α + β < 1 (got ω ${omega}, α ${alpha}, β ${beta})`, 'garch');
  if (!Number.isInteger(bars) || bars < 2) throw new InputError(`must be an integer ≥ 2 (got ${bars})`, 'garch.bars');
  const normal = standardNormal(createRng(seed));
  const { time, open, high, low, close, volume } = emptyPriceColumns(bars);
  let variance = omega / (1 - alpha - beta);
  let price = startPrice;
  for (let t = 0; t < bars; t++) {
    const stepSigma = sqrt(variance / STEPS);
    let shock = 0;
    let hi = price;
    let lo = price;
    open[t] = price;
    for (let s = 0; s < STEPS; s++) {
      const step = stepSigma * normal();
      shock += step;
      price *= exp(mu / STEPS + step);
      if (price > hi) hi = price;
      if (price < lo) lo = price;
    }
    time[t] = start + t * intervalMs;
    close[t] = price;
    high[t] = hi;
    low[t] = lo;
    // Volume rises with the bar's range, as in the GBM market: no strategy here reads it.
    volume[t] = round((500 + 50_000 * (hi / lo - 1)) * exp(0.3 * normal()) * 1000) / 1000;
    variance = omega + alpha * shock * shock + beta * variance;
  }
  return { time, open, high, low, close, volume, hasOhlc: true };
}
