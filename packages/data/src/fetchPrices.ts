// Download a price history from a public candle endpoint into the generic CSV layout: page by page, waiting as
// told on 429/418 (Retry-After) and backing off on 5xx and network errors, continuing after the last bar already
// in `out`, and replacing `out` only when the whole download succeeded and the written file reads back whole.
import { existsSync } from 'node:fs';
import { InputError, type PriceSeries } from '@overfit/core';
import { candleSource, type Bar } from './exchanges';
import { readPriceCsv, type LoadedPrices } from './readPriceCsv';
import { formatInterval, formatTimestamp } from './timestamps';
import { writePriceCsv } from './writePriceCsv';

export interface FetchPricesOptions {
  exchange: string;
  /** BTCUSDT on Binance, BTC-USD on Coinbase. */
  symbol: string;
  /** 1h, 5m, 1d, … as the exchange names it. */
  interval: string;
  /** First open time wanted (epoch ms); optional when `out` exists (the download continues after its last bar). */
  from?: number;
  /** Last open time wanted (epoch ms); default: the last complete bar. */
  to?: number;
  out: string;
  /** Default: the exchange's public API; tests point it at a fake server on 127.0.0.1. */
  baseUrl?: string;
  onProgress?: (done: number, total: number) => void;
  /** Injectable for tests: the HTTP client, the waiting, and the clock. */
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Attempts per page before giving up (default 6: waits of 1, 2, 4, 8, 16 s in between). */
  maxAttempts?: number;
  backoffMs?: number;
  /** A Retry-After longer than this (an IP ban on 418) fails at once instead of waiting (default 5 minutes). */
  maxRetryWaitMs?: number;
}

export interface FetchResult {
  /** The written file as loaded back, with its data report (the old file when nothing was new). */
  written: LoadedPrices;
  /** Bars added by this download. */
  added: number;
  /** Open time of the last bar `out` already had, when the download continued it. */
  resumedAfter: string | null;
  requests: number;
}

const SYMBOL = /^[A-Z0-9][A-Z0-9-]{1,29}$/;
const REQUEST_TIMEOUT_MS = 30_000;

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or null without one. */
function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** A failure that retrying cannot fix (a refused request, a ban): stops the download at once. */
class FatalFetchError extends Error {}

