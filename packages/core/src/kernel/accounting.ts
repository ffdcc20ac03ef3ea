// The fast kernel's per-bar accounting loops: walk() of walk.ts, restated so that each step is the same
// floating-point operation on the same values in the same order, but cheaper. The window around them (blocks, the
// open trade at the edge, the metrics) is in window.ts; what the state totals to, in totals.ts.
// - Bars that are flat and stay flat change nothing (their net return is exactly +0, and adding +0 or multiplying by
//   1 leaves every sum, product and extreme as it was), so they are skipped.
// - The bar's gross return comes from a precomputed column (the same division walk() does).
// - The drawdown division runs only when equity reaches a new low since its peak: 1 − equity/peak can only exceed
//   the worst drawdown so far at such a bar (division and subtraction are monotonic under rounding).
// - Block moments are summed in locals and stored at the block's end: the same additions from the same +0.
// - Whether any bar lost (Sortino's condition) is whether Σ net² over losing bars is > 0: a non-zero net return is
//   at least 2⁻⁵³ in size, so its square never underflows to 0.
import type { KernelColumns } from './columns';

/** Slots of the per-window accounting state (a Float64Array, so a segment loop keeps it in locals). */
export const EQUITY = 0,
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

/**
 * Bars [from, to) of a window, state carried in `s`. Leaves the segment's Σ net and Σ net² in SEGMENT_SUM and
 * SEGMENT_SQUARES (a block's moments). The bars come as runs: flat runs are skipped, a long or short run goes to a
 * loop of its own (holdLong / holdShort), and a bar where the position changes takes the general path here, on the
 * state in `s` (1–9 % of bars). Exposed bars and hits of a run are counted at its end from the market's prefix
 * counts, which is exact: a held bar's net return is (1 ± ret) − 1 whatever the strategy.
 */
export function accountSegment(
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

/** holdLong for a short run (pos stays −1): gross = 1 − ret, walk()'s 1 + (−1)·ret exactly. A deliberate copy, as
 * is accountSegmentDense's loop: the hot loops are unrolled per case; one loop taking a sign would be slower. */
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
export function accountSegmentDense(
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
