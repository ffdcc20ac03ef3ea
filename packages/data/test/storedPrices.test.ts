import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDataRef } from '@overfit/core';
import { memoryStore, storeWith } from '@overfit/testing/stores';
import { cachedPriceLoader, describeDataRef, loadPrices, readPriceCsv } from '../src';

const CSV =
  'timestamp,open,high,low,close,volume\n' +
  Array.from(
    { length: 48 },
    (_, i) => `${new Date(Date.UTC(2024, 0, 1, i)).toISOString()},${100 + i},${101 + i},${99 + i},${100.5 + i},1`,
  ).join('\n') +
  '\n';

/** What the stages hand the loader: a store named like a bucket, holding the objects given. */
const bucket = (objects: Record<string, string>) => memoryStore(objects, 's3://bucket/lab');

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'overfit-stored-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('prices from the artifact store', () => {
  it('reads the same bars and hash as the file, and names the object as the source', async () => {
    const path = join(folder, 'p.csv');
    await writeFile(path, CSV);
    const fromFile = await readPriceCsv(path);
    const fromStore = await loadPrices(
      parseDataRef({ kind: 'store', key: 'data/p.csv' }),
      await bucket({ 'data/p.csv': CSV }),
    );
    expect(fromStore.series).toEqual(fromFile.series);
    expect(fromStore.source).toEqual({ ...fromFile.source, path: 's3://bucket/lab/data/p.csv' });
  });

  it('applies the reference options (resampling to 4 hours)', async () => {
    const loaded = await loadPrices(
      { kind: 'store', key: 'data/p.csv', resampleSeconds: 4 * 3600 },
      await bucket({ 'data/p.csv': CSV }),
    );
    expect(loaded.series.close.length).toBe(12);
    expect(loaded.series.close[0]).toBe(103.5);
  });

  it('locates a bad row in the object, not in a temp copy', async () => {
    const broken = CSV.replace(',103.5,', ',-1,');
    await expect(
      loadPrices({ kind: 'store', key: 'data/bad.csv' }, await bucket({ 'data/bad.csv': broken })),
    ).rejects.toThrow(/^s3:\/\/bucket\/lab\/data\/bad\.csv:5:5: /);
  });

  it('says when the object is missing, or when there is no store to read it from', async () => {
    await expect(loadPrices({ kind: 'store', key: 'data/none.csv' }, await bucket({}))).rejects.toThrow(
      's3://bucket/lab/data/none.csv: no such object in the store',
    );
    await expect(loadPrices({ kind: 'store', key: 'data/p.csv' })).rejects.toThrow(
      'data.key: names a key in the artifact store',
    );
  });

  it('parses and describes store references, refusing keys that are not plain paths', () => {
    expect(parseDataRef({ kind: 'store', key: 'data/btc.csv', lenient: true })).toEqual({
      kind: 'store',
      key: 'data/btc.csv',
      lenient: true,
    });
    expect(describeDataRef({ kind: 'store', key: 'data/btc.csv' })).toBe('store:data/btc.csv');
    for (const key of ['../x.csv', '/abs.csv', 'a//b.csv', '', 3]) {
      expect(() => parseDataRef({ kind: 'store', key }, 'event.data')).toThrow(
        /^event\.data\.key: must be a key in the store/,
      );
    }
  });

  it('downloads once per process through the cached loader', async () => {
    const store = await bucket({ 'data/p.csv': CSV });
    let gets = 0;
    const counted = storeWith(store, {
      get: (key) => {
        gets++;
        return store.get(key);
      },
    });
    const load = cachedPriceLoader(counted);
    await Promise.all([load({ kind: 'store', key: 'data/p.csv' }), load({ kind: 'store', key: 'data/p.csv' })]);
    expect(gets).toBe(1);
  });
});
