// `overfit store gc`: a dry run lists what crashes and failed runs left behind; --apply removes it.
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitRun, LocalStore, type RunManifest } from '@overfit/store';
import { dispatch } from '../src/commands';

/** `overfit store …args` in this process: its output (a user's mistake throws an InputError). */
const storeCommand = async (args: string[]) => (await dispatch(['store', ...args])).output;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'overfit-gc-cli-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const old = async (path: string) => {
  const when = new Date(Date.now() - 3 * 24 * 3600_000);
  await utimes(path, when, when);
};

test('dry run by default, then --apply removes orphans, old temp files and failed runs’ intermediates', async () => {
  const store = new LocalStore(root);
  await store.put('runs/20260101T000000Z-aaaaaa/strategies/strategies.json', '{}');
  for (const p of ['strategies/strategies.json', 'strategies', ''])
    await old(join(root, 'runs/20260101T000000Z-aaaaaa', p));
  await store.put('runs/20260102T000000Z-bbbbbb/results/training_performance.csv', 'a\n');
  const failed: RunManifest = {
    runId: '20260102T000000Z-bbbbbb',
    status: 'failed',
    createdAt: '2026-01-02T00:00:00.000Z',
    finishedAt: '2026-01-02T00:00:01.000Z',
    config: {},
    data: null,
    codeVersion: 'test',
    timings: {},
    artifacts: [],
    error: { stage: 'select', message: 'x' },
  };
  await commitRun(store, failed);
  await writeFile(join(root, 'latest.json.0123456789ab.tmp'), '{"runId"');
  await old(join(root, 'latest.json.0123456789ab.tmp'));

  const dry = await storeCommand(['gc', '--store', root]);
  expect(dry).toMatch(
    /3 items, 3 files, .* can be removed \(dry run: nothing was removed; add --apply to remove them\)/,
  );
  expect(dry).toContain(
    'orphan run folder   runs/20260101T000000Z-aaaaaa/  (no manifest, last written 3 days ago; 1 files',
  );
  expect(dry).toContain('failed run’s files  runs/20260102T000000Z-bbbbbb/  (1 intermediate files; manifest.json kept');
  expect(dry).toContain('temp file           latest.json.0123456789ab.tmp  (3 days old');
  expect((await readdir(join(root, 'runs'))).sort()).toEqual(['20260101T000000Z-aaaaaa', '20260102T000000Z-bbbbbb']);

  const applied = await storeCommand(['gc', '--store', root, '--apply']);
  expect(applied).toMatch(/^Removed from .*: 3 items/);
  expect(await readdir(join(root, 'runs'))).toEqual(['20260102T000000Z-bbbbbb']);
  expect(await readdir(join(root, 'runs/20260102T000000Z-bbbbbb'))).toEqual(['manifest.json']);
  expect(await readdir(root)).toEqual(['runs']);
  expect(await storeCommand(['gc', '--store', root])).toMatch(/^Nothing to collect in /);
});

test('young orphans are left alone unless --min-age-hours says otherwise; S3 and bad flags are refused', async () => {
  await new LocalStore(root).put('runs/20260101T000000Z-cccccc/strategies/strategies.json', '{}');
  expect(await storeCommand(['gc', '--store', root])).toMatch(/^Nothing to collect/);
  const json = JSON.parse(await storeCommand(['gc', '--store', root, '--min-age-hours', '0', '--json']));
  expect(json).toMatchObject({
    applied: false,
    minAgeHours: 0,
    items: [{ kind: 'orphan-run', key: 'runs/20260101T000000Z-cccccc/' }],
  });
  await expect(storeCommand(['gc', '--store', 's3://bucket/x'])).rejects.toThrow(/folder store/);
  await expect(storeCommand(['gc', '--store', root, '--min-age-hours', '-1'])).rejects.toThrow(/--min-age-hours/);
  await expect(storeCommand(['clean', '--store', root])).rejects.toThrow(/unknown store command "clean" \(known: gc\)/);
});
