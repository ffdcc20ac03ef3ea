// The data sets a visitor may start a run on. The browser sends an id from this list, never a path: a request
// can only choose among what the operator offered.
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_SYNTHETIC, type DataRef } from '@overfit/core';
import type { ArtifactStore } from '@overfit/store';

export interface Dataset {
  id: string;
  label: string;
  ref: DataRef;
}

const QUICK_SYNTHETIC: DataRef = { kind: 'synthetic', bars: 3_000, seed: 7, intervalSeconds: 3600 };

const SYNTHETIC_DATASETS: Dataset[] = [
  {
    id: 'synthetic-2y-hourly',
    label: 'Synthetic: 2 years, hourly (the demo’s)',
    ref: DEFAULT_SYNTHETIC,
  },
  { id: 'synthetic-quick', label: 'Synthetic: 3,000 hourly bars (quick)', ref: QUICK_SYNTHETIC },
];

const CSV_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,58}\.csv$/;
/** Where price histories live in the artifact store (the Lambdas read them there too). */
const STORE_DATA_PREFIX = 'data/';

/**
 * The synthetic markets; every CSV directly under data/ in the store, as `store:<name>` (what the Lambdas can
 * read); and, for runs in this process, every *.csv directly in dataDir, as `file:<name>`.
 */
export async function datasetCatalog(options: { store?: ArtifactStore; dataDir?: string } = {}): Promise<Dataset[]> {
  const datasets = [...SYNTHETIC_DATASETS];
  if (options.store) {
    for (const key of await options.store.list(STORE_DATA_PREFIX)) {
      const name = key.slice(STORE_DATA_PREFIX.length);
      if (CSV_NAME.test(name))
        datasets.push({ id: `store:${name}`, label: `${name} (artifact store)`, ref: { kind: 'store', key } });
    }
  }
  if (options.dataDir === undefined) return datasets;
  const folder = resolve(options.dataDir);
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && CSV_NAME.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  // The label names the file only: where the server keeps it is none of the visitor's business.
  for (const name of names)
    datasets.push({
      id: `file:${name}`,
      label: `${name} (data folder)`,
      ref: { kind: 'file', path: join(folder, name) },
    });
  return datasets;
}
