// The fast kernel's accounting: walk() of backtest.ts, restated so that each step is the same floating-point
// operation on the same values in the same order, but cheaper:
//
// - Bars that are flat and stay flat change nothing (their net return is exactly +0, and adding +0 or multiplying by
//   1 leaves every sum, product and extreme as it was), so they are skipped.
// - The bar's gross return comes from a precomputed column (the same division walk() does).
// - The drawdown division runs only when equity reaches a new low since its peak: 1 − equity/peak can only exceed
//   the worst drawdown so far at such a bar (division and subtraction are monotonic under rounding).
// - Block moments are summed in locals and stored at the block's end: the same additions from the same +0.
// - Whether any bar lost (Sortino's condition) is whether Σ net² over losing bars is > 0: a non-zero net return is
//   at least 2⁻⁵³ in size, so its square never underflows to 0.
import { YEAR_MS } from '../market';
import { blockChange, logEquity, type BlockComponent } from '../blockScores';
import type { Metrics } from '../types';
import type { KernelColumns } from './columns';

/** Slots of the per-window accounting state (a Float64Array, so a segment loop keeps it in locals). */
const EQUITY = 0,
  PEAK = 1,
  TROUGH = 2,
  MAX_DRAWDOWN = 3,
  SUM = 4,
  SUM_SQUARES = 5,
  DOWNSIDE_SQUARES = 6,
  EXPOSED = 7,
  HITS = 8,
  TRADES = 9,
  WINS = 10,
  GROSS_WIN = 11,
  GROSS_LOSS = 12,
  TRADE_FACTOR = 13,
  HELD = 14,
  SEGMENT_SUM = 15,
  SEGMENT_SQUARES = 16;
export const STATE_SLOTS = 17;

/** What walk() accumulates over a window, from which every metric follows. */
export interface WindowTotals {
  bars: number;
  equity: number;
  maxDrawdown: number;
  sum: number;
  sumSquares: number;
  downsideSquares: number;
  negativeBars: number;
  exposed: number;
  hits: number;
  trades: number;
  wins: number;
  grossWin: number;
  grossLoss: number;
}

/** The metrics of a window from its totals; shared by walk() and the kernel so both end in the same formulas. */
export function finishMetrics(w: WindowTotals, periodsPerYear: number, barMs: number): Metrics {
  const n = w.bars;
  const rootP = Math.sqrt(periodsPerYear);
  const mean = w.sum / n;
  const variance = n > 1 ? Math.max(0, (w.sumSquares - w.sum * mean) / (n - 1)) : 0;
  const sd = Math.sqrt(variance);
  const years = (n * barMs) / YEAR_MS;
  const cagr = w.equity > 0 ? w.equity ** (1 / years) - 1 : -1;
  const { maxDrawdown, trades, grossWin, grossLoss } = w;
  return {
    totalReturn: w.equity - 1,
    cagr,
    sharpe: sd > 0 ? (mean / sd) * rootP : Number.NaN,
    sortino: w.negativeBars > 0 ? (mean / Math.sqrt(w.downsideSquares / n)) * rootP : Number.NaN,
    maxDrawdown,
    calmar: maxDrawdown > 0 ? cagr / maxDrawdown : Number.NaN,
    winRate: trades > 0 ? w.wins / trades : Number.NaN,
    hitRate: w.exposed > 0 ? w.hits / w.exposed : Number.NaN,
    trades,
    exposure: w.exposed / n,
    profitFactor:
      trades === 0
        ? Number.NaN
        : grossLoss > 0
          ? grossWin / grossLoss
          : grossWin > 0
            ? Number.POSITIVE_INFINITY
            : Number.NaN,
  };
}

