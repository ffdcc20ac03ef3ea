// Seeded markets for the calibration benchmark: four on which no strategy can have an edge, two with an edge
// planted on purpose. Every market is hourly (intervalMs 3,600,000), starts at 10,000 on 2020-01-01 and is
// byte-reproducible for its seed.
//
// "No edge" means the price is a martingale: E[P_t / P_{t−1} − 1 | the past] = 0, so whatever position a strategy
// takes from the past, its expected gross return on a bar is 0 and its expected net return ≤ 0 (costs). A zero
// mean of the *log* return would not do: it leaves an arithmetic drift of σ²/2 per bar (≈ 21 % a year at 65 %
// volatility), an edge for every long-only strategy. So each generator subtracts σ²/2 (its conditional variance)
// from the log return, and the bootstraps shift the real log returns by log(mean(e^r)) instead of mean(r).
// The block bootstrap is the exception to "no strategy can have an edge": it keeps the real history's short-range
// dependence (within blocks of ~42 bars), which some strategy might exploit; it is reported as its own row.
import {
  createRng,
  DEFAULT_SYNTHETIC,
  emptyPriceColumns,
  InputError,
  YEAR_MS,
  type DataRef,
  type PriceSeries,
} from '@overfit/core';
import {
  defaultBlockLength,
  fitGarch11,
  logReturns,
  standardNormal,
  stationaryBootstrap,
  syntheticMarket,
  type Garch11,
} from '@overfit/data';

export const NO_EDGE_MARKETS = ['random_walk', 'garch', 'iid_bootstrap', 'block_bootstrap'] as const;
export const PLANTED_MARKETS = ['trend_regimes', 'autocorrelated'] as const;
export const MARKET_KINDS = [...NO_EDGE_MARKETS, ...PLANTED_MARKETS] as const;
export type MarketKind = (typeof MARKET_KINDS)[number];

export const isPlanted = (kind: MarketKind): boolean => (PLANTED_MARKETS as readonly string[]).includes(kind);

/** Hourly bars. */
export const INTERVAL_MS = 3_600_000;
/**
 * The default length of a calibration market: the default run's (DEFAULT_SYNTHETIC, two years of hours), so the
 * verdict is calibrated at the defaults. `--bars 8760` (one year) shows how power falls with a shorter validation.
 */
export const DEFAULT_BARS = (DEFAULT_SYNTHETIC as Extract<DataRef, { kind: 'synthetic' }>).bars;
export const START_TIME = Date.UTC(2020, 0, 1);
export const START_PRICE = 10_000;
/** Bars per year at INTERVAL_MS (crypto trades 24/7). */
export const PERIODS_PER_YEAR = YEAR_MS / INTERVAL_MS;

/** Annualised volatility of random_walk, trend_regimes and autocorrelated: BTC's hourly history runs 0.6–0.8. */
export const ANNUAL_VOLATILITY = 0.65;
/** The same as a per-bar standard deviation of log returns: 0.65 / √8,760 ≈ 0.694 %. */
export const BAR_VOLATILITY = ANNUAL_VOLATILITY / Math.sqrt(PERIODS_PER_YEAR);

/**
 * trend_regimes: a hidden two-state Markov chain s_t ∈ {+1, −1} (symmetric; it switches with probability 1 / L on
 * each bar, so regimes last L bars on average, geometrically distributed) and bar log returns
 * r_t = log(1 + s_t·μ) − σ²/2 + σ·z_t, z_t ~ N(0, 1): the expected simple return of a bar is +μ in an up regime and
 * −μ in a down regime, 0 overall. A perfect regime follower (long in up, short in down, no costs) earns μ per bar at
 * volatility σ: annual Sharpe μ/σ·√8,760 = 6.7 with μ = 5 bps and σ = 0.694 % (65 % a year).
 * Why that strong: with one year of bars (0.7 of it training) the best of 500 strategies shows ~3 annual Sharpe by
 * luck alone, so a planted edge a lagging trend follower keeps at 2–4 a year after fees is what the selection can
 * find. Measured (4 seeds, 500 strategies, 10 bps, select by Sharpe): at μ = 2.6 bps (perfect follower 3.5) none of
 * the selected strategies had a true edge; at μ = 5 bps all 4 did (sma/ema cross, donchian, bollinger breakout;
 * t 4–8 on a fresh path 4 years long).
 */
export const TREND_DRIFT = 5e-4;
export const TREND_REGIME_BARS = 720;

