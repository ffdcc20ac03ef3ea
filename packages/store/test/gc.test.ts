import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyGc, commitRun, LocalStore, planGc, removeStaleTempFiles, type RunManifest } from '../src';
import { testManifest } from './manifests';

let root: string;
let store: LocalStore;
const DAY = 24 * 3600 * 1000;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'overfit-gc-'));
  store = new LocalStore(root);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const manifest = (runId: string, status: RunManifest['status']): RunManifest => testManifest(runId, status);

/** Every file and folder under the store, as keys. */
async function tree(): Promise<string[]> {
  return (await readdir(root, { recursive: true })).map((p) => p.split('\\').join('/')).sort();
}

async function age(relativePath: string, ms: number): Promise<void> {
  const when = new Date(Date.now() - ms);
  await utimes(join(root, ...relativePath.split('/')), when, when);
}

test('finds orphan run folders, old temp files and a failed run’s intermediates; a dry run removes nothing', async () => {
  await store.put('runs/good/results/r.json', '{}');
  await commitRun(store, manifest('good', 'succeeded'));
  await store.put('runs/bad/results/training_performance.csv', 'a,b\n1,2\n');
  await store.put('runs/bad/shards/0000/block_moments.bin', 'xxxx');
  await commitRun(store, manifest('bad', 'failed'));
  await store.put('runs/orphan/strategies/strategies.json', '{}');
  await writeFile(join(root, 'runs/orphan/strategies/strategies.json.0123456789ab.tmp'), 'half');
  await store.put('runs/fresh/strategies/strategies.json', '{}');
  await store.put('runs/active/strategies/strategies.json', '{}');
  await writeFile(join(root, 'runs/good/results/r.json.aaaaaaaaaaaa.tmp'), 'half a write');
  await writeFile(join(root, 'latest.json.bbbbbbbbbbbb.tmp'), 'new');
  for (const path of [
    'runs/orphan/strategies/strategies.json',
    'runs/orphan/strategies/strategies.json.0123456789ab.tmp',
    'runs/orphan/strategies',
    'runs/orphan',
    'runs/active/strategies/strategies.json',
    'runs/active/strategies',
    'runs/active',
    'runs/good/results/r.json.aaaaaaaaaaaa.tmp',
  ])
    await age(path, 2 * DAY);

  const before = await tree();
  const plan = await planGc(store, { activeRunIds: ['active'] });
  expect(plan.items.map((i) => [i.kind, i.key, i.files])).toEqual([
    ['failed-run-files', 'runs/bad/', 2],
    ['orphan-run', 'runs/orphan/', 2],
    ['temp-file', 'runs/good/results/r.json.aaaaaaaaaaaa.tmp', 1],
  ]);
  expect(plan.items[0].keys).toEqual([
    'runs/bad/results/training_performance.csv',
    'runs/bad/shards/0000/block_moments.bin',
  ]);
  expect(await tree()).toEqual(before);

  await applyGc(store, plan);
  const after = await tree();
  expect(after).toContain('runs/bad/manifest.json');
  expect(after.filter((p) => p.startsWith('runs/bad/'))).toEqual(['runs/bad/manifest.json']);
  expect(after.some((p) => p.startsWith('runs/orphan'))).toBe(false);
  expect(after).toEqual(
    expect.arrayContaining([
      'runs/fresh/strategies/strategies.json',
      'runs/active/strategies/strategies.json',
      'runs/good/results/r.json',
      'latest.json.bbbbbbbbbbbb.tmp',
    ]),
  );
  expect(after.some((p) => p.endsWith('aaaaaaaaaaaa.tmp'))).toBe(false);
  expect((await planGc(store, { activeRunIds: ['active'] })).items).toEqual([]);
});

test('an orphan that gained its manifest after the plan is left alone', async () => {
  await store.put('runs/late/strategies/strategies.json', '{}');
  const plan = await planGc(store, { minAgeMs: 0 });
  expect(plan.items.map((i) => i.key)).toEqual(['runs/late/']);
  await commitRun(store, manifest('late', 'succeeded'));
  await applyGc(store, plan);
  expect(await store.exists('runs/late/strategies/strategies.json')).toBe(true);
});

test('a file time a little ahead of the clock counts as new: minAgeMs 0 still collects it', async () => {
  await store.put('runs/ahead/strategies/strategies.json', '{}');
  await writeFile(join(root, 'data.csv.eeeeeeeeeeee.tmp'), 'x');
  const now = Date.now() - 1_000; // the files' times are ahead of `now`, as the file clock can be by a few ms
  const plan = await planGc(store, { minAgeMs: 0, now });
  expect(plan.items.map((i) => [i.kind, i.key, i.ageMs])).toEqual([
    ['orphan-run', 'runs/ahead/', 0],
    ['temp-file', 'data.csv.eeeeeeeeeeee.tmp', 0],
  ]);
  expect((await planGc(store, { minAgeMs: 1, now })).items).toEqual([]);
});

test('removeStaleTempFiles clears only temp files older than the age given', async () => {
  await store.put('data/x.csv', 'a');
  await writeFile(join(root, 'data/x.csv.cccccccccccc.tmp'), 'old');
  await writeFile(join(root, 'data/y.csv.dddddddddddd.tmp'), 'new');
  await age('data/x.csv.cccccccccccc.tmp', 3600_000);
  expect(await removeStaleTempFiles(store, 60_000)).toEqual(['data/x.csv.cccccccccccc.tmp']);
  expect(await readdir(join(root, 'data'))).toEqual(['x.csv', 'y.csv.dddddddddddd.tmp']);
});

test('an empty or missing store has nothing to collect', async () => {
  expect((await planGc(new LocalStore(join(root, 'missing')))).items).toEqual([]);
  expect((await planGc(store)).items).toEqual([]);
});
