// Seeded markets for the calibration benchmark, by kind: what each is (describeMarket) and one path of it
// (generateMarket). The kinds and shared constants are in marketKinds.ts, the generators in noEdgeMarkets.ts,
// plantedMarkets.ts and realSource.ts.
import { InputError, type PriceSeries } from '@overfit/core';
import { stationaryBootstrap } from '@overfit/data';
import {
  ANNUAL_VOLATILITY,
  INTERVAL_MS,
  PERIODS_PER_YEAR,
  START_PRICE,
  START_TIME,
  type MarketKind,
} from './marketKinds';
import { FALLBACK_GARCH, garchMarket, randomWalk } from './noEdgeMarkets';
import {
  arParameters,
  autocorrelated,
  trendParameters,
  trendRegimes,
  type ArParameters,
  type TrendParameters,
} from './plantedMarkets';
import type { RealSource } from './realSource';

const { sqrt } = Math;

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