/**
 * autocorrelated: AR(1) log returns x_t = φ·x_{t−1} + e_t, e_t ~ N(0, σ²(1 − φ²)) so x has variance σ², and
 * r_t = x_t − σ²/2: the unconditional expected simple return is 0 (E[e^x] = e^{σ²/2}). Lag-1 autocorrelation φ:
 * short-lookback momentum and MACD predict the next bars. φ = 0.25 is stronger than the 0.05–0.1 first proposed
 * because 10 bps fees eat a one-bar edge: measured (4–6 seeds, 500 strategies, select by Sharpe), at φ 0.08–0.15 no
 * selected strategy had a true edge at 10 bps (at 0 bps, φ = 0.1 gave 3 of 4); at φ = 0.25, 6 of 6 did (macd,
 * momentum; t 6–10 on the fresh path).
 */
export const AR_PHI = 0.25;

/** Fixed BTC-like GARCH(1,1) used when the real hourly history is absent (persistence α + β = 0.98). */
export const FALLBACK_GARCH = { omega: BAR_VOLATILITY ** 2 * 0.02, alpha: 0.08, beta: 0.9 } as const;

/** Sub-steps per bar: their running extremes give a high and low consistent with open and close. */
const STEPS = 4;
const { exp, log, max, min, round, sqrt } = Math;

export interface TrendParameters {
  /** Expected simple return per bar in a regime, ±. */
  drift: number;
  /** Mean regime length in bars (switch probability 1 / regimeBars per bar). */
  regimeBars: number;
  /** Per-bar volatility of log returns. */
  barVolatility: number;
}

export interface ArParameters {
  phi: number;
  barVolatility: number;
}

/** The real hourly history the garch and bootstrap markets imitate, prepared once. */
export interface RealSource {
  path: string;
  /**
   * Its bars, each shifted so the close-to-close log returns r' = r − log(mean(e^r)) have a mean simple return of 0.
   */
  demeaned: PriceSeries;
  /** log(mean(e^r)) that was removed per bar, and the raw mean log return, for the record. */
  shift: number;
  meanLogReturn: number;
  garch: Garch11;
  meanBlockLength: number;
}

export interface MarketOptions {
  bars: number;
  seed: number;
  /**
   * The real history for garch and the bootstraps; garch falls back to FALLBACK_GARCH without it, the bootstraps fail.
   */
  source?: RealSource | null;
  trend?: Partial<TrendParameters>;
  ar?: Partial<ArParameters>;
}

export interface GeneratedMarket {
  series: PriceSeries;
  /** trend_regimes only: the hidden state of each bar (+1 / −1). */
  states?: Int8Array;
}

/**
 * Bars from per-bar (drift, σ): the log return of bar t is drift + Σ of four N(0, σ²/4) sub-steps, whose running
 * extremes give high and low. `bar(t, previous)` receives the previous bar's realised log return.
 */
function buildBars(
  bars: number,
  seed: number,
  bar: (t: number, previousReturn: number) => { drift: number; sigma: number },
): PriceSeries {
  if (!Number.isInteger(bars) || bars < 2) throw new InputError(`must be an integer ≥ 2 (got ${bars})`, 'market.bars');
  const normal = standardNormal(createRng(seed));
  const { time, open, high, low, close, volume } = emptyPriceColumns(bars);
  let price = START_PRICE;
  let previous = 0;
  for (let t = 0; t < bars; t++) {
    const { drift, sigma } = bar(t, previous);
    const stepSigma = sigma / sqrt(STEPS);
    const first = price;
    let hi = price;
    let lo = price;
    let r = 0;
    for (let s = 0; s < STEPS; s++) {
      const step = drift / STEPS + stepSigma * normal();
      r += step;
      price *= exp(step);
      if (price > hi) hi = price;
      if (price < lo) lo = price;
    }
    time[t] = START_TIME + t * INTERVAL_MS;
    open[t] = first;
    close[t] = price;
    high[t] = max(hi, first, price);
    low[t] = min(lo, first, price);
    volume[t] = round((500 + 50_000 * (hi / lo - 1)) * exp(0.3 * normal()) * 1000) / 1000;
    previous = r;
  }
  return { time, open, high, low, close, volume, hasOhlc: true };
}

/** Zero-drift geometric Brownian motion (a martingale), 65 % annual volatility. */
export function randomWalk(bars: number, seed: number): PriceSeries {
  return syntheticMarket({
    bars,
    seed,
    intervalMs: INTERVAL_MS,
    start: START_TIME,
    annualVolatility: ANNUAL_VOLATILITY,
    annualDrift: 0,
    startPrice: START_PRICE,
  });
}

