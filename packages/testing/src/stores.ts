// Stores for tests: a folder store in a fresh temp folder, a memory store holding given objects, and a store that
// answers like another one except for the calls a test replaces (a write that fails, reads that are counted, keys S3
// could hold but a folder cannot).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStore, MemoryStore, type ArtifactStore } from '@overfit/store';

export interface TempStore {
  /** The temp folder the store writes in. */
  dir: string;
  store: LocalStore;
  /** Delete the folder and everything in it. */
  dispose(): Promise<void>;
}

/** A LocalStore in a new folder under the OS temp folder, named `<prefix>XXXXXX`. */
export async function tempStore(prefix: string): Promise<TempStore> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, store: new LocalStore(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** A MemoryStore holding `objects` (key → text or bytes), named `location` in messages (default "memory"). */
export async function memoryStore(
  objects: Record<string, string | Uint8Array> = {},
  location?: string,
): Promise<MemoryStore> {
  const store = new MemoryStore(location);
  for (const [key, body] of Object.entries(objects)) await store.put(key, body);
  return store;
}

/**
 * A store that passes location, put, get, exists and list to `inner`, except what `overrides` replaces. The optional
 * calls (listFolders, delete) are there only when `overrides` gives them: a store without them is read the slower
 * way, and some tests check exactly that.
 */
export function storeWith(inner: ArtifactStore, overrides: Partial<ArtifactStore>): ArtifactStore {
  return {
    location: inner.location,
    put: (key, body, contentType) => inner.put(key, body, contentType),
    get: (key) => inner.get(key),
    exists: (key) => inner.exists(key),
    list: (prefix) => inner.list(prefix),
    ...overrides,
  };
}
