// Symbolic links in a folder store: a store that refuses them (what the dashboard reads through) serves only
// regular files whose real path is inside the store; the default store reads through them as before.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactNotFoundError, LocalStore } from '../src';

let root: string;
let outside: string;
let store: LocalStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'overfit-links-'));
  outside = await mkdtemp(join(tmpdir(), 'overfit-outside-'));
  store = new LocalStore(root, { links: 'refuse' });
  await new LocalStore(root).put('runs/good/plots/real.png', 'a real figure');
  await new LocalStore(root).put('runs/good/manifest.json', '{}');
  await writeFile(join(outside, 'passwd'), 'root:x:0:0');
  await mkdir(join(outside, 'run', 'results'), { recursive: true });
  await writeFile(join(outside, 'run', 'manifest.json'), '{"secret":true}');
  await writeFile(join(outside, 'run', 'results', 'x.json'), '{"secret":true}');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

test('a linked file, a linked folder and a linked run folder do not exist for a store that refuses links', async () => {
  await symlink(join(outside, 'passwd'), join(root, 'runs/good/plots/passwd.png'));
  await symlink(join(outside, 'run', 'results'), join(root, 'runs/good/results'));
  await symlink(join(outside, 'run'), join(root, 'runs/linked'));
  // A link to a file inside the store is refused too: the path must be the real one.
  await symlink(join(root, 'runs/good/plots/real.png'), join(root, 'runs/good/plots/alias.png'));
  for (const key of [
    'runs/good/plots/passwd.png',
    'runs/good/results/x.json',
    'runs/linked/manifest.json',
    'runs/linked/results/x.json',
    'runs/good/plots/alias.png',
  ]) {
    await expect(store.get(key)).rejects.toBeInstanceOf(ArtifactNotFoundError);
    expect([key, await store.exists(key)]).toEqual([key, false]);
  }
  expect(await store.list('runs/good/')).toEqual(['runs/good/manifest.json', 'runs/good/plots/real.png']);
  expect(await store.list('runs/linked/')).toEqual([]);
  expect(await store.list('runs/good/results/')).toEqual([]);
  expect(await store.listFolders('runs/')).toEqual(['good']);
  expect((await store.get('runs/good/plots/real.png')).toString()).toBe('a real figure');
  // The default store still reads through links (a data file linked into data/ keeps working).
  expect((await new LocalStore(root).get('runs/good/plots/passwd.png')).toString()).toBe('root:x:0:0');
});

test('a folder is not a file, and a store reached through a link of its own is fine', async () => {
  await expect(store.get('runs/good/plots')).rejects.toBeInstanceOf(ArtifactNotFoundError);
  const alias = join(outside, 'store-alias');
  await symlink(root, alias);
  const viaAlias = new LocalStore(alias, { links: 'refuse' });
  expect((await viaAlias.get('runs/good/plots/real.png')).toString()).toBe('a real figure');
  expect(await viaAlias.listFolders('runs/')).toEqual(['good']);
});

test('listFolders names the folders under a prefix, nothing inside them', async () => {
  await new LocalStore(root).put('runs/other/x.json', '{}');
  await new LocalStore(root).put('runs/loose.json', '{}');
  expect(await new LocalStore(root).listFolders('runs/')).toEqual(['good', 'other']);
  expect(await new LocalStore(root).listFolders('nothing/')).toEqual([]);
});
