// Which loop fills a strategy's positions (positions.ts), and the indicator columns it reads: the dispatch by
// family, the small cache of columns, and the order of strategies that lets one computed column serve the next
// ones. Order and cache change only the speed, never a result.
import { rsi, sideOfMean, sma } from '../indicators';
import { mix32 } from '../random';
import type { Strategy } from '../types';
import type { KernelColumns } from './columns';
import {
  bollingerBreakout,
  bollingerReversion,
  coinFlip,
  donchianBreakout,
  emaCross,
  macdCross,
  momentum,
  rsiReversion,
  seasonal,
  smaCross,
} from './positions';
import { rollingMax, rollingMin } from './rollingExtremes';
import { rollingStdDevBounds } from './stdDevBounds';

/** Indicator columns by key, least recently used dropped first. */
export class ColumnCache {
  private readonly columns = new Map<string, Float64Array>();
  constructor(private readonly capacity = 16) {}

  get(key: string, compute: () => Float64Array): Float64Array {
    let column = this.columns.get(key);
    if (column) this.columns.delete(key);
    else column = compute();
    this.columns.set(key, column);
    if (this.columns.size > this.capacity) this.columns.delete(this.columns.keys().next().value!);
    return column;
  }
}

/**
 * The key that orders strategies for the kernel: by family, then by the parameter of any cached column, so
 * consecutive strategies share columns. Order changes only the speed, never a result.
 */
export function kernelOrderKey(s: Strategy): string {
  const pad = (v: number) => String(v).padStart(6, '0');
  switch (s.family) {
    case 'rsi_reversion':
      return `${s.family}:${pad(s.period)}`;
    case 'bollinger':
      return `${s.family}:${pad(s.period)}`;
    case 'donchian_breakout':
      return `${s.family}:${pad(s.period)}`;
    default:
      return s.family;
  }
}

/** Fill pos[0 … n−1] for one strategy. */
export function fillPositions(s: Strategy, k: KernelColumns, cache: ColumnCache, pos: Int8Array): void {
  const short = s.direction === 'long_short' ? -1 : 0;
  switch (s.family) {
    case 'coin_flip':
      return coinFlip(k, mix32((s.seed >>> 0) ^ 0x9e3779b9), s.probabilityLong, short, pos);
    case 'sma_cross':
      return smaCross(k.close, s.fast, s.slow, short, pos);
    case 'ema_cross':
      return emaCross(k.close, s.fast, s.slow, short, pos);
    case 'macd':
      return macdCross(k.close, s.fast, s.slow, s.signal, short, pos);
    case 'momentum':
      return momentum(k.close, s.lookback, s.threshold, short, pos);
    case 'seasonal': {
      const mask = new Uint8Array(256); // 24 hours × 7 weekdays; NO_SLOT (255) stays 0
      for (const d of s.weekdays)
        for (const h of s.hours) if (h >= 0 && h < 24 && d >= 0 && d < 7) mask[h + 24 * d] = 1;
      return seasonal(k.slot, mask, short, pos);
    }
    case 'rsi_reversion': {
      const r = cache.get(`rsi:${s.period}`, () => rsi(k.close, s.period));
      return rsiReversion(r, s.lower, s.upper, short, pos);
    }
    case 'bollinger': {
      const middle = cache.get(`sma:${s.period}`, () => sma(k.close, s.period));
      const sd = cache.get(`sd:${s.period}`, () => {
        const bracket = new Float64Array(2 * k.close.length);
        rollingStdDevBounds(k.close, s.period, middle, bracket);
        return bracket;
      });
      const side = cache.get(`side:${s.period}`, () => sideOfMean(k.close, s.period));
      return s.mode === 'reversion'
        ? bollingerReversion(k.close, middle, sd, side, s.period, s.k, short, pos)
        : bollingerBreakout(k.close, middle, sd, side, s.period, s.k, short, pos);
    }
    case 'donchian_breakout': {
      const n = k.close.length;
      const channel = cache.get(`donchian:${s.period}`, () => {
        const both = new Float64Array(2 * n); // upper then lower, as donchian() gives them
        rollingMax(k.high, s.period, both.subarray(0, n));
        rollingMin(k.low, s.period, both.subarray(n));
        return both;
      });
      return donchianBreakout(k.close, channel, short, pos);
    }
  }
}