/**
 * Bars [from, to) of a window, state carried in `s`. Leaves the segment's Σ net and Σ net² in SEGMENT_SUM and
 * SEGMENT_SQUARES (a block's moments). The bars come as runs: flat runs are skipped, a long or short run goes to a
 * loop of its own (holdLong / holdShort), and a bar where the position changes takes the general path here, on the
 * state in `s` (1–9 % of bars). Exposed bars and hits of a run are counted at its end from the market's prefix
 * counts, which is exact: a held bar's net return is (1 ± ret) − 1 whatever the strategy.
 */
function accountSegment(
  pos: Int8Array,
  k: KernelColumns,
  from: number,
  to: number,
  cost1: number,
  cost2: number,
  s: Float64Array,
): void {
  const ret = k.ret;
  s[SEGMENT_SUM] = 0;
  s[SEGMENT_SQUARES] = 0;
  let held = s[HELD] | 0;
  let runStart = from; // held bars from here on are not yet counted as exposed / hits
  let t = from;
  while (t < to) {
    if (held === 0) {
      while (t < to && pos[t] === 0) t++; // flat and staying flat: nothing changes (net is +0)
    } else t = held === 1 ? holdLong(pos, ret, t, to, s) : holdShort(pos, ret, t, to, s);
    if (t >= to) break;

    // The position changes at close t.
    const next = pos[t];
    const gross = 1 + held * ret[t];
    // walk(): gross · (1 − c·|next − held|) − 1, with 1 − c·1 and 1 − c·2 precomputed.
    const net = gross * (next - held === 1 || held - next === 1 ? cost1 : cost2) - 1;
    const equity = s[EQUITY] * (1 + net);
    s[EQUITY] = equity;
    if (equity > s[PEAK]) {
      s[PEAK] = equity;
      s[TROUGH] = equity;
    } else if (equity < s[TROUGH]) {
      s[TROUGH] = equity;
      const drawdown = 1 - equity / s[PEAK];
      if (drawdown > s[MAX_DRAWDOWN]) s[MAX_DRAWDOWN] = drawdown;
    }
    const square = net * net;
    s[SUM] += net;
    s[SUM_SQUARES] += square;
    s[SEGMENT_SUM] += net;
    s[SEGMENT_SQUARES] += square;
    if (net < 0) s[DOWNSIDE_SQUARES] += square;
    if (held !== 0) {
      const prefix = held > 0 ? k.longHitsBefore : k.shortHitsBefore;
      s[HITS] += prefix[t] - prefix[runStart] + (net > 0 ? 1 : 0);
      s[EXPOSED] += t - runStart + 1;
      const result = s[TRADE_FACTOR] * gross * cost1 - 1; // exit leg
      s[TRADES]++;
      if (result > 0) {
        s[WINS]++;
        s[GROSS_WIN] += result;
      } else s[GROSS_LOSS] -= result;
    }
    s[TRADE_FACTOR] = next !== 0 ? cost1 : 1; // entry leg
    held = next;
    runStart = ++t;
  }
  if (held !== 0 && to > runStart) {
    const prefix = held > 0 ? k.longHitsBefore : k.shortHitsBefore;
    s[HITS] += prefix[to] - prefix[runStart];
    s[EXPOSED] += to - runStart;
  }
  s[HELD] = held;
}

/**
 * A long run from bar t while pos stays 1 (gross = 1 + ret); returns where it ends. Its own small function, with
 * every running value in a local: inside accountSegment the loop ran 1.4× slower (more live values than registers).
 * Free of data-dependent branches but the drawdown's — they mispredict on half the bars and cost more than all the
 * arithmetic.
 */