/**
 * GARCH(1,1) with a conditional martingale: r_t = −σ²_t/2 + ε_t, ε_t = σ_t·z_t, σ²_t = ω + α·ε²_{t−1} + β·σ²_{t−1},
 * started at the unconditional variance. (@overfit/data's simulateGarch11 uses a constant μ; with μ = 0 it would
 * drift up by σ²_t/2 per bar, more in wild stretches, which a volatility-breakout strategy could harvest.)
 */
export function garchMarket(model: Pick<Garch11, 'omega' | 'alpha' | 'beta'>, bars: number, seed: number): PriceSeries {
  const { omega, alpha, beta } = model;
  if (!(omega > 0 && alpha >= 0 && beta >= 0 && alpha + beta < 1))
    throw new InputError(`needs ω > 0, α, β ≥ 0 and α + β < 1 (got ω ${omega}, α ${alpha}, β ${beta})`, 'garch');
  let variance = omega / (1 - alpha - beta);
  return buildBars(bars, seed, (t, previous) => {
    if (t > 0) {
      const shock = previous + variance / 2; // ε_{t−1}: the realised return minus its drift
      variance = omega + alpha * shock * shock + beta * variance;
    }
    return { drift: -variance / 2, sigma: sqrt(variance) };
  });
}

export function trendParameters(overrides: Partial<TrendParameters> = {}): TrendParameters {
  return { drift: TREND_DRIFT, regimeBars: TREND_REGIME_BARS, barVolatility: BAR_VOLATILITY, ...overrides };
}

/** trend_regimes (see TREND_DRIFT): the prices and the hidden regime of each bar. */
export function trendRegimes(
  bars: number,
  seed: number,
  overrides: Partial<TrendParameters> = {},
): { series: PriceSeries; states: Int8Array } {
  const { drift, regimeBars, barVolatility: sigma } = trendParameters(overrides);
  if (!(drift >= 0 && drift < 1 && regimeBars >= 1 && sigma > 0))
    throw new InputError(
      `needs 0 ≤ drift < 1, regimeBars ≥ 1, σ > 0 (got ${drift}, ${regimeBars}, ${sigma})`,
      'trend_regimes',
    );
  // The regime chain has its own stream so the price noise of a seed is the same for every μ and L.
  const regimeRng = createRng((seed ^ 0x5bd1e995) >>> 0);
  const states = new Int8Array(bars);
  let state = regimeRng.next() < 0.5 ? 1 : -1;
  const up = log(1 + drift) - (sigma * sigma) / 2;
  const down = log(1 - drift) - (sigma * sigma) / 2;
  const series = buildBars(bars, seed, (t) => {
    if (t > 0 && regimeRng.next() < 1 / regimeBars) state = -state;
    states[t] = state;
    return { drift: state > 0 ? up : down, sigma };
  });
  return { series, states };
}

export function arParameters(overrides: Partial<ArParameters> = {}): ArParameters {
  return { phi: AR_PHI, barVolatility: BAR_VOLATILITY, ...overrides };
}

/** autocorrelated (see AR_PHI): AR(1) log returns with stationary variance σ², shifted by −σ²/2. */
export function autocorrelated(bars: number, seed: number, overrides: Partial<ArParameters> = {}): PriceSeries {
  const { phi, barVolatility: sigma } = arParameters(overrides);
  if (!(Math.abs(phi) < 1 && sigma > 0))
    throw new InputError(`needs |φ| < 1 and σ > 0 (got ${phi}, ${sigma})`, 'autocorrelated');
  const shift = -(sigma * sigma) / 2;
  const innovation = sigma * sqrt(1 - phi * phi);
  // The first bar starts from the stationary distribution: x_0 has variance σ² (φ·0 + e scaled up).
  return buildBars(bars, seed, (t, previous) =>
    t === 0 ? { drift: shift, sigma } : { drift: shift + phi * (previous - shift), sigma: innovation },
  );
}

/**
 * The real history with its drift removed: bar j's open, high, low and close are multiplied by e^{−c·j}, which
 * shifts every close-to-close log return by −c and keeps each bar's shape. c = log(mean(e^r)) makes the mean simple
 * return 0, so a bootstrap of these bars is a martingale (i.i.d.) or close to one (blocks).
 */
