// Download a price history from a public candle endpoint into the generic CSV layout: page by page, waiting as
// told on 429/418 (Retry-After) and backing off on 5xx and network errors, continuing after the last bar already
// in `out`, and replacing `out` only when the whole download succeeded and the written file reads back whole.
import { existsSync } from 'node:fs';
import { InputError } from '@overfit/core';
import { candleSource, type Bar } from './exchanges';
import { printable } from './printable';
import { badBar, checkPage, merge, onGrid } from './candleBars';
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
  /** Bars of the range the exchange does not have (gaps in its history between the first bar added and the end). */
  missing: number;
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
  if (intervalSeconds === undefined)
    throw new InputError(
      `${source.name} serves ${Object.keys(source.intervals).join(', ')} (got "${printable(options.interval)}")`,
      'interval',
    );
  if (!SYMBOL.test(options.symbol))
    throw new InputError(
      `must be an exchange symbol such as ${source.exampleSymbol} (got "${printable(options.symbol)}")`,
      'symbol',
    );
  const http = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const { maxAttempts = 6, backoffMs = 1000, maxRetryWaitMs = 300_000 } = options;
  const baseUrl = (options.baseUrl ?? source.defaultBaseUrl).replace(/\/+$/, '');
  const intervalMs = intervalSeconds * 1000;

  // Resume: the bars already in `out` are kept and the download starts after the last of them; they must all be
  // bars of `interval` on one grid, or the new bars would be appended to a file of another spacing.
  let existing: LoadedPrices | null = null;
  if (existsSync(options.out)) {
    existing = await readPriceCsv(options.out);
    if (existing.report.spacingSeconds !== intervalSeconds) {
      throw new InputError(
        `holds ${formatInterval(existing.report.spacingSeconds)} bars, not the ${options.interval} bars asked for (choose another output file)`,
        options.out,
      );
    }
    const { time } = existing.series;
    for (let i = 0; i < time.length; i++) {
      if (!onGrid(time[i], time[0], intervalMs) || (i > 0 && (time[i] - time[i - 1]) % intervalMs !== 0)) {
        throw new InputError(
          `has a bar at ${formatTimestamp(time[i])} off the ${options.interval} grid of its other bars (bars of mixed spacing or shifted times); choose another output file or repair the file`,
          options.out,
        );
      }
    }
  }
  const lastExisting = existing ? existing.series.time[existing.series.time.length - 1] : null;
  if (options.from === undefined && lastExisting === null)
    throw new InputError('needs a start date, e.g. 2018-01-01 (or an existing output file to continue)', 'from');
  const wanted = Math.max(
    options.from ?? Number.NEGATIVE_INFINITY,
    lastExisting === null ? Number.NEGATIVE_INFINITY : lastExisting + 1,
  );
  const start = Math.ceil(wanted / intervalMs) * intervalMs;
  // Only complete bars: one still forming would change after it was saved.
  const lastComplete = Math.floor(now() / intervalMs) * intervalMs - intervalMs;
  const end = Math.min(options.to ?? Number.POSITIVE_INFINITY, lastComplete);
  if (options.to !== undefined && options.from !== undefined && options.to < options.from)
    throw new InputError('is before the start date', 'to');
  const untouched = existing ? `${options.out} was left as it was` : `nothing was written to ${options.out}`;

  let requests = 0;
  const getPage = async (url: string): Promise<Bar[]> => {
    let last = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const backoff = Math.min(60_000, backoffMs * 2 ** (attempt - 1));
      try {
        requests++;
        const response = await http(url, {
          headers: { accept: 'application/json', 'user-agent': 'overfitting-lab' },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (response.status === 429 || response.status === 418) {
          const wait = retryAfterMs(response.headers.get('retry-after'), now()) ?? backoff;
          await response.body?.cancel();
          if (wait > maxRetryWaitMs)
            throw new FatalFetchError(
              `${source.name} answered HTTP ${response.status} and asks to wait ${Math.round(wait / 1000)} s${response.status === 418 ? ' (this IP is banned for that long)' : ''}; try again later`,
            );
          last = `HTTP ${response.status}`;
          if (attempt < maxAttempts) await sleep(wait);
          continue;
        }
        if (response.status >= 400 && response.status < 500) {
          const text = printable((await response.text()).slice(0, 1000), 200);
          throw new FatalFetchError(`${source.name} refused ${url}: HTTP ${response.status} ${text}`);
        }
        if (response.status !== 200) {
          await response.body?.cancel();
          last = `HTTP ${response.status}`;
        } else {
          // A body cut short by a dropped connection fails to parse here and is asked for again; so does a page
          // holding two different bars for one time.
          return checkPage(source.parse(await response.json()), source.name);
        }
      } catch (error) {
        if (error instanceof FatalFetchError) throw error;
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        last = `${(error as Error).message}${cause ? ` (${cause})` : ''}`;
      }
      if (attempt < maxAttempts) await sleep(backoff);
    }
    throw new Error(`${source.name}: ${url} failed ${maxAttempts} times (last: ${last}); ${untouched}`);
  };

  const bars: Bar[] = [];
  const total = end >= start ? Math.floor((end - start) / intervalMs) + 1 : 0;
  // Every bar must open on the grid: whole multiples of the interval since the epoch for bars that divide a day
  // (UTC boundaries, as both exchanges align them), the first bar's phase for longer ones (Binance's weeks start
  // on Mondays).
  let anchor = lastExisting;
  let cursor = start;
  let empty = 0;
  try {
    while (cursor <= end) {
      const pageEnd = source.pageEnd(cursor, end, intervalMs);
      const url = source.url(baseUrl, options.symbol, intervalSeconds, cursor, pageEnd);
      // Only bars after the last one kept: an overlapping or repeated page adds no duplicate.
      const page = (await getPage(url)).filter((bar) => bar.time >= cursor && bar.time <= pageEnd);
      if (page.length === 0) {
        // Binance: nothing from here to the end. Coinbase: nothing in this window. Either can be a hiccup of the
        // exchange, so it is asked again; an empty window inside the range is then a gap in its history, and only
        // the newest complete bar may be missing at the end (not published yet); otherwise the range's end must be
        // reached, or the download would end "successfully" short.
        empty++;
        if ((pageEnd < end || cursor > lastComplete - intervalMs) && empty >= 2) {
          empty = 0;
          cursor = pageEnd + 1;
        } else if (empty >= maxAttempts) {
          const last = bars.length ? bars[bars.length - 1].time : null;
          const next = last === null ? cursor : last + intervalMs;
          throw new Error(
            `${source.name} answered ${maxAttempts} times with no ${options.interval} bars of ${options.symbol} from ${formatTimestamp(next)} to ${formatTimestamp(end)}, ` +
              `${Math.floor((end - next) / intervalMs) + 1} of the ${total} bars asked for (${last === null ? 'it sent none' : `its last bar is ${formatTimestamp(last)}`}); ${untouched}. ` +
              'If it has no data there, end the range earlier',
          );
        } else await sleep(Math.min(60_000, backoffMs * 2 ** (empty - 1)));
        continue;
      }
      empty = 0;
      for (const bar of page) {
        anchor ??= bar.time;
        if (!onGrid(bar.time, anchor, intervalMs)) {
          throw new Error(
            `${source.name} sent a bar opening at ${formatTimestamp(bar.time)}, off the ${options.interval} grid (${formatTimestamp(anchor)} + whole ${options.interval} steps): bars of another interval or shifted times; ${untouched}`,
          );
        }
        const bad = badBar(bar);
        if (bad)
          throw new Error(
            `${source.name} sent a bar opening at ${formatTimestamp(bar.time)} with ${bad}; ${untouched}`,
          );
        bars.push(bar);
      }
      cursor = page[page.length - 1].time + 1;
      options.onProgress?.(Math.min(total, bars.length), total);
    }
    options.onProgress?.(total, total); // gaps in the exchange's history leave fewer bars than the range holds
  } catch (error) {
    if (error instanceof FatalFetchError) throw new InputError(error.message, 'exchange', { cause: error });
    throw error;
  }

  const resumedAfter = lastExisting === null ? null : formatTimestamp(lastExisting);
  if (bars.length === 0) {
    if (existing) return { written: existing, added: 0, missing: 0, resumedAfter, requests };
    throw new InputError(
      `${source.name} has no ${options.interval} bars of ${options.symbol} from ${formatTimestamp(start)} to ${formatTimestamp(end)}`,
      'from/to',
    );
  }
  const written = await writePriceCsv(merge(existing?.series ?? null, bars), options.out);
  // Bars the range holds that the exchange does not have (outages), between the first bar received and the end.
  return {
    written,
    added: bars.length,
    missing: Math.max(0, Math.floor((end - bars[0].time) / intervalMs) + 1 - bars.length),
    resumedAfter,
    requests,
  };
}
