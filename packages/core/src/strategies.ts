// Strategy families: how each turns prices into positions, how many bars it needs, how to validate one from
// untrusted JSON, and how to draw random ones. pos[t] ∈ {−1, 0, 1} is decided at the close of bar t and held
// for the return from close t to close t+1.
import { InputError, type Problem } from './errors';
import { assertNoProblems, problems } from './contracts/check';
import { STRATEGY_SCHEMA } from './contracts/strategy';
import { bollinger, donchian, ema, macd, rateOfChange, rsi, sideOfMean, sma } from './indicators';
import type { Market } from './market';
import { createRng, hashToUnit, type Rng } from './random';
import { STRATEGY_FAMILIES, type Strategy, type StrategyFamily } from './types';

const shortOf = (s: Strategy): number => (s.direction === 'long_short' ? -1 : 0);

const smaOf = (m: Market, p: number) => m.indicator(`sma:${p}`, () => sma(m.series.close, p));
const emaOf = (m: Market, p: number) => m.indicator(`ema:${p}`, () => ema(m.series.close, p));

/** Long while `fast` is above `slow`, short (or flat) while below, unchanged when equal, flat until both exist. */
function crossPositions(fast: Float64Array, slow: Float64Array, short: number): Int8Array {
  const pos = new Int8Array(fast.length);
  let current = 0;
  for (let t = 0; t < fast.length; t++) {
    const f = fast[t];
    const s = slow[t];
    if (f > s) current = 1;
    else if (f < s) current = short;
    else if (Number.isNaN(f) || Number.isNaN(s)) current = 0;
    pos[t] = current;
  }
  return pos;
}

