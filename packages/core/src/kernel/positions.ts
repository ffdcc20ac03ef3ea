// Per-family position loops of the fast kernel: the same pos[t] as positions() in strategies.ts, bit for bit, without
// the market's memo of full indicator columns (100,000 strategies have too many distinct parameters to keep them all).
// One loop per family on purpose (ema_cross and macd, bollinger's two modes look alike): a shared loop with a
// parameter would cost speed in the hottest code. fillPositions.ts picks the loop and the columns it reads.
//
// - sma_cross, ema_cross, macd and momentum carry their indicator as a running value inside the loop, with the very
//   operations (and their order) of indicators.ts, so every value is the reference's value.
// - Measured and dropped: deciding sma_cross and momentum by a multiplication with an exact-division fallback near
//   ties (no faster: these loops are bound by their add chains and stores, not by the division).
// - rsi_reversion and bollinger read indicator columns computed by indicators.ts itself (bollinger's exits the exact
//   sign of close − mean from sideOfMean; its σ as a bracket from stdDevBounds.ts, exact where the bracket cannot
//   decide), donchian_breakout its channel from rollingExtremes.ts (a max or min is exact, so any algorithm gives
//   donchian()'s values; this one has no data-dependent loops), all kept in a small cache: the kernel processes
//   strategies ordered by family and parameter, so each column is computed about once.
// - coin_flip and seasonal read per-bar columns prepared once (KernelColumns).
import { windowStdDev } from '../indicators';
import type { KernelColumns } from './columns';

export function coinFlip(
  k: KernelColumns,
  seedMixed: number,
  probabilityLong: number,
  short: number,
  pos: Int8Array,
): void {
  const { timeLow, timeHighMixed } = k;
  // hashToUnit(seed, time) < p ⟺ hash < p·2³² (scaling by 2³² is exact) ⟺ hash < ⌈p·2³²⌉ for an integer hash.
  const below = Math.ceil(probabilityLong * 4294967296);
  const span = 1 - short;
  for (let t = 0; t < pos.length; t++) {
    // mix32 twice more, written out so the loop has no calls.
    let h = seedMixed ^ timeLow[t];
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h = h ^ (h >>> 16) ^ timeHighMixed[t];
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    // Arithmetic, not `? 1 : short`: a coin flip is the worst case for the branch predictor (4× slower).
    pos[t] = short + span * +((h ^ (h >>> 16)) >>> 0 < below);
  }
}

/** The rule of crossPositions on fast/slow values: up → 1, down → short, equal → unchanged, NaN → 0. */
function crossExact(fast: number, slow: number, current: number, short: number): number {
  if (fast > slow) return 1;
  if (fast < slow) return short;
  return fast !== fast || slow !== slow ? 0 : current;
}

export function smaCross(close: Float64Array, fast: number, slow: number, short: number, pos: Int8Array): void {
  const n = pos.length;
  const warm = Math.min(n, Math.max(fast, slow) - 1); // first bar with both averages defined
  let sumFast = 0,
    sumSlow = 0,
    current = 0;
  let t = 0;
  for (; t <= warm && t < n; t++) {
    const c = close[t];
    sumFast += c;
    if (t >= fast) sumFast -= close[t - fast];
    sumSlow += c;
    if (t >= slow) sumSlow -= close[t - slow];
    if (t === warm) current = crossExact(sumFast / fast, sumSlow / slow, current, short);
    pos[t] = current;
  }
  // Past the warm-up both windows are full: no bounds tests left in the loop (it runs twice as fast). Bounded by
  // close.length (the kernel's pos is as long): V8 then drops close[t]'s bounds check (5 % faster than pos.length).
  for (const end = close.length; t < end; t++) {
    const c = close[t];
    sumFast += c;
    sumFast -= close[t - fast];
    sumSlow += c;
    sumSlow -= close[t - slow];
    const a = sumFast / fast;
    const b = sumSlow / slow;
    current = a > b ? 1 : a < b ? short : a === b ? current : 0;
    pos[t] = current;
  }
}

export function emaCross(close: Float64Array, fast: number, slow: number, short: number, pos: Int8Array): void {
  const n = pos.length;
  const alphaFast = 2 / (fast + 1);
  const alphaSlow = 2 / (slow + 1);
  const warm = Math.max(fast, slow) - 1;
  let emaFast = 0,
    emaSlow = 0,
    current = 0;
  for (let t = 0; t < n; t++) {
    const c = close[t];
    // ema(): the mean of the first `period` values seeds it, then value += α (x − value).
    if (t < fast) {
      emaFast += c;
      if (t === fast - 1) emaFast /= fast;
    } else emaFast += alphaFast * (c - emaFast);
    if (t < slow) {
      emaSlow += c;
      if (t === slow - 1) emaSlow /= slow;
    } else emaSlow += alphaSlow * (c - emaSlow);
    if (t >= warm) current = crossExact(emaFast, emaSlow, current, short);
    pos[t] = current;
  }
}

