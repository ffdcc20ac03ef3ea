// Write prices as the generic layout, atomically (temp file + rename): a reader never sees half a file.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import type { PriceSeries } from '@overfit/core';
import { formatTimestamp } from './timestamps';

export function formatPriceCsv(series: PriceSeries): string {
  const rows: (string | number)[][] = [['timestamp', 'open', 'high', 'low', 'close', 'volume']];
  const { time, open, high, low, close, volume } = series;
  // String(x) is the shortest decimal that reads back to the same double: the round trip is exact.
  for (let i = 0; i < time.length; i++) rows.push([formatTimestamp(time[i]), String(open[i]), String(high[i]), String(low[i]), String(close[i]), String(volume[i])]);
  return stringify(rows);
}

export async function writePriceCsv(series: PriceSeries, path: string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, formatPriceCsv(series));
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (c) => hash.update(c)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}
