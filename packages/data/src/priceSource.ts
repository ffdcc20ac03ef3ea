// Resolve a run's DataRef to prices: a CSV file on disk (read with the reference's layout and leniency, then
// resampled when asked), or the seeded synthetic market. Stages call this instead of reading files themselves,
// so a run names its data once and every stage sees the same bars.
import { createHash } from 'node:crypto';
import { InputError, type DataRef, type PriceSeries } from '@overfit/core';
import { inspectPrices } from './inspect';
import { readPriceCsv, type LoadedPrices } from './readPriceCsv';
import { resamplePrices } from './resample';
import { readStoredPriceCsv, type ObjectReader } from './storedPrices';
import { syntheticMarket } from './synthetic';
import { formatInterval } from './timestamps';

/** `store` is where a `{ kind: 'store' }` reference is read from (the run's artifact store). */
export async function loadPrices(ref: DataRef, store?: ObjectReader): Promise<LoadedPrices> {
  if (ref.kind === 'file' || ref.kind === 'store') {
    const options = { lenient: ref.lenient, format: ref.format };
    let loaded: LoadedPrices;
    if (ref.kind === 'file') loaded = await readPriceCsv(ref.path, options);
    else if (store) loaded = await readStoredPriceCsv(store, ref.key, options);
    else throw new InputError('names a key in the artifact store, but no store was given to read it from', 'data.key');
    if (ref.resampleSeconds === undefined) return loaded;
    // The source keeps the file's hash and row count; the series and its report are the resampled bars.
    const series = resamplePrices(loaded.series, ref.resampleSeconds, `${loaded.source.path} resampled`);
    return { ...loaded, series, report: inspectPrices(series, loaded.report.dropped) };
  }
  const series = syntheticMarket({ bars: ref.bars, seed: ref.seed, intervalMs: ref.intervalSeconds * 1000 });
  return {
    series,
    source: { path: describeDataRef(ref), sha256: hashSeries(series), rows: ref.bars, layout: 'generic' },
    report: inspectPrices(series),
  };
}

export function describeDataRef(ref: DataRef): string {
  if (ref.kind === 'synthetic')
    return `synthetic GBM market (${ref.bars.toLocaleString('en-US')} bars of ${formatInterval(ref.intervalSeconds)}, seed ${ref.seed})`;
  const name = ref.kind === 'file' ? ref.path : `store:${ref.key}`;
  const options = [
    ref.format && `format ${ref.format}`,
    ref.lenient && 'lenient',
    ref.resampleSeconds && `resampled to ${formatInterval(ref.resampleSeconds)}`,
  ].filter(Boolean);
  return options.length ? `${name} (${options.join(', ')})` : name;
}

/** A content hash for data that has no file: the bytes of its time and close columns. */
function hashSeries(series: PriceSeries): string {
  return createHash('sha256')
    .update(new Uint8Array(series.time.buffer, series.time.byteOffset, series.time.byteLength))
    .update(new Uint8Array(series.close.buffer, series.close.byteOffset, series.close.byteLength))
    .digest('hex');
}

/**
 * A memoising loader for one process: the local orchestrator shares one parse across all five stages, and a warm
 * Lambda reuses it across invocations. `store` serves `{ kind: 'store' }` references.
 */
export function cachedPriceLoader(store?: ObjectReader): (ref: DataRef) => Promise<LoadedPrices> {
  const cache = new Map<string, Promise<LoadedPrices>>();
  return (ref) => {
    const key = JSON.stringify(ref);
    let loaded = cache.get(key);
    if (!loaded) {
      loaded = loadPrices(ref, store);
      cache.set(key, loaded);
      loaded.catch(() => cache.delete(key));
    }
    return loaded;
  };
}