export function positions(strategy: Strategy, market: Market): Int8Array {
  const { close, time, high, low } = market.series;
  const n = close.length;
  const short = shortOf(strategy);
  const pos = new Int8Array(n);
  switch (strategy.family) {
    case 'coin_flip': {
      const { seed, probabilityLong } = strategy;
      for (let t = 0; t < n; t++) pos[t] = hashToUnit(seed, time[t]) < probabilityLong ? 1 : short;
      return pos;
    }
    case 'sma_cross':
      return crossPositions(smaOf(market, strategy.fast), smaOf(market, strategy.slow), short);
    case 'ema_cross':
      return crossPositions(emaOf(market, strategy.fast), emaOf(market, strategy.slow), short);
    case 'macd': {
      const { fast, slow, signal } = strategy;
      const m = market.indicator(`macd:${fast}:${slow}:${signal}`, () => {
        const { macd: line, signal: signalLine } = macd(close, fast, slow, signal);
        const both = new Float64Array(2 * n); // line then signal, in one memo entry
        both.set(line, 0);
        both.set(signalLine, n);
        return both;
      });
      return crossPositions(m.subarray(0, n), m.subarray(n), short);
    }
    case 'rsi_reversion': {
      const { period, lower, upper } = strategy;
      const r = market.indicator(`rsi:${period}`, () => rsi(close, period));
      let current = 0;
      for (let t = 0; t < n; t++) {
        const v = r[t];
        if (Number.isNaN(v)) current = 0;
        else if (v < lower)
          current = 1; // oversold: enter (or flip to) long
        else if (v > upper)
          current = short; // overbought: enter short, or leave a long
        else if (current === 1 && v > 50)
          current = 0; // back to the middle: the reversion is done
        else if (current === -1 && v < 50) current = 0;
        pos[t] = current;
      }
      return pos;
    }
    case 'bollinger': {
      const { period, k, mode } = strategy;
      const bands = market.indicator(`bollinger:${period}:${k}`, () => {
        const b = bollinger(close, period, k);
        const all = new Float64Array(3 * n);
        all.set(b.middle, 0);
        all.set(b.upper, n);
        all.set(b.lower, 2 * n);
        return all;
      });
      const middle = bands.subarray(0, n);
      const upperBand = bands.subarray(n, 2 * n);
      const lowerBand = bands.subarray(2 * n);
      // Where the close is against the middle, decided exactly (a close equal to the window's mean is equal to it).
      const side = market.indicator(`side:${period}`, () => sideOfMean(close, period));
      let current = 0;
      for (let t = 0; t < n; t++) {
        const c = close[t];
        if (Number.isNaN(middle[t])) current = 0;
        else if (mode === 'reversion') {
          if (c < lowerBand[t]) current = 1;
          else if (c > upperBand[t]) current = short;
          else if ((current === 1 && side[t] >= 0) || (current === -1 && side[t] <= 0)) current = 0;
        } else {
          if (c > upperBand[t]) current = 1;
          else if (c < lowerBand[t]) current = short;
          else if ((current === 1 && side[t] < 0) || (current === -1 && side[t] > 0)) current = 0;
        }
        pos[t] = current;
      }
      return pos;
    }
    case 'donchian_breakout': {
      const { period } = strategy;
      const channel = market.indicator(`donchian:${period}`, () => {
        const d = donchian(high, low, period);
        const both = new Float64Array(2 * n);
        both.set(d.upper, 0);
        both.set(d.lower, n);
        return both;
      });
      let current = 0;
      for (let t = 1; t < n; t++) {
        // The channel of the previous `period` bars: a close can break it, it cannot break a channel that includes
        // itself.
        const up = channel[t - 1];
        const down = channel[n + t - 1];
        if (Number.isNaN(up)) current = 0;
        else if (close[t] > up) current = 1;
        else if (close[t] < down) current = short;
        pos[t] = current;
      }
      return pos;
    }
    case 'momentum': {
      const { lookback, threshold } = strategy;
      const roc = market.indicator(`roc:${lookback}`, () => rateOfChange(close, lookback));
      for (let t = 0; t < n; t++) pos[t] = roc[t] > threshold ? 1 : roc[t] < -threshold ? short : 0;
      return pos;
    }
    case 'seasonal': {
      // The bar being entered at close t starts at time[t] + barMs; time[t+1] would peek past a gap.
      const hours = new Uint8Array(24);
      const days = new Uint8Array(7);
      for (const h of strategy.hours) hours[h] = 1;
      for (const d of strategy.weekdays) days[d] = 1;
      for (let t = 0; t < n; t++) {
        const next = time[t] + market.barMs;
        const hour = Math.floor(next / 3_600_000) % 24;
        const weekday = (Math.floor(next / 86_400_000) + 4) % 7; // 1970-01-01 was a Thursday
        pos[t] = hours[hour] && days[weekday] ? 1 : short;
      }
      return pos;
    }
  }
}

/** Bars a strategy needs before it can form its first signal. */
export function strategyLookback(s: Strategy): number {
  switch (s.family) {
    case 'coin_flip':
    case 'seasonal':
      return 1;
    case 'sma_cross':
    case 'ema_cross':
      return s.slow;
    case 'macd':
      return s.slow + s.signal - 1;
    case 'rsi_reversion':
      return s.period + 1;
    case 'bollinger':
      return s.period;
    case 'donchian_breakout':
      return s.period + 1;
    case 'momentum':
      return s.lookback + 1;
  }
}

// ---- validation of untrusted records ---------------------------------------------------------------------

/** A rule between two fields the schema cannot state: a slow average must be slower than the fast one. */
function slowerThanFast(record: { fast: number; slow: number }, where: string): Problem[] {
  if (record.slow > record.fast) return [];
  return [{ where: `${where}.slow`, message: `must be an integer > fast (${record.fast}) (got ${record.slow})` }];
}