function holdLong(pos: Int8Array, ret: Float64Array, t: number, to: number, s: Float64Array): number {
  let equity = s[EQUITY],
    peak = s[PEAK],
    trough = s[TROUGH];
  let sum = s[SUM],
    sumSquares = s[SUM_SQUARES],
    downsideSquares = s[DOWNSIDE_SQUARES],
    tradeFactor = s[TRADE_FACTOR];
  let segmentSum = s[SEGMENT_SUM],
    segmentSquares = s[SEGMENT_SQUARES];
  for (; t < to && pos[t] === 1; t++) {
    const gross = 1 + ret[t];
    const net = gross - 1; // walk(): gross · (1 − c·0) − 1
    equity *= 1 + net;
    if (equity > peak) {
      peak = equity;
      trough = equity;
    } else if (equity < trough) {
      trough = equity;
      const drawdown = 1 - equity / peak;
      if (drawdown > s[MAX_DRAWDOWN]) s[MAX_DRAWDOWN] = drawdown;
    }
    const square = net * net;
    sum += net;
    sumSquares += square;
    segmentSum += net;
    segmentSquares += square;
    const below = (net - Math.abs(net)) * 0.5; // net if negative, else +0: exact, and no branch
    downsideSquares += below * below;
    tradeFactor *= gross;
  }
  s[EQUITY] = equity;
  s[PEAK] = peak;
  s[TROUGH] = trough;
  s[SUM] = sum;
  s[SUM_SQUARES] = sumSquares;
  s[DOWNSIDE_SQUARES] = downsideSquares;
  s[TRADE_FACTOR] = tradeFactor;
  s[SEGMENT_SUM] = segmentSum;
  s[SEGMENT_SQUARES] = segmentSquares;
  return t;
}

/** holdLong for a short run (pos stays −1): gross = 1 − ret, which is walk()'s 1 + (−1)·ret exactly. */
function holdShort(pos: Int8Array, ret: Float64Array, t: number, to: number, s: Float64Array): number {
  let equity = s[EQUITY],
    peak = s[PEAK],
    trough = s[TROUGH];
  let sum = s[SUM],
    sumSquares = s[SUM_SQUARES],
    downsideSquares = s[DOWNSIDE_SQUARES],
    tradeFactor = s[TRADE_FACTOR];
  let segmentSum = s[SEGMENT_SUM],
    segmentSquares = s[SEGMENT_SQUARES];
  for (; t < to && pos[t] === -1; t++) {
    const gross = 1 - ret[t];
    const net = gross - 1;
    equity *= 1 + net;
    if (equity > peak) {
      peak = equity;
      trough = equity;
    } else if (equity < trough) {
      trough = equity;
      const drawdown = 1 - equity / peak;
      if (drawdown > s[MAX_DRAWDOWN]) s[MAX_DRAWDOWN] = drawdown;
    }
    const square = net * net;
    sum += net;
    sumSquares += square;
    segmentSum += net;
    segmentSquares += square;
    const below = (net - Math.abs(net)) * 0.5;
    downsideSquares += below * below;
    tradeFactor *= gross;
  }
  s[EQUITY] = equity;
  s[PEAK] = peak;
  s[TROUGH] = trough;
  s[SUM] = sum;
  s[SUM_SQUARES] = sumSquares;
  s[DOWNSIDE_SQUARES] = downsideSquares;
  s[TRADE_FACTOR] = tradeFactor;
  s[SEGMENT_SUM] = segmentSum;
  s[SEGMENT_SQUARES] = segmentSquares;
  return t;
}

/**
 * accountSegment for strategies whose position changes on a large share of bars (coin_flip, seasonal): there a
 * branch on "did the position change?" mispredicts half the time, which costs more than doing everything on every
 * bar. So every bar runs the same arithmetic — flat bars included, where it adds +0 and multiplies by 1 — and the
 * trade bookkeeping is selected by 0/1 factors instead of branches. (×0 leaves a sum unchanged for finite values;
 * a trade's factor would have to overflow past 1e308 for that to differ from walk().)
 */
