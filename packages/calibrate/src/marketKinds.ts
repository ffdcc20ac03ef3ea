// The calibration's market kinds and the constants every generator shares. Four kinds are markets on which no
// strategy can have an edge, two have an edge planted on purpose. Every market is hourly (intervalMs 3,600,000),
// starts at 10,000 on 2020-01-01 and is byte-reproducible for its seed.
//
// "No edge" means the price is a martingale: E[P_t / P_{t−1} − 1 | the past] = 0, so whatever position a strategy
// takes from the past, its expected gross return on a bar is 0 and its expected net return ≤ 0 (costs). A zero
// mean of the *log* return would not do: it leaves an arithmetic drift of σ²/2 per bar (≈ 21 % a year at 65 %
// volatility), an edge for every long-only strategy. So each generator subtracts σ²/2 (its conditional variance)
// from the log return, and the bootstraps shift the real log returns by log(mean(e^r)) instead of mean(r).
// The block bootstrap is the exception to "no strategy can have an edge": it keeps the real history's short-range
// dependence (within blocks of ~42 bars), which some strategy might exploit; it is reported as its own row.
import { DEFAULT_SYNTHETIC, YEAR_MS, type DataRef } from '@overfit/core';

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
