// One window of one strategy in the fast kernel: the accounting state reset, the window's bars run block by block
// through the segment loops of accounting.ts (each block's moments and selection figures stored at its end), the
// trade still open at the edge counted, and the totals turned into metrics (totals.ts).
import { blockChange, logEquity, type BlockComponent } from '../blockScores';
import type { Metrics } from '../types';
import {
  accountSegment,
  accountSegmentDense,
  DOWNSIDE_SQUARES,
  EQUITY,
  EXPOSED,
  GROSS_LOSS,
  GROSS_WIN,
  HELD,
  HITS,
  MAX_DRAWDOWN,
  PEAK,
  SEGMENT_SQUARES,
  SEGMENT_SUM,
  SUM,
  SUM_SQUARES,
  TRADE_FACTOR,
  TRADES,
  TROUGH,
  WINS,
} from './accounting';
import type { KernelColumns } from './columns';
import { closeOpenTrade, finishMetrics } from './totals';

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
  // walk() counts a trade still open at the window's edge if it has a bar inside: if the position did not change at
  // the last bar (then that bar was held), whatever happened before.
  const totals = {
    bars: end - start,
    equity: state[EQUITY],
    maxDrawdown: state[MAX_DRAWDOWN],
    sum: state[SUM],
    sumSquares: state[SUM_SQUARES],
    downsideSquares: state[DOWNSIDE_SQUARES],
    negativeBars: state[DOWNSIDE_SQUARES] > 0 ? 1 : 0,
    exposed: state[EXPOSED],
    hits: state[HITS],
    trades: state[TRADES],
    wins: state[WINS],
    grossWin: state[GROSS_WIN],
    grossLoss: state[GROSS_LOSS],
  };
  const last = pos[end - 1];
  if (last !== 0 && last === (end >= 2 ? pos[end - 2] : 0)) closeOpenTrade(totals, state[TRADE_FACTOR] - 1);
  return finishMetrics(totals, k.periodsPerYear, k.barMs);
}
