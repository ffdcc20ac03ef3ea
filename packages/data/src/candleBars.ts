// The bars a candle endpoint sends, checked and joined for the price file (fetchPrices.ts): on the interval's grid,
// prices this project reads, one bar per open time, appended after the bars already on disk.
import type { PriceSeries } from '@overfit/core';
import type { Bar } from './exchanges';
import { isPrice, MAX_PRICE, MIN_PRICE } from './priceFields';
import { formatTimestamp } from './timestamps';

const DAY_MS = 86_400_000;

/** Whether `time` opens a bar of the grid through `anchor` (bars that divide a day: through the epoch). */
export function onGrid(time: number, anchor: number, intervalMs: number): boolean {
  return (
    Number.isInteger(time) && (DAY_MS % intervalMs === 0 ? time % intervalMs === 0 : (time - anchor) % intervalMs === 0)
  );
}

/** What is wrong with an exchange's bar for a price file, in words, or null. */
export function badBar(bar: Bar): string | null {
  for (const name of ['open', 'high', 'low', 'close'] as const) {
    if (!isPrice(bar[name]))
      return `${name} ${bar[name]}, outside the prices this project reads (${MIN_PRICE} to ${MAX_PRICE})`;
  }
  return bar.volume >= 0 ? null : `volume ${bar.volume}`;
}

/**
 * A page's bars oldest first with exact repeats dropped; two different bars for one open time are an error (retried).
 */
export function checkPage(page: Bar[], exchange: string): Bar[] {
  const sorted = page.slice().sort((a, b) => a.time - b.time);
  const out: Bar[] = [];
  for (const bar of sorted) {
    const previous = out[out.length - 1];
    if (previous && previous.time === bar.time) {
      if (
        previous.open !== bar.open ||
        previous.high !== bar.high ||
        previous.low !== bar.low ||
        previous.close !== bar.close ||
        previous.volume !== bar.volume
      ) {
        throw new Error(`${exchange} sent two different bars opening at ${formatTimestamp(bar.time)}`);
      }
      continue;
    }
    out.push(bar);
  }
  return out;
}

/** The bars already on disk followed by the new ones, as columns. */
export function merge(existing: PriceSeries | null, bars: Bar[]): PriceSeries {
  const old = existing?.time.length ?? 0;
  const n = old + bars.length;
  const column = (name: keyof Bar, previous: Float64Array | undefined) => {
    const out = new Float64Array(n);
    if (previous) out.set(previous);
    for (let i = 0; i < bars.length; i++) out[old + i] = bars[i][name];
    return out;
  };
  return {
    time: column('time', existing?.time),
    open: column('open', existing?.open),
    high: column('high', existing?.high),
    low: column('low', existing?.low),
    close: column('close', existing?.close),
    volume: column('volume', existing?.volume),
    hasOhlc: true,
  };
}