export function macdCross(
  close: Float64Array,
  fast: number,
  slow: number,
  signal: number,
  short: number,
  pos: Int8Array,
): void {
  const n = pos.length;
  const alphaFast = 2 / (fast + 1);
  const alphaSlow = 2 / (slow + 1);
  const alphaSignal = 2 / (signal + 1);
  const lineStart = Math.max(fast, slow) - 1; // first bar of the MACD line
  const signalStart = lineStart + signal - 1; // first bar of its signal EMA
  let emaFast = 0,
    emaSlow = 0,
    emaSignal = 0,
    current = 0;
  for (let t = 0; t < n; t++) {
    const c = close[t];
    if (t < fast) {
      emaFast += c;
      if (t === fast - 1) emaFast /= fast;
    } else emaFast += alphaFast * (c - emaFast);
    if (t < slow) {
      emaSlow += c;
      if (t === slow - 1) emaSlow /= slow;
    } else emaSlow += alphaSlow * (c - emaSlow);
    if (t >= lineStart) {
      const line = emaFast - emaSlow;
      if (t < signalStart) emaSignal += line;
      else if (t === signalStart) {
        emaSignal = (emaSignal + line) / signal;
      } else emaSignal += alphaSignal * (line - emaSignal);
      if (t >= signalStart) current = crossExact(line, emaSignal, current, short);
    }
    pos[t] = current;
  }
}

export function momentum(
  close: Float64Array,
  lookback: number,
  threshold: number,
  short: number,
  pos: Int8Array,
): void {
  const n = pos.length;
  for (let t = 0; t < n && t < lookback; t++) pos[t] = 0; // rate of change undefined
  for (let t = lookback; t < n; t++) {
    const roc = close[t] / close[t - lookback] - 1;
    pos[t] = roc > threshold ? 1 : roc < -threshold ? short : 0;
  }
}

export function seasonal(slot: Uint8Array, mask: Uint8Array, short: number, pos: Int8Array): void {
  for (let t = 0; t < pos.length; t++) pos[t] = mask[slot[t]] === 1 ? 1 : short;
}

export function rsiReversion(r: Float64Array, lower: number, upper: number, short: number, pos: Int8Array): void {
  let current = 0;
  for (let t = 0; t < pos.length; t++) {
    const v = r[t];
    if (v !== v) current = 0;
    else if (v < lower) current = 1;
    else if (v > upper) current = short;
    else if (current === 1 && v > 50) current = 0;
    else if (current === -1 && v < 50) current = 0;
    pos[t] = current;
  }
}

/**
 * k·σ at bar t as the band comparisons need it: from `sd`, rollingStdDevBounds' bracket of rollingStdDev's σ (lower
 * ends, then upper ends), whose upper end gives every comparison of the close with mean ± k·σ that both ends agree
 * on (fl(mean ± fl(k·σ)) is monotone in σ for k > 0), and the window's exact σ otherwise. NaN ends never agree.
 */
function bandSpread(close: Float64Array, sd: Float64Array, period: number, k: number, mean: number, t: number) {
  const c = close[t];
  const high = k * sd[close.length + t];
  const low = k * sd[t];
  if ((c < mean - high || c >= mean - low) && (c > mean + high || c <= mean + low)) return high;
  return k * windowStdDev(close, period, mean, t);
}

/**
 * `side`: sideOfMean's exact sign of close − middle, for the exits (a close equal to the mean is equal to the middle).
 */
export function bollingerReversion(
  close: Float64Array,
  middle: Float64Array,
  sd: Float64Array,
  side: Float64Array,
  period: number,
  k: number,
  short: number,
  pos: Int8Array,
): void {
  let current = 0;
  for (let t = 0; t < pos.length; t++) {
    const mean = middle[t];
    if (mean !== mean) current = 0;
    else {
      const c = close[t];
      const spread = bandSpread(close, sd, period, k, mean, t);
      if (c < mean - spread) current = 1;
      else if (c > mean + spread) current = short;
      else if ((current === 1 && side[t] >= 0) || (current === -1 && side[t] <= 0)) current = 0;
    }
    pos[t] = current;
  }
}

export function bollingerBreakout(
  close: Float64Array,
  middle: Float64Array,
  sd: Float64Array,
  side: Float64Array,
  period: number,
  k: number,
  short: number,
  pos: Int8Array,
): void {
  let current = 0;
  for (let t = 0; t < pos.length; t++) {
    const mean = middle[t];
    if (mean !== mean) current = 0;
    else {
      const c = close[t];
      const spread = bandSpread(close, sd, period, k, mean, t);
      if (c > mean + spread) current = 1;
      else if (c < mean - spread) current = short;
      else if ((current === 1 && side[t] < 0) || (current === -1 && side[t] > 0)) current = 0;
    }
    pos[t] = current;
  }
}

export function donchianBreakout(close: Float64Array, channel: Float64Array, short: number, pos: Int8Array): void {
  const n = pos.length;
  let current = 0;
  if (n > 0) pos[0] = 0;
  for (let t = 1; t < n; t++) {
    // The channel of the previous `period` bars: a close can break it, it cannot break a channel that includes itself.
    const up = channel[t - 1];
    const down = channel[n + t - 1];
    if (up !== up) current = 0;
    else if (close[t] > up) current = 1;
    else if (close[t] < down) current = short;
    pos[t] = current;
  }
}
