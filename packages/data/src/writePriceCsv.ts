// Write prices as the generic layout, atomically (temp file + rename): a reader never sees half a file.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { isInputError, type PriceSeries } from '@overfit/core';
import { readPriceCsv, type LoadedPrices } from './readPriceCsv';
import { formatTimestamp } from './timestamps';

export function formatPriceCsv(series: PriceSeries): string {
  const { time, open, high, low, close, volume } = series;
  const lines = ['timestamp,open,high,low,close,volume'];
  // Numbers and ISO times never need CSV quoting. String(x) is the shortest decimal that reads back to the same
  // double: the round trip is exact.
  for (let i = 0; i < time.length; i++)
    lines.push(`${formatTimestamp(time[i])},${open[i]},${high[i]},${low[i]},${close[i]},${volume[i]}`);
  lines.push('');
  return lines.join('\n');
}

/**
 * Write atomically and check what was written: the temp file is read back with the same reader as any input
 * (a full disk or a cut write fails here) and must hold every bar, before the rename makes it visible.
 * Returns the written file as loaded, with its data report.
 */
export async function writePriceCsv(series: PriceSeries, path: string): Promise<LoadedPrices> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, formatPriceCsv(series));
    const written = await readPriceCsv(temp);
    const n = series.time.length;
    if (
      written.source.rows !== n ||
      written.series.time[n - 1] !== series.time[n - 1] ||
      written.series.close[n - 1] !== series.close[n - 1]
    ) {
      throw new Error(`${path}: the written file reads back as ${written.source.rows} bars, not ${n}`);
    }
    await rename(temp, path);
    return { ...written, source: { ...written.source, path } };
  } catch (error) {
    await rm(temp, { force: true });
    // The temp file is gone: a problem found reading it back is named as the file being written.
    if (isInputError(error) && error.where?.startsWith(temp))
      throw error.relocated((where) => (where.startsWith(temp) ? path + where.slice(temp.length) : where));
    throw error;
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
