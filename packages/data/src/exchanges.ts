// Public candle endpoints of two exchanges behind one interface: how to ask for a page of bars and how to read
// the answer. No keys: both are public market data. The downloader (fetchPrices.ts) does the paging and retrying.
import { InputError } from '@overfit/core';
import { printable } from './printable';
import { isDecimal } from './priceFields';

/** One bar as the downloader handles it: open time in epoch ms (UTC). */
export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface CandleSource {
  name: ExchangeName;
  defaultBaseUrl: string;
  /** An example symbol, for messages. */
  exampleSymbol: string;
  /** Bar lengths the endpoint serves: name → seconds. */
  intervals: Record<string, number>;
  /** The most bars one request returns. */
  limit: number;
  /**
   * The last open time one request starting at `from` may cover. Binance returns the first `limit` bars at or
   * after `from` whatever the end, so the end is `to` and an empty page means nothing is left. Coinbase refuses
   * ranges of more than `limit` bars, so a page is a window, and an empty window is a gap to step over.
   */
  pageEnd(from: number, to: number, intervalMs: number): number;
  url(baseUrl: string, symbol: string, intervalSeconds: number, from: number, end: number): string;
  /** Bars of a 200 response, in the order sent; throws an Error (retried) if the body is not what the API sends. */
  parse(body: unknown): Bar[];
}

export const EXCHANGES = ['binance', 'coinbase'] as const;
export type ExchangeName = (typeof EXCHANGES)[number];

/** A number sent as a JSON number or a decimal string ("0x10" and "Infinity" are not numbers an exchange sends). */
const num = (value: unknown): number => {
  const n = typeof value === 'string' && value.trim() !== '' && isDecimal(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new Error(`not a number: ${printable(String(JSON.stringify(value)))}`);
  return n;
};
const rows = (body: unknown): unknown[][] => {
  if (!Array.isArray(body) || body.some((row) => !Array.isArray(row)))
    throw new Error(`expected an array of candle arrays, got ${printable(String(JSON.stringify(body)))}`);
  return body as unknown[][];
};

/** Binance spot `GET /api/v3/klines`: [open time ms, "open", "high", "low", "close", "volume", close time, …]. */
const binance: CandleSource = {
  name: 'binance',
  defaultBaseUrl: 'https://api.binance.com',
  exampleSymbol: 'BTCUSDT',
  intervals: {
    '1m': 60,
    '3m': 180,
    '5m': 300,
    '15m': 900,
    '30m': 1800,
    '1h': 3600,
    '2h': 7200,
    '4h': 14_400,
    '6h': 21_600,
    '8h': 28_800,
    '12h': 43_200,
    '1d': 86_400,
    '3d': 259_200,
    '1w': 604_800,
  },
  limit: 1000,
  pageEnd: (_from, to) => to,
  url: (base, symbol, interval, from, end) => {
    const name = Object.entries(binance.intervals).find(([, s]) => s === interval)![0];
    return `${base}/api/v3/klines?symbol=${symbol}&interval=${name}&startTime=${from}&endTime=${end}&limit=${binance.limit}`;
  },
  parse: (body) =>
    rows(body).map((r) => ({
      time: num(r[0]),
      open: num(r[1]),
      high: num(r[2]),
      low: num(r[3]),
      close: num(r[4]),
      volume: num(r[5]),
    })),
};

/** Coinbase Exchange `GET /products/{id}/candles`: [time s, low, high, open, close, volume], newest first. */
const coinbase: CandleSource = {
  name: 'coinbase',
  defaultBaseUrl: 'https://api.exchange.coinbase.com',
  exampleSymbol: 'BTC-USD',
  intervals: { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '6h': 21_600, '1d': 86_400 },
  limit: 300,
  pageEnd: (from, to, intervalMs) => Math.min(to, from + (coinbase.limit - 1) * intervalMs),
  url: (base, symbol, interval, from, end) =>
    `${base}/products/${symbol}/candles?granularity=${interval}&start=${new Date(from).toISOString()}&end=${new Date(end).toISOString()}`,
  parse: (body) =>
    rows(body).map((r) => ({
      time: num(r[0]) * 1000,
      low: num(r[1]),
      high: num(r[2]),
      open: num(r[3]),
      close: num(r[4]),
      volume: num(r[5]),
    })),
};

const SOURCES: Record<ExchangeName, CandleSource> = { binance, coinbase };

export function candleSource(exchange: string, where = 'exchange'): CandleSource {
  if (!(EXCHANGES as readonly string[]).includes(exchange))
    throw new InputError(`must be one of ${EXCHANGES.join(', ')} (got "${printable(exchange)}")`, where);
  return SOURCES[exchange as ExchangeName];
}
