import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArtifactNotFoundError,
  commitRun,
  getJson,
  LATEST_KEY,
  LocalStore,
  newRunId,
  readLatestRunId,
  histogramKey,
  runKeys,
  type RunManifest,
} from '../src';
import { testManifest } from './manifests';

let root: string;
let store: LocalStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'overfit-store-'));
  store = new LocalStore(root);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const manifest = (runId: string, status: RunManifest['status']): RunManifest => testManifest(runId, status);

describe('LocalStore', () => {
  it('round-trips bytes and text under nested keys, leaving no temp files', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    await store.put('runs/a/plots/x.png', png);
    await store.put('runs/a/results/r.json', '{"ok":true}');
    expect(await store.get('runs/a/plots/x.png')).toEqual(png);
    expect(await getJson(store, 'runs/a/results/r.json')).toEqual({ ok: true });
    expect(await readdir(join(root, 'runs/a/plots'))).toEqual(['x.png']);
  });

  it('overwrites a key whole', async () => {
    await store.put('k.txt', 'a much longer first version');
    await store.put('k.txt', 'short');
    expect(await readFile(join(root, 'k.txt'), 'utf8')).toBe('short');
  });

  it('lists keys under a prefix, sorted, and nothing outside it', async () => {
    for (const key of ['runs/b/2.json', 'runs/a/1.json', 'runs/b/1.json', 'runs/bb/1.json', 'latest.json'])
      await store.put(key, 'x');
    expect(await store.list('runs/b/')).toEqual(['runs/b/1.json', 'runs/b/2.json']);
    expect(await store.list('runs/b')).toEqual(['runs/b/1.json', 'runs/b/2.json', 'runs/bb/1.json']);
    expect(await store.list('runs/zzz/')).toEqual([]);
    expect(await store.list('')).toHaveLength(5);
  });

  it('says which key is missing', async () => {
    await expect(store.get('runs/none/manifest.json')).rejects.toBeInstanceOf(ArtifactNotFoundError);
    await expect(store.get('runs/none/manifest.json')).rejects.toThrow('no artifact "runs/none/manifest.json"');
    expect(await store.exists('runs/none/manifest.json')).toBe(false);
  });

  it.each(['../escape.json', 'runs/../../x', '/etc/passwd', 'runs//x', 'a\\b', ''])(
    'refuses the key %j',
    async (key) => {
      await expect(store.put(key, 'x')).rejects.toThrow('invalid artifact key');
      await expect(store.get(key)).rejects.toThrow('invalid artifact key');
    },
  );
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
