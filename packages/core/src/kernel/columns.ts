// The columns the fast kernel reads: the prices plus what every strategy would otherwise recompute per bar (the
// bar's gross return, the coin-flip hash's time halves, the seasonal slot). Prepared once per market, optionally
// in SharedArrayBuffers so worker threads read the very same memory without a copy.
import type { Market } from '../market';

export interface KernelColumns {
  close: Float64Array;
  high: Float64Array;
  low: Float64Array;
  /** close[t] / close[t − 1] − 1, the bar's gross return as walk() computes it; ret[0] = 0. */
  ret: Float64Array;
  /**
   * How many of bars 0 … i−1 a long (short) position held through would count as hits: (1 ± ret) − 1 > 0, the net
   * return of a bar without a position change. Length n + 1; the accounting counts a run's hits as a difference.
   */
  longHitsBefore: Int32Array;
  shortHitsBefore: Int32Array;
  /** time[t] split as hashToUnit splits it: low 32 bits, and imul(high 32 bits, 0x27d4eb2d). */
  timeLow: Int32Array;
  timeHighMixed: Int32Array;
  /** hour + 24 · weekday (UTC) of the bar entered at close t: the seasonal family's lookup index. */
  slot: Uint8Array;
  barMs: number;
  periodsPerYear: number;
}

/** The slot of a bar no seasonal strategy is long in (the reference finds no hour for times before 1970). */
const NO_SLOT = 255;

type Allocate = (bytes: number) => ArrayBufferLike;
const inHeap: Allocate = (bytes) => new ArrayBuffer(bytes);
export const shared: Allocate = (bytes) => new SharedArrayBuffer(bytes);

export function prepareColumns(market: Market, allocate: Allocate = inHeap): KernelColumns {
  const { close, high, low, time } = market.series;
  const n = close.length;
  const f64 = (from?: Float64Array) => {
    const column = new Float64Array(allocate(8 * n));
    if (from) column.set(from);
    return column;
  };
  const columns: KernelColumns = {
    close: f64(close),
    high: f64(high),
    low: f64(low),
    ret: f64(),
    longHitsBefore: new Int32Array(allocate(4 * (n + 1))),
    shortHitsBefore: new Int32Array(allocate(4 * (n + 1))),
    timeLow: new Int32Array(allocate(4 * n)),
    timeHighMixed: new Int32Array(allocate(4 * n)),
    slot: new Uint8Array(allocate(n)),
    barMs: market.barMs,
    periodsPerYear: market.periodsPerYear,
  };
  for (let t = 1; t < n; t++) columns.ret[t] = close[t] / close[t - 1] - 1;
  for (let t = 0; t < n; t++) {
    const r = columns.ret[t];
    columns.longHitsBefore[t + 1] = columns.longHitsBefore[t] + (1 + 1 * r - 1 > 0 ? 1 : 0);
    columns.shortHitsBefore[t + 1] = columns.shortHitsBefore[t] + (1 + -1 * r - 1 > 0 ? 1 : 0);
  }
  for (let t = 0; t < n; t++) {
    const value = time[t];
    columns.timeLow[t] = (value % 4294967296) >>> 0;
    columns.timeHighMixed[t] = Math.imul(Math.floor(value / 4294967296) >>> 0, 0x27d4eb2d);
    const next = value + market.barMs;
    const hour = Math.floor(next / 3_600_000) % 24;
    const weekday = (Math.floor(next / 86_400_000) + 4) % 7;
    // before 1970 % is negative: no hour matches
    columns.slot[t] = hour >= 0 && weekday >= 0 ? hour + 24 * weekday : NO_SLOT;
  }
  return columns;
}