function accountSegmentDense(
  pos: Int8Array,
  k: KernelColumns,
  from: number,
  to: number,
  cost1: number,
  cost2: number,
  s: Float64Array,
): void {
  const ret = k.ret;
  const costByChange = DENSE_COSTS; // index next − held + 2: the factor (1 − c·|Δ|) of walk()
  costByChange[0] = cost2;
  costByChange[1] = cost1;
  costByChange[2] = 1;
  costByChange[3] = cost1;
  costByChange[4] = cost2;
  const entryFactor = DENSE_ENTRY; // tradeFactor after a change: [to flat, to a position]
  entryFactor[0] = 1;
  entryFactor[1] = cost1;
  const pick = DENSE_PICK;
  let equity = s[EQUITY],
    peak = s[PEAK],
    trough = s[TROUGH];
  let sum = s[SUM],
    sumSquares = s[SUM_SQUARES],
    downsideSquares = s[DOWNSIDE_SQUARES],
    tradeFactor = s[TRADE_FACTOR];
  let grossWin = s[GROSS_WIN],
    grossLoss = s[GROSS_LOSS];
  let exposed = s[EXPOSED] | 0,
    hits = s[HITS] | 0,
    trades = s[TRADES] | 0,
    wins = s[WINS] | 0;
  let held = s[HELD] | 0;
  let segmentSum = 0,
    segmentSquares = 0;
  for (let t = from; t < to; t++) {
    const next = pos[t];
    const gross = 1 + held * ret[t];
    const net = gross * costByChange[next - held + 2] - 1;
    equity *= 1 + net;
    if (equity > peak) {
      peak = equity;
      trough = equity;
    } else if (equity < trough) {
      trough = equity;
      const drawdown = 1 - equity / peak;
      if (drawdown > s[MAX_DRAWDOWN]) s[MAX_DRAWDOWN] = drawdown;
    }
    const square = net * net;
    sum += net;
    sumSquares += square;
    segmentSum += net;
    segmentSquares += square;
    const below = (net - Math.abs(net)) * 0.5;
    downsideSquares += below * below;
    const inMarket = held & 1; // held ∈ {−1, 0, 1}
    exposed += inMarket;
    hits += +(net > 0); // a flat bar's net is 0 or a cost: never a hit
    const factor = tradeFactor * gross; // gross is 1 when flat
    const changed = +(next !== held);
    const closing = changed & inMarket;
    const result = factor * cost1 - 1; // the exit leg, used only when closing
    const won = closing & +(result > 0);
    trades += closing;
    wins += won;
    grossWin += result * won;
    grossLoss -= result * (closing - won);
    pick[0] = factor;
    pick[1] = entryFactor[next & 1];
    tradeFactor = pick[changed];
    held = next;
  }
  s[EQUITY] = equity;
  s[PEAK] = peak;
  s[TROUGH] = trough;
  s[SUM] = sum;
  s[SUM_SQUARES] = sumSquares;
  s[DOWNSIDE_SQUARES] = downsideSquares;
  s[TRADE_FACTOR] = tradeFactor;
  s[HELD] = held;
  s[GROSS_WIN] = grossWin;
  s[GROSS_LOSS] = grossLoss;
  s[EXPOSED] = exposed;
  s[HITS] = hits;
  s[TRADES] = trades;
  s[WINS] = wins;
  s[SEGMENT_SUM] = segmentSum;
  s[SEGMENT_SQUARES] = segmentSquares;
}
const DENSE_COSTS = new Float64Array(5);
const DENSE_ENTRY = new Float64Array(2);
const DENSE_PICK = new Float64Array(2);

/** Not a state slot: the block's figure is the change of ln(equity), its log growth. */
const LOG_GROWTH = -1;

const COMPONENT_SLOTS: Record<BlockComponent, number> = {
  wins: WINS,
  trades: TRADES,
  grossWin: GROSS_WIN,
  grossLoss: GROSS_LOSS,
  hits: HITS,
  exposed: EXPOSED,
  logGrowth: LOG_GROWTH,
  sum: SUM,
  downsideSquares: DOWNSIDE_SQUARES,
};

