// A price CSV kept in the artifact store (`{ kind: 'store', key: 'data/btc_usd_1h.csv' }`): how a Lambda, which
// has no shared disk, reads the run's data. The object is copied to a private temp file and read by the same
// reader as any file, so layouts, leniency and located errors are identical; errors name the object, not the copy.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, isInputError, type CsvOptions } from '@overfit/core';
import { readPriceCsv, type LoadedPrices } from './readPriceCsv';

/** The part of an ArtifactStore this needs (@overfit/data does not depend on @overfit/store). */
export interface ObjectReader {
  readonly location: string;
  get(key: string): Promise<Uint8Array>;
}

export async function readStoredPriceCsv(
  store: ObjectReader,
  key: string,
  options: CsvOptions = {},
): Promise<LoadedPrices> {
  const name = `${store.location.replace(/\/+$/, '')}/${key}`;
  let bytes: Uint8Array;
  try {
    bytes = await store.get(key);
  } catch (error) {
    if ((error as Error).name === 'ArtifactNotFoundError')
      throw new InputError('no such object in the store (upload the CSV there first)', name, { cause: error });
    throw error;
  }
  const folder = await mkdtemp(join(tmpdir(), 'overfit-prices-'));
  const copy = join(folder, key.split('/').pop()!);
  try {
    await writeFile(copy, bytes);
    const loaded = await readPriceCsv(copy, { lenient: options.lenient, format: options.format });
    return { ...loaded, source: { ...loaded.source, path: name } };
  } catch (error) {
    if (isInputError(error) && error.where?.startsWith(copy))
      throw error.relocated((where) => (where.startsWith(copy) ? name + where.slice(copy.length) : where));
    throw error;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
