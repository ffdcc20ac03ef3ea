// What every ArtifactStore promises, whatever holds the bytes: one suite run against the folder store, the memory
// store and the bucket store (on s3rver), so the three cannot drift apart. What only one of them does (temp files
// on disk, content types and prefixes in a bucket) stays in that store's own tests.
import { ArtifactNotFoundError, getJson, type ArtifactStore } from '../src';

/** The optional operations a store has: each is tested where it is there, and must be absent where it is not. */
interface Optional {
  delete: boolean;
  listFolders: boolean;
}

/** `fresh()` gives an empty store for each test. */
export function describeStoreContract(
  name: string,
  fresh: () => ArtifactStore | Promise<ArtifactStore>,
  optional: Optional,
): void {
  describe(`${name}: the ArtifactStore contract`, () => {
    let store: ArtifactStore;
    beforeEach(async () => {
      store = await fresh();
    });

    it('round-trips bytes, text and streamed chunks under nested keys', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
      await store.put('runs/a/plots/x.png', png);
      await store.put('runs/a/results/r.json', '{"ok":true}');
      async function* chunks() {
        yield Buffer.from('a,b\n');
        yield Buffer.from('1,2\n');
      }
      await store.put('runs/a/t.csv', chunks());
      expect(await store.get('runs/a/plots/x.png')).toEqual(png);
      expect(await getJson(store, 'runs/a/results/r.json')).toEqual({ ok: true });
      expect((await store.get('runs/a/t.csv')).toString()).toBe('a,b\n1,2\n');
      expect(await store.exists('runs/a/t.csv')).toBe(true);
    });

    it('overwrites a key whole', async () => {
      await store.put('k.txt', 'a much longer first version');
      await store.put('k.txt', 'short');
      expect((await store.get('k.txt')).toString()).toBe('short');
    });

    it('lists keys under a prefix, sorted, and nothing outside it', async () => {
      for (const key of ['runs/b/2.json', 'runs/a/1.json', 'runs/b/1.json', 'runs/bb/1.json', 'latest.json'])
        await store.put(key, 'x');
      expect(await store.list('runs/b/')).toEqual(['runs/b/1.json', 'runs/b/2.json']);
      expect(await store.list('runs/b')).toEqual(['runs/b/1.json', 'runs/b/2.json', 'runs/bb/1.json']);
      expect(await store.list('runs/zzz/')).toEqual([]);
      expect(await store.list('')).toHaveLength(5);
    });

    it('says which key is missing, and where', async () => {
      await expect(store.get('runs/none/manifest.json')).rejects.toBeInstanceOf(ArtifactNotFoundError);
      await expect(store.get('runs/none/manifest.json')).rejects.toThrow(
        `no artifact "runs/none/manifest.json" in ${store.location}`,
      );
      expect(await store.exists('runs/none/manifest.json')).toBe(false);
    });

    it.each(['../escape.json', 'runs/../../x', '/etc/passwd', 'runs//x', 'a\\b', ''])(
      'refuses the key %j',
      async (key) => {
        await expect(store.put(key, 'x')).rejects.toThrow('invalid artifact key');
        await expect(store.get(key)).rejects.toThrow('invalid artifact key');
      },
    );

    it(`${optional.delete ? 'has' : 'has no'} delete and ${optional.listFolders ? 'has' : 'has no'} listFolders`, () => {
      expect(typeof store.delete).toBe(optional.delete ? 'function' : 'undefined');
      expect(typeof store.listFolders).toBe(optional.listFolders ? 'function' : 'undefined');
    });

    if (optional.delete)
      it('deletes keys, missing ones included', async () => {
        await Promise.all(['a/1', 'a/2', 'b/1'].map((key) => store.put(key, 'x')));
        await store.delete?.(['a/1', 'a/2', 'a/never-written']);
        expect(await store.list('')).toEqual(['b/1']);
      });

    if (optional.listFolders)
      it('names the folders directly under a prefix, sorted', async () => {
        const listFolders = (prefix: string) => store.listFolders?.(prefix);
        for (const key of ['runs/r2/manifest.json', 'runs/r1/plots/x.png', 'runs/r1/manifest.json', 'data/p.csv'])
          await store.put(key, 'x');
        expect(await listFolders('runs/')).toEqual(['r1', 'r2']);
        expect(await listFolders('runs/r1/')).toEqual(['plots']);
        expect(await listFolders('none/')).toEqual([]);
        await expect(listFolders('runs')).rejects.toThrow('listFolders needs a prefix ending in "/"');
      });
  });
}
