// bin/overfit.cjs loads the bundle with V8's code cache: on a copy of the bin and the bundle, what it writes, that
// it reads it back, one per set of V8 flags, that a cache it cannot use (garbage, another bundle) never changes what
// the command does, and what it says without a bundle.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { cliTempRoot } from './spawnCli';

const APP = resolve(__dirname, '..');
let root: string;
let bundle: string;
const overfit = (...args: string[]) => overfitWith([], ...args);
const overfitWith = (nodeFlags: string[], ...args: string[]) =>
  execFileSync(process.execPath, [...nodeFlags, join(root, 'apps/cli/bin/overfit.cjs'), ...args], { encoding: 'utf8' });
const caches = () => readdirSync(join(root, 'apps/cli/dist')).filter((name) => name.includes('.v8-cache'));
/** The cache's name for the bundle's current text under this Node and these flags: the launcher's rule, restated. */
const expectedCache = (execArgv: string[] = []) => {
  const flags = `${execArgv.join(' ')}\n${process.env.NODE_OPTIONS ?? ''}`;
  const hash = createHash('sha256').update(`${process.version}\n${flags}\n`).update(readFileSync(bundle, 'utf8'));
  return `overfit.cjs.${hash.digest('hex').slice(0, 16)}.v8-cache`;
};

beforeAll(async () => {
  root = await cliTempRoot('overfit-code-cache-');
  mkdirSync(join(root, 'apps/cli/bin'), { recursive: true });
  mkdirSync(join(root, 'apps/cli/dist'));
  copyFileSync(join(APP, 'bin/overfit.cjs'), join(root, 'apps/cli/bin/overfit.cjs'));
  bundle = join(root, 'apps/cli/dist/overfit.cjs');
  copyFileSync(join(APP, 'dist/overfit.cjs'), bundle);
  // The bundle's runtime requires (the canvas addon) resolve from the repository's node_modules, as they do in place.
  symlinkSync(resolve(APP, '../../node_modules'), join(root, 'node_modules'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

test('the first run writes a cache named by the bundle and Node; the next reads it without rewriting it', () => {
  const version = overfit('--version');
  expect(version).toMatch(/^overfit \d+\.\d+\.\d+/);
  expect(caches()).toEqual([expectedCache()]);
  const written = statSync(join(root, 'apps/cli/dist', expectedCache()));
  expect(written.size).toBeGreaterThan(100_000);
  expect(overfit('--version')).toBe(version);
  // V8 accepted it: the launcher rewrites a cache only when V8 refuses it.
  expect(statSync(join(root, 'apps/cli/dist', expectedCache())).mtimeMs).toBe(written.mtimeMs);
});

test('a cache V8 refuses is replaced, and the command does what it did', () => {
  const help = overfit('--help');
  writeFileSync(join(root, 'apps/cli/dist', expectedCache()), 'not a V8 code cache');
  expect(overfit('--help')).toBe(help);
  expect(readFileSync(join(root, 'apps/cli/dist', expectedCache())).length).toBeGreaterThan(100_000);
});

test('other V8 flags get a cache of their own: V8 would refuse the first one under them, and both stay', () => {
  overfit('--version');
  const plain = statSync(join(root, 'apps/cli/dist', expectedCache()));
  const flagged = ['--stack-size=2000'];
  expect(overfitWith(flagged, '--version')).toBe(overfit('--version'));
  expect(overfitWith(flagged, '--version')).toMatch(/^overfit /);
  expect(caches().sort()).toEqual([expectedCache(), expectedCache(flagged)].sort());
  expect(statSync(join(root, 'apps/cli/dist', expectedCache())).mtimeMs).toBe(plain.mtimeMs);
});

test('a rebuilt bundle gets a cache of its own; the old one is never read for it', () => {
  const before = caches();
  writeFileSync(bundle, `${readFileSync(bundle, 'utf8')}\n// rebuilt\n`);
  expect(overfit('--version')).toMatch(/^overfit /);
  expect(caches().sort()).toEqual([...before, expectedCache()].sort());
});

test('without the bundle: one line saying how to build it, exit 1', () => {
  renameSync(bundle, `${bundle}.away`);
  try {
    const result = spawnSync(process.execPath, [join(root, 'apps/cli/bin/overfit.cjs'), '--help'], {
      encoding: 'utf8',
    });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 1,
      stdout: '',
      stderr: `overfit: cannot read ${bundle} (ENOENT): build it with \`node tools/build-cli.mjs\`\n`,
    });
  } finally {
    renameSync(`${bundle}.away`, bundle);
  }
});