/** Validate a strategy record from JSON (an event, a CLI flag, a request); errors name every wrong field. */
export function parseStrategy(value: unknown, where = 'strategy'): Strategy {
  assertNoProblems(problems(STRATEGY_SCHEMA, value, where));
  const s = value as Strategy;
  const base = { id: s.id, direction: s.direction };
  // A new object of the known fields only, in a fixed order: extra fields of the record are dropped.
  switch (s.family) {
    case 'coin_flip':
      return { ...base, family: s.family, seed: s.seed, probabilityLong: s.probabilityLong };
    case 'sma_cross':
    case 'ema_cross':
      assertNoProblems(slowerThanFast(s, where));
      return { ...base, family: s.family, fast: s.fast, slow: s.slow };
    case 'macd':
      assertNoProblems(slowerThanFast(s, where));
      return { ...base, family: s.family, fast: s.fast, slow: s.slow, signal: s.signal };
    case 'rsi_reversion':
      return { ...base, family: s.family, period: s.period, lower: s.lower, upper: s.upper };
    case 'bollinger':
      return { ...base, family: s.family, period: s.period, k: s.k, mode: s.mode };
    case 'donchian_breakout':
      return { ...base, family: s.family, period: s.period };
    case 'momentum':
      return { ...base, family: s.family, lookback: s.lookback, threshold: s.threshold };
    case 'seasonal':
      return {
        ...base,
        family: s.family,
        hours: [...s.hours].sort((a, b) => a - b),
        weekdays: [...s.weekdays].sort((a, b) => a - b),
      };
  }
}

// ---- random generation ------------------------------------------------------------------------------------

/** Round to a step so stored parameters are short and exact in JSON (2.3, not 2.3000000000000003). */
const stepped = (rng: Rng, lo: number, hi: number, step: number): number => {
  const steps = Math.round((hi - lo) / step);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number((lo + rng.int(0, steps) * step).toFixed(decimals));
};

const ALL_HOURS = Array.from({ length: 24 }, (_, h) => h);
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

/** Parameter ranges per family; the README's table documents the same numbers. */
function drawParameters(family: StrategyFamily, rng: Rng) {
  switch (family) {
    case 'coin_flip':
      return { seed: rng.uint32(), probabilityLong: 0.5 };
    case 'sma_cross':
    case 'ema_cross': {
      const fast = rng.int(2, 50);
      return { fast, slow: rng.int(fast + 5, 250) };
    }
    case 'rsi_reversion':
      return { period: rng.int(2, 30), lower: rng.int(10, 40), upper: rng.int(60, 90) };
    case 'bollinger':
      return {
        period: rng.int(10, 100),
        k: stepped(rng, 1, 3, 0.1),
        mode: rng.pick(['reversion', 'breakout'] as const),
      };
    case 'donchian_breakout':
      return { period: rng.int(10, 200) };
    case 'momentum':
      return { lookback: rng.int(2, 200), threshold: stepped(rng, 0, 0.05, 0.001) };
    case 'macd': {
      const fast = rng.int(5, 20);
      return { fast, slow: rng.int(fast + 5, 50), signal: rng.int(3, 15) };
    }
    case 'seasonal':
      return rng.next() < 0.5
        ? { hours: rng.sample(ALL_HOURS, rng.int(1, 12)), weekdays: ALL_DAYS }
        : { hours: ALL_HOURS, weekdays: rng.sample(ALL_DAYS, rng.int(1, 4)) };
  }
}

export interface GenerateOptions {
  count: number;
  seed: number;
  families?: readonly StrategyFamily[];
}

/** Draw `count` strategies: family uniform over `families`, direction 50/50, parameters uniform in their ranges. */
export function generateStrategies({ count, seed, families = STRATEGY_FAMILIES }: GenerateOptions): Strategy[] {
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000)
    throw new InputError(`must be an integer from 1 to 1000000 (got ${count})`, 'count');
  if (families.length === 0) throw new InputError('must name at least one family', 'families');
  for (const f of families)
    if (!STRATEGY_FAMILIES.includes(f)) throw new InputError(`unknown family "${f}"`, 'families');
  const rng = createRng(seed);
  const width = Math.max(4, String(count).length);
  const strategies: Strategy[] = [];
  for (let i = 0; i < count; i++) {
    const family = rng.pick(families);
    const direction = rng.next() < 0.5 ? 'long_only' : 'long_short';
    strategies.push({
      id: `s${String(i + 1).padStart(width, '0')}`,
      family,
      direction,
      ...drawParameters(family, rng),
    } as Strategy);
  }
  return strategies;
}
