// The data sets a visitor may start a run on. The browser sends an id from this list, never a path: a request
// can only choose among what the operator offered.
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_SYNTHETIC, type DataRef } from '@overfit/core';

export interface Dataset {
  id: string;
  label: string;
  ref: DataRef;
}

export const QUICK_SYNTHETIC: DataRef = { kind: 'synthetic', bars: 3_000, seed: 7, intervalSeconds: 3600 };

const SYNTHETIC_DATASETS: Dataset[] = [
  { id: 'synthetic-2y-hourly', label: 'Synthetic market: 2 years of hourly bars (the demo’s; no strategy has an edge)', ref: DEFAULT_SYNTHETIC },
  { id: 'synthetic-quick', label: 'Synthetic market: 3,000 hourly bars (quick)', ref: QUICK_SYNTHETIC },
];

const CSV_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,58}$/;

/** The synthetic markets, then every *.csv directly in dataDir (when given), as `file:<name>`. */
export async function datasetCatalog(dataDir: string | undefined): Promise<Dataset[]> {
  const datasets = [...SYNTHETIC_DATASETS];
  if (dataDir === undefined) return datasets;
  const folder = resolve(dataDir);
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.csv') && CSV_ID.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const name of names) datasets.push({ id: `file:${name}`, label: `${name} (${folder})`, ref: { kind: 'file', path: join(folder, name) } });
  return datasets;
}