export async function fetchPrices(options: FetchPricesOptions): Promise<FetchResult> {
  const source = candleSource(options.exchange);
  const intervalSeconds = source.intervals[options.interval];
  if (intervalSeconds === undefined) throw new InputError(`${source.name} serves ${Object.keys(source.intervals).join(', ')} (got "${options.interval}")`, '--interval');
  if (!SYMBOL.test(options.symbol)) throw new InputError(`must be an exchange symbol such as ${source.exampleSymbol} (got "${options.symbol}")`, '--symbol');
  const http = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const { maxAttempts = 6, backoffMs = 1000, maxRetryWaitMs = 300_000 } = options;
  const baseUrl = (options.baseUrl ?? source.defaultBaseUrl).replace(/\/+$/, '');
  const intervalMs = intervalSeconds * 1000;

  // Resume: the bars already in `out` are kept and the download starts after the last of them.
  let existing: LoadedPrices | null = null;
  if (existsSync(options.out)) {
    existing = await readPriceCsv(options.out);
    if (existing.report.spacingSeconds !== intervalSeconds) {
      throw new InputError(`holds ${formatInterval(existing.report.spacingSeconds)} bars; --interval is ${options.interval} (choose another --out)`, options.out);
    }
  }
  const lastExisting = existing ? existing.series.time[existing.series.time.length - 1] : null;
  if (options.from === undefined && lastExisting === null) throw new InputError('needs a start date, e.g. --from 2018-01-01 (or an existing --out to continue)', '--from');
  const wanted = Math.max(options.from ?? Number.NEGATIVE_INFINITY, lastExisting === null ? Number.NEGATIVE_INFINITY : lastExisting + 1);
  const start = Math.ceil(wanted / intervalMs) * intervalMs;
  // Only complete bars: one still forming would change after it was saved.
  const lastComplete = Math.floor(now() / intervalMs) * intervalMs - intervalMs;
  const end = Math.min(options.to ?? Number.POSITIVE_INFINITY, lastComplete);
  if (options.to !== undefined && options.from !== undefined && options.to < options.from) throw new InputError('is before --from', '--to');

  let requests = 0;
  const getPage = async (url: string): Promise<Bar[]> => {
    let last = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const backoff = Math.min(60_000, backoffMs * 2 ** (attempt - 1));
      try {
        requests++;
        const response = await http(url, { headers: { accept: 'application/json', 'user-agent': 'overfitting-lab' }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        if (response.status === 429 || response.status === 418) {
          const wait = retryAfterMs(response.headers.get('retry-after'), now()) ?? backoff;
          await response.body?.cancel();
          if (wait > maxRetryWaitMs) throw new FatalFetchError(`${source.name} answered HTTP ${response.status} and asks to wait ${Math.round(wait / 1000)} s${response.status === 418 ? ' (this IP is banned for that long)' : ''}; try again later`);
          last = `HTTP ${response.status}`;
          if (attempt < maxAttempts) await sleep(wait);
          continue;
        }
        if (response.status >= 400 && response.status < 500) {
          const text = (await response.text()).slice(0, 200);
          throw new FatalFetchError(`${source.name} refused ${url}: HTTP ${response.status} ${text}`);
        }
        if (response.status !== 200) {
          await response.body?.cancel();
          last = `HTTP ${response.status}`;
        } else {
          // A body cut short by a dropped connection fails to parse here and is asked for again.
          return source.parse(await response.json());
        }
      } catch (error) {
        if (error instanceof FatalFetchError) throw error;
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        last = `${(error as Error).message}${cause ? ` (${cause})` : ''}`;
      }
      if (attempt < maxAttempts) await sleep(backoff);
    }
    throw new Error(`${source.name}: ${url} failed ${maxAttempts} times (last: ${last}); ${existing ? `${options.out} was left as it was` : `nothing was written to ${options.out}`}`);
  };

  const bars: Bar[] = [];
  const total = end >= start ? Math.floor((end - start) / intervalMs) + 1 : 0;
  let cursor = start;
  try {
    while (cursor <= end) {
      const pageEnd = source.pageEnd(cursor, end, intervalMs);
      const page = await getPage(source.url(baseUrl, options.symbol, intervalSeconds, cursor, pageEnd));
      let next = pageEnd + 1;
      for (const bar of page) {
        // Only bars after the last one kept: an overlapping or repeated page adds no duplicate.
        if (bar.time < cursor || bar.time > pageEnd) continue;
        bars.push(bar);
        cursor = bar.time + 1;
        next = cursor;
      }
      cursor = Math.max(cursor, next);
      options.onProgress?.(Math.min(total, bars.length), total);
    }
    options.onProgress?.(total, total); // gaps in the exchange's history leave fewer bars than the range holds
  } catch (error) {
    if (error instanceof FatalFetchError) throw new InputError(error.message, `--exchange ${source.name}`);
    throw error;
  }

  const resumedAfter = lastExisting === null ? null : formatTimestamp(lastExisting);
  if (bars.length === 0) {
    if (existing) return { written: existing, added: 0, resumedAfter, requests };
    throw new InputError(`${source.name} has no ${options.interval} bars of ${options.symbol} from ${formatTimestamp(start)} to ${formatTimestamp(end)}`, '--from/--to');
  }
  return { written: await writePriceCsv(merge(existing?.series ?? null, bars), options.out), added: bars.length, resumedAfter, requests };
}

/** The bars already on disk followed by the new ones, as columns. */
function merge(existing: PriceSeries | null, bars: Bar[]): PriceSeries {
  const old = existing?.time.length ?? 0;
  const n = old + bars.length;
  const column = (name: keyof Bar, previous: Float64Array | undefined) => {
    const out = new Float64Array(n);
    if (previous) out.set(previous);
    for (let i = 0; i < bars.length; i++) out[old + i] = bars[i][name];
    return out;
  };
  return {
    time: column('time', existing?.time), open: column('open', existing?.open), high: column('high', existing?.high),
    low: column('low', existing?.low), close: column('close', existing?.close), volume: column('volume', existing?.volume), hasOhlc: true,
  };
}
