// Write prices as the generic layout, atomically (temp file + rename): a reader never sees half a file.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { PriceSeries } from '@overfit/core';
import { formatTimestamp } from './timestamps';

export function formatPriceCsv(series: PriceSeries): string {
  const { time, open, high, low, close, volume } = series;
  const lines = ['timestamp,open,high,low,close,volume'];
  // Numbers and ISO times never need CSV quoting. String(x) is the shortest decimal that reads back to the same
  // double: the round trip is exact.
  for (let i = 0; i < time.length; i++) lines.push(`${formatTimestamp(time[i])},${open[i]},${high[i]},${low[i]},${close[i]},${volume[i]}`);
  lines.push('');
  return lines.join('\n');
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
