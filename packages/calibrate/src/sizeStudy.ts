// What the two size studies share (snoopingSizeCli.ts, validationTestsCli.ts): their flags, the no-edge markets
// they run on, and the table cell that reports how often a test rejects "no edge" at 5 %.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readPriceCsv } from '@overfit/data';
import { DEFAULT_BARS, NO_EDGE_MARKETS, type MarketKind } from './marketKinds';
import { prepareRealSource, type RealSource } from './realSource';
import { wilson } from './tallies';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

export interface SizeStudy {
  runs: number;
  seed: number;
  bars: number;
  /** The real hourly history (--data), or null when it is not there. */
  source: RealSource | null;
  /** The no-edge markets; the bootstrap ones only with the real history to resample. */
  markets: MarketKind[];
}

/** --runs, --seed, --bars and --data, with the study's own defaults for the first two. */
export async function sizeStudy(defaults: { runs: number; seed: number }): Promise<SizeStudy> {
  const data = resolve(option('data', '../shared/data/btc_usd_1h.csv'));
  const source = existsSync(data) ? prepareRealSource((await readPriceCsv(data)).series, data) : null;
  return {
    runs: Number(option('runs', String(defaults.runs))),
    seed: Number(option('seed', String(defaults.seed))),
    bars: Number(option('bars', String(DEFAULT_BARS))),
    source,
    markets: NO_EDGE_MARKETS.filter((m) => source || m === 'random_walk' || m === 'garch'),
  };
}

/** The share of the p-values at or below 5 %, with its 95 % Wilson interval; "–" when there are none. */
export function rejectionCell(ps: number[]): string {
  const r = wilson(ps.filter((p) => p <= 0.05).length, ps.length);
  return r.rate === null
    ? '–'
    : `${(100 * r.rate).toFixed(1)} % [${(100 * r.low!).toFixed(1)}, ${(100 * r.high!).toFixed(1)}]`;
}

/** Runs the study; a failure prints its message and exits with status 1. */
export function runStudy(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
