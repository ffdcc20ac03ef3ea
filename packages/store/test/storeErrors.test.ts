// Store errors in the user's words: the file system's answers are forced here (as root, chmod cannot make a
// folder unwritable, and a test cannot fill a disk or mount one read-only).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Store from '../src';

const failures: { mkdir?: string; writeFile?: string; access?: string } = {};
const errno = (code: string, syscall: string, path: string) =>
  Object.assign(new Error(`${code}: failed, ${syscall} '${path}'`), { code, syscall, path });
jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual('node:fs/promises');
  return {
    ...actual,
    mkdir: (path: string, options: unknown) =>
      failures.mkdir ? Promise.reject(errno(failures.mkdir, 'mkdir', path)) : actual.mkdir(path, options),
    writeFile: (path: string, data: unknown) =>
      failures.writeFile ? Promise.reject(errno(failures.writeFile, 'write', path)) : actual.writeFile(path, data),
    access: (path: string, mode: number) =>
      failures.access && mode !== 0
        ? Promise.reject(errno(failures.access, 'access', path))
        : actual.access(path, mode),
  };
});

// Loaded after the mock, so the store's own imports get it (jest's transform does not hoist jest.mock above imports).
const { commitRun, LocalStore, probeWritable, readLatestRunId, recordFailedRun, StoreWriteError } =
  require('../src') as typeof Store;
const { testManifest } = require('./manifests') as typeof import('./manifests');
type RunManifest = Store.RunManifest;
type StoreWriteError = Store.StoreWriteError;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'overfit-errors-'));
  for (const key of Object.keys(failures)) delete failures[key as keyof typeof failures];
});
afterEach(() => rm(root, { recursive: true, force: true }));

const failed = (runId: string): RunManifest => ({
  runId,
  status: 'failed',
  createdAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  config: {},
  data: null,
  codeVersion: 'test',
  timings: {},
  artifacts: [],
  error: { stage: 'backtest', message: 'the backtest broke' },
});

test('a read-only store says so, not "ENOENT mkdir"; the system error is the cause', async () => {
  failures.mkdir = 'ENOENT';
  failures.access = 'EROFS';
  const error = await new LocalStore(join(root, 'store')).put('runs/a/manifest.json', '{}').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StoreWriteError);
  expect((error as Error).message).toBe(
    `cannot write runs/a/manifest.json in the store ${join(root, 'store')}: the store is on a read-only file system (EROFS)`,
  );
  expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  expect((error as StoreWriteError).code).toBe('EROFS');
});

test('a folder this user may not write, and a full disk, name the file', async () => {
  failures.mkdir = 'EACCES';
  await expect(new LocalStore(root).put('runs/a/x.json', '{}')).rejects.toThrow(
    `cannot write runs/a/x.json in the store ${root}: permission denied: this user may not write in the store's folder (EACCES)`,
  );
  delete failures.mkdir;
  failures.writeFile = 'ENOSPC';
  await expect(new LocalStore(root).put('runs/a/results/training_performance.csv', 'x')).rejects.toThrow(
    `cannot write runs/a/results/training_performance.csv in the store ${root}: the disk is full (ENOSPC: no space left on the device)`,
  );
});

test('a failed run whose manifest cannot be written keeps its own error first, as the cause', async () => {
  const store = new LocalStore(root);
  const original = new Error('the backtest broke');
  expect(await recordFailedRun(store, failed('r1'), original)).toBe(original);
  failures.writeFile = 'ENOSPC';
  const error = (await recordFailedRun(store, failed('r2'), original)) as Error & { writeError: Error };
  expect(error.cause).toBe(original);
  expect(error.message).toMatch(
    /^backtest: the backtest broke \(and run r2 could not be marked failed: cannot write runs\/r2\/manifest\.json in the store .*: the disk is full/,
  );
  expect(error.writeError).toBeInstanceOf(StoreWriteError);
});

test('commitRun of a failed run whose manifest cannot be written says the run’s failure first, then the write’s', async () => {
  failures.writeFile = 'ENOSPC';
  const error = (await commitRun(new LocalStore(root), failed('r3')).catch((e: unknown) => e)) as Error;
  expect(error.message).toMatch(
    /^backtest: the backtest broke \(and run r3 could not be marked failed: cannot write runs\/r3\/manifest\.json in the store .*: the disk is full/,
  );
  expect(error.cause).toBeInstanceOf(StoreWriteError);
  // A succeeded run's commit that fails is the write's error as it is.
  await expect(commitRun(new LocalStore(root), testManifest('r4', 'succeeded'))).rejects.toBeInstanceOf(
    StoreWriteError,
  );
});

test('the write probe says why a store cannot take a run', async () => {
  const store = new LocalStore(root);
  await expect(probeWritable(store)).resolves.toBeUndefined();
  await expect(probeWritable(store, Number.MAX_SAFE_INTEGER)).rejects.toThrow(
    /the disk is full .* MB free, a run needs at least/,
  );
  failures.writeFile = 'EROFS';
  await expect(probeWritable(store)).rejects.toThrow(
    `cannot write .write-probe in the store ${root}: the store is on a read-only file system (EROFS)`,
  );
});

test('latest.json that names no run is an error that says so, not a value passed on', async () => {
  const store = new LocalStore(root);
  await commitRun(store, testManifest('ok-run', 'succeeded'));
  expect(await readLatestRunId(store)).toBe('ok-run');
  for (const body of ['{"runId": 42}', '{"runId": "../../etc"}', '[]', 'null', '{']) {
    await store.put('latest.json', body);
    await expect(readLatestRunId(store)).rejects.toThrow(/latest\.json in .* (does not name a run|is not valid JSON)/);
  }
});
