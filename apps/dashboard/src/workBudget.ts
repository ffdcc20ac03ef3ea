// What a run started from the web page may cost. Each setting has its own bound, but their product is what takes
// CPU time: 100,000 strategies with 200 null markets is hours of one core. The operator sets a budget in
// strategy-bars (one strategy backtested over one bar), RUN_WORK_BUDGET; a run estimated above it is refused
// with 400 before anything starts.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';
import type { DataRef, RunConfig } from '@overfit/core';
import type { ArtifactStore } from '@overfit/store';

/** About a minute of one core for the backtest kernel; admits the largest run with the default null markets. */
export const DEFAULT_RUN_WORK_BUDGET = 2_500_000_000;
/**
 * The validate stage repeats the search on each null market, and rolls the walk-forward over the whole history,
 * with at most this many of the run's strategies (NULL_MARKET_MAX_STRATEGIES and WALK_FORWARD_MAX_STRATEGIES in
 * @overfit/stage-validate; a test holds them equal).
 */
export const NULL_MARKET_STRATEGIES = 1_000;
export const WALK_FORWARD_STRATEGIES = 1_000;

export interface WorkEstimate {
  strategies: number;
  bars: number;
  nullMarkets: number;
  /** strategies × bars: the backtest of both windows. */
  backtest: number;
  /** min(strategies, 1,000) × bars × null markets. */
  nullMarketWork: number;
  /** min(strategies, 1,000) × bars: every fold of the walk-forward. */
  walkForward: number;
  total: number;
}

export function estimateRunWork(config: Pick<RunConfig, 'strategies' | 'nullMarkets'>, bars: number): WorkEstimate {
  const { strategies, nullMarkets } = config;
  const backtest = strategies * bars;
  const nullMarketWork = Math.min(strategies, NULL_MARKET_STRATEGIES) * bars * nullMarkets;
  const walkForward = Math.min(strategies, WALK_FORWARD_STRATEGIES) * bars;
  return {
    strategies,
    bars,
    nullMarkets,
    backtest,
    nullMarketWork,
    walkForward,
    total: backtest + nullMarketWork + walkForward,
  };
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');

/** The refusal, in words: what the run would cost, what the budget is, and what to change. */
export function overBudgetMessage(estimate: WorkEstimate, budget: number): string {
  const { strategies, bars, nullMarkets } = estimate;
  return (
    `this run is too big for this server: ${n(strategies)} strategies × ${n(bars)} bars` +
    `${nullMarkets > 0 ? `, plus ${n(nullMarkets)} null market${nullMarkets === 1 ? '' : 's'}` : ''} and the walk-forward on up to ${n(Math.min(strategies, NULL_MARKET_STRATEGIES))} of them, ` +
    `is about ${n(estimate.total)} strategy-bars of backtesting; this server's budget (RUN_WORK_BUDGET) is ${n(budget)} strategy-bars per run. ` +
    'Choose fewer strategies, fewer null markets or a shorter data set.'
  );
}

/** Lines in a CSV, less its header: an upper bound of its bars (resampling only lowers it). */
async function countRows(chunks: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of chunks) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines += 1;
    if (chunk.length > 0) last = chunk[chunk.length - 1];
  }
  if (last !== 0x0a) lines += 1;
  return Math.max(0, lines - 1);
}

/**
 * How many bars a data set has (at most), to estimate a run's work; counts are kept while the file is unchanged
 * (a changed file is a new entry; the oldest are dropped).
 */
export function barCounter(store: ArtifactStore | undefined): (ref: DataRef) => Promise<number> {
  const known = new LRUCache<string, number>({ max: 1000 });
  return async (ref) => {
    if (ref.kind === 'synthetic') return ref.bars;
    if (ref.kind === 'file') {
      const info = await stat(ref.path);
      const id = `file:${ref.path}:${info.size}:${info.mtimeMs}`;
      let bars = known.get(id);
      if (bars === undefined) {
        bars = await countRows(createReadStream(ref.path));
        known.set(id, bars);
      }
      return bars;
    }
    const id = `store:${ref.key}`;
    let bars = known.get(id);
    if (bars === undefined) {
      if (!store) throw new Error(`no store to read ${ref.key} from`);
      bars = await countRows([await store.get(ref.key)]);
      known.set(id, bars);
    }
    return bars;
  };
}