export function prepareRealSource(series: PriceSeries, path: string): RealSource {
  const returns = logReturns(series.close);
  const n = returns.length;
  if (n < 100) throw new InputError(`needs at least 100 returns (got ${n})`, path);
  let meanLog = 0;
  let meanGrowth = 0;
  for (let i = 0; i < n; i++) {
    meanLog += returns[i] / n;
    meanGrowth += exp(returns[i]) / n;
  }
  const shift = log(meanGrowth);
  const bars = series.close.length;
  const columns = emptyPriceColumns(bars);
  for (let j = 0; j < bars; j++) {
    const scale = exp(-shift * j);
    columns.time[j] = series.time[j];
    columns.open[j] = series.open[j] * scale;
    columns.high[j] = series.high[j] * scale;
    columns.low[j] = series.low[j] * scale;
    columns.close[j] = series.close[j] * scale;
    columns.volume[j] = series.volume[j];
  }
  const garch = fitGarch11(returns, path);
  return {
    path,
    demeaned: { ...columns, hasOhlc: series.hasOhlc },
    shift,
    meanLogReturn: meanLog,
    garch,
    meanBlockLength: defaultBlockLength(bars),
  };
}

/** One line saying what a market kind is, with the parameters in force. */
export function describeMarket(
  kind: MarketKind,
  source: RealSource | null | undefined,
  options: Pick<MarketOptions, 'trend' | 'ar'> = {},
): string {
  const g = source?.garch ?? FALLBACK_GARCH;
  const pctVol = (v: number) => `${(100 * v * sqrt(PERIODS_PER_YEAR)).toFixed(0)} %`;
  switch (kind) {
    case 'random_walk':
      return `zero-drift GBM (martingale), ${(100 * ANNUAL_VOLATILITY).toFixed(0)} % annual volatility`;
    case 'garch': {
      const fitted = source ? `fitted to ${source.path}` : 'with fixed BTC-like parameters (real history absent)';
      const parameters = `ω ${g.omega.toPrecision(3)}, α ${g.alpha.toFixed(3)}, β ${g.beta.toFixed(3)}`;
      const volatility = pctVol(sqrt(g.omega / (1 - g.alpha - g.beta)));
      return `GARCH(1,1) ${fitted}: ${parameters} (${volatility} a year), conditional martingale`;
    }
    case 'iid_bootstrap':
      return source
        ? `i.i.d. resampling of the de-meaned hourly bars of ${source.path}`
        : 'unavailable: needs the real hourly history';
    case 'block_bootstrap':
      return source
        ? `stationary block bootstrap (mean block ${source.meanBlockLength} bars) of the de-meaned hourly bars of ${source.path}; keeps real short-range dependence`
        : 'unavailable: needs the real hourly history';
    case 'trend_regimes': {
      const p = trendParameters(options.trend);
      const followerSharpe = ((p.drift / p.barVolatility) * sqrt(PERIODS_PER_YEAR)).toFixed(1);
      return (
        `two-state Markov regimes, E[bar return] ±${(p.drift * 1e4).toFixed(2)} bps, mean regime ${p.regimeBars} bars, ` +
        `${pctVol(p.barVolatility)} volatility (perfect follower: Sharpe ${followerSharpe} a year)`
      );
    }
    case 'autocorrelated': {
      const p = arParameters(options.ar);
      return `AR(1) log returns, φ = ${p.phi}, ${pctVol(p.barVolatility)} volatility, zero mean simple return`;
    }
  }
}

/** A market of `kind`: the calibration's only entry point to the generators. */
export function generateMarket(kind: MarketKind, options: MarketOptions): GeneratedMarket {
  const { bars, seed, source } = options;
  switch (kind) {
    case 'random_walk':
      return { series: randomWalk(bars, seed) };
    case 'garch':
      return { series: garchMarket(source?.garch ?? FALLBACK_GARCH, bars, seed) };
    case 'iid_bootstrap':
    case 'block_bootstrap': {
      if (!source)
        throw new InputError(`needs the real hourly history (pass --data, or put it in ../shared/data)`, kind);
      const meanBlockLength = kind === 'iid_bootstrap' ? 1 : source.meanBlockLength;
      const series = stationaryBootstrap(source.demeaned, {
        bars,
        seed,
        meanBlockLength,
        start: START_TIME,
        intervalMs: INTERVAL_MS,
      });
      // stationaryBootstrap starts from the source's first close; rescale to START_PRICE like the other markets.
      const scale = START_PRICE / source.demeaned.close[0];
      for (const column of [series.open, series.high, series.low, series.close])
        for (let t = 0; t < bars; t++) column[t] *= scale;
      return { series };
    }
    case 'trend_regimes':
      return trendRegimes(bars, seed, options.trend);
    case 'autocorrelated':
      return { series: autocorrelated(bars, seed, options.ar) };
  }
}
