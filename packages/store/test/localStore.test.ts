import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  commitRun,
  getJson,
  LATEST_KEY,
  type LocalStore,
  newRunId,
  readLatestRunId,
  histogramKey,
  runKeys,
  type RunManifest,
} from '../src';
import { tempStore, type TempStore } from '@overfit/testing/stores';
import { testManifest } from './manifests';
import { describeStoreContract } from './storeContract';

let temp: TempStore;
let store: LocalStore;
beforeEach(async () => {
  temp = await tempStore('overfit-store-');
  store = temp.store;
});
afterEach(() => temp.dispose());

const manifest = (runId: string, status: RunManifest['status']): RunManifest => testManifest(runId, status);

describeStoreContract('LocalStore', () => store, { delete: true, listFolders: true });

describe('LocalStore', () => {
  it('writes each key as one file at its path, whole, leaving no temp files', async () => {
    await store.put('runs/a/plots/x.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]));
    await store.put('k.txt', 'a much longer first version');
    await store.put('k.txt', 'short');
    expect(await readdir(join(temp.dir, 'runs/a/plots'))).toEqual(['x.png']);
    expect(await readFile(join(temp.dir, 'k.txt'), 'utf8')).toBe('short');
  });
});

describe('run layout and commit', () => {
  it('makes sortable, valid, unique run ids', () => {
    const id = newRunId(new Date('2026-11-24T03:15:00.123Z'));
    expect(id).toMatch(/^20261124T031500Z-[0-9a-f]{6}$/);
    expect(runKeys(id).manifest).toBe(`runs/${id}/manifest.json`);
    expect(newRunId()).not.toBe(newRunId());
    expect(() => runKeys('../x')).toThrow('invalid run id');
  });

  it('names the histogram after the selection metric, win_rate_histogram.png for win rate as before', () => {
    expect(histogramKey('r1', 'sharpe')).toBe('runs/r1/plots/sharpe_histogram.png');
    expect(histogramKey('r1', 'win_rate')).toBe(runKeys('r1').winRateHistogram);
    expect(runKeys('r1').winRateHistogram).toBe('runs/r1/plots/win_rate_histogram.png');
    expect(() => histogramKey('../x', 'sharpe')).toThrow('invalid run id');
  });

  it('points latest.json at a run only after its manifest, and never at a failed run', async () => {
    await commitRun(store, manifest('good', 'succeeded'));
    expect(await readLatestRunId(store)).toBe('good');
    await commitRun(store, manifest('bad', 'failed'));
    expect(await readLatestRunId(store)).toBe('good');
    expect((await getJson<RunManifest>(store, runKeys('bad').manifest)).status).toBe('failed');
    expect(await getJson(store, LATEST_KEY)).toEqual({ runId: 'good' });
  });

  it('has no latest run in an empty store', async () => {
    expect(await readLatestRunId(store)).toBeNull();
  });
});
