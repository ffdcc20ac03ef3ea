// Which column holds what: the price-file layouts people already have, recognised from the first row, or forced
// with `--format`. Columns are found by name when there is a header; Binance kline dumps have none and are read
// by position.
import { InputError, PRICE_FORMATS, type PriceFormat } from '@overfit/core';
import { printable } from './printable';
import { parseTimestamp } from './timestamps';
import type { Bar } from './exchanges';

/**
 * The formats (PRICE_FORMATS lives in core: a run's DataRef can carry one):
 * - `generic`    timestamp,open,high,low,close[,volume] (what this project writes)
 * - `yahoo`      Date,Open,High,Low,Close,Adj Close,Volume (Close is used: for BTC it equals Adj Close), or
 *                yfinance's three header rows `Price,Close,High,Low,Open,Volume` / `Ticker,BTC-USD,…` / `Date,,,,,`
 * - `binance`    kline rows: open time, open, high, low, close, volume, close time, … — with or without a header
 *                (`Open time,…,Ignore` in the Kaggle copies), epoch s/ms/µs or `YYYY-MM-DD HH:MM:SS(.ffffff)`
 * - `dukascopy`  Gmt time|Local time|dt,Open,High,Low,Close,Volume with `dd.mm.yyyy HH:MM:SS(.fff)( GMT±HHMM)`
 * - `close_only` a time and one price column (`close` or `price`), e.g. `timestamp,price,returns,split`
 */

/** Where a row keeps each field of a bar (its column index), and how the rows are laid out. */
export interface Layout extends Record<keyof Bar, number> {
  format: PriceFormat;
  /** Whether the first row names the columns (false: it is already a bar). */
  header: boolean;
  /** Rows after the header that are more header: yfinance writes `Ticker,BTC-USD,…` and `Date,,,,,` under it. */
  extraHeaderRows: number;
  /** Field count every row must have. */
  width: number;
  /** −1: no volume column (volume reads as 0). */
  volume: number;
  /** False for close-only data: open = high = low = close. */
  hasOhlc: boolean;
}

const TIME_NAMES = [
  'timestamp',
  'time',
  'date',
  'datetime',
  'open time',
  'open_time',
  'opentime',
  'gmt time',
  'local time',
  'dt',
];
const DUKASCOPY_TIME_NAMES = ['gmt time', 'local time', 'dt'];

export function parsePriceFormat(text: string | undefined, where: string): PriceFormat | undefined {
  if (text === undefined || text === 'auto') return undefined;
  if (!(PRICE_FORMATS as readonly string[]).includes(text))
    throw new InputError(`must be auto or one of ${PRICE_FORMATS.join(', ')} (got "${printable(text)}")`, where);
  return text as PriceFormat;
}

/** Binance kline columns by position: open time, open, high, low, close, volume (close time and the rest ignored). */
function binanceLayout(first: string[], header: boolean, at: string): Layout {
  if (first.length < 6)
    throw new InputError(
      `a Binance kline row has at least 6 fields (open time, open, high, low, close, volume); this one has ${first.length}`,
      at,
    );
  return {
    format: 'binance',
    header,
    extraHeaderRows: 0,
    width: first.length,
    time: 0,
    open: 1,
    high: 2,
    low: 3,
    close: 4,
    volume: 5,
    hasOhlc: true,
  };
}

/**
 * Decide the layout from the file's first non-empty row (`at`: file:line of that row; `forced`: the user's --format).
 */
export function detectLayout(first: string[], at: string, forced?: PriceFormat): Layout {
  const headerless = !Number.isNaN(parseTimestamp(first[0]));
  if (forced === 'binance') return binanceLayout(first, !headerless, at);
  if (headerless) {
    if (forced)
      throw new InputError(
        `has no header row (its first row is a bar); only the binance format reads columns by position`,
        at,
      );
    return binanceLayout(first, false, at);
  }
  const names = first.map((h) => h.trim().toLowerCase());
  const find = (...candidates: string[]) => names.findIndex((n) => candidates.includes(n));
  const found = `found: ${first
    .slice(0, 16)
    .map((h) => printable(h.trim(), 40))
    .join(', ')}${first.length > 16 ? ', …' : ''}`;
  // yfinance ≥ 0.2.51 writes three header rows: `Price,Close,High,…`, `Ticker,BTC-USD,…`, `Date,,,…`; the dates
  // are then in the first column.
  const yfinance = names[0] === 'price' && names.includes('close') && names.includes('open');
  const time = yfinance ? 0 : find(...TIME_NAMES);
  if (time < 0) throw new InputError(`no time column (one of ${TIME_NAMES.join(', ')}); ${found}`, at);
  const [open, high, low, close, volume] = ['open', 'high', 'low', 'close', 'volume'].map((c) => find(c));
  const base = { header: true, extraHeaderRows: yfinance ? 2 : 0, width: first.length, time, volume };
  if (forced !== 'close_only' && open >= 0 && high >= 0 && low >= 0 && close >= 0) {
    const format =
      forced ??
      (names.includes('adj close') || yfinance
        ? 'yahoo'
        : names.includes('close time') || names[time].startsWith('open')
          ? 'binance'
          : DUKASCOPY_TIME_NAMES.includes(names[time])
            ? 'dukascopy'
            : 'generic');
    return { ...base, format, open, high, low, close, hasOhlc: true };
  }
  const price = close >= 0 ? close : find('price');
  if (forced && forced !== 'close_only')
    throw new InputError(`the ${forced} format needs columns open, high, low and close; ${found}`, at);
  if (price >= 0 && (forced === 'close_only' || (open < 0 && high < 0 && low < 0))) {
    return { ...base, format: 'close_only', open: price, high: price, low: price, close: price, hasOhlc: false };
  }
  throw new InputError(`needs columns timestamp,open,high,low,close[,volume] or timestamp,close; ${found}`, at);
}