/** Where the kernel reads a per-block figure: the running total whose change over the block it is. */
export const componentSlot = (component: BlockComponent): number => COMPONENT_SLOTS[component];

/** A running total at a block's end; per-block figures are differences of these (walk() takes the same ones). */
const runningTotal = (state: Float64Array, slot: number): number =>
  slot === LOG_GROWTH ? logEquity(state[EQUITY]) : state[slot];

/** Where a window's per-block moments go: row `row` of the BlockMoments arrays. */
export interface MomentsTarget {
  blocks: number;
  blockBars: number;
  sum: Float64Array;
  sumSquares: Float64Array;
  trades: Float64Array;
  /** The selection metric's two per-block figures and the slots (componentSlot) they come from, if it needs them. */
  selection: { x: Float64Array; y: Float64Array; slots: readonly [number, number] } | null;
  row: number;
}

/**
 * One window [start, end) of one strategy's positions; its block moments go to `moments` when given. `dense`:
 * the position changes often (see accountSegmentDense); both ways give the same bits.
 */
export function accountWindow(
  pos: Int8Array,
  k: KernelColumns,
  start: number,
  end: number,
  costRate: number,
  state: Float64Array,
  moments?: MomentsTarget,
  dense = false,
): Metrics {
  const segment = dense ? accountSegmentDense : accountSegment;
  state.fill(0);
  state[EQUITY] = 1;
  state[PEAK] = 1;
  state[TROUGH] = 1;
  state[TRADE_FACTOR] = 1;
  state[HELD] = start > 0 ? pos[start - 1] : 0;
  const cost1 = 1 - costRate * 1;
  const cost2 = 1 - costRate * 2;
  let t = start;
  if (moments) {
    const base = moments.row * moments.blocks;
    const selection = moments.selection;
    let trades = 0,
      x = 0,
      y = 0; // running totals at the previous block's end (ln 1 = 0 for log growth)
    for (let b = 0; b < moments.blocks; b++, t += moments.blockBars) {
      segment(pos, k, t, t + moments.blockBars, cost1, cost2, state);
      moments.sum[base + b] = state[SEGMENT_SUM];
      moments.sumSquares[base + b] = state[SEGMENT_SQUARES];
      moments.trades[base + b] = state[TRADES] - trades;
      trades = state[TRADES];
      if (selection) {
        const nextX = runningTotal(state, selection.slots[0]),
          nextY = runningTotal(state, selection.slots[1]);
        selection.x[base + b] = blockChange(nextX, x);
        selection.y[base + b] = blockChange(nextY, y);
        [x, y] = [nextX, nextY];
      }
    }
  }
  segment(pos, k, t, end, cost1, cost2, state);
  let trades = state[TRADES],
    wins = state[WINS],
    grossWin = state[GROSS_WIN],
    grossLoss = state[GROSS_LOSS];
  // walk() counts a trade still open at the window's edge if it has a bar inside: if the position did not change at
  // the last bar (then that bar was held), whatever happened before.
  const last = pos[end - 1];
  if (last !== 0 && last === (end >= 2 ? pos[end - 2] : 0)) {
    const result = state[TRADE_FACTOR] - 1; // still open at the window's edge: no exit cost inside the window
    trades++;
    if (result > 0) {
      wins++;
      grossWin += result;
    } else grossLoss -= result;
  }
  return finishMetrics(
    {
      bars: end - start,
      equity: state[EQUITY],
      maxDrawdown: state[MAX_DRAWDOWN],
      sum: state[SUM],
      sumSquares: state[SUM_SQUARES],
      downsideSquares: state[DOWNSIDE_SQUARES],
      negativeBars: state[DOWNSIDE_SQUARES] > 0 ? 1 : 0,
      exposed: state[EXPOSED],
      hits: state[HITS],
      trades,
      wins,
      grossWin,
      grossLoss,
    },
    k.periodsPerYear,
    k.barMs,
  );
}
