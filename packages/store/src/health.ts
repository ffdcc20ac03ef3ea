// Can the store take a run's writes now? `/readyz` asks before the load balancer sends work: a folder on a full or
// read-only disk, or a bucket these credentials may only read, is not ready even though it can be read.
import { statfs } from 'node:fs/promises';
import { StoreWriteError, storeErrorReason, type ArtifactStore } from './artifactStore';
import { LocalStore } from './localStore';

/** The key the write probe overwrites each time (a few bytes; list() and the dashboard never show it). */
export const WRITE_PROBE_KEY = '.write-probe';
/** Below this much free space on a folder store's disk a run would fail part way: not ready. */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

/** Resolves when a write lands in the store; otherwise throws a StoreWriteError saying why, in words. */
export async function probeWritable(store: ArtifactStore, minFreeBytes = MIN_FREE_BYTES): Promise<void> {
  if (store instanceof LocalStore) {
    let free: number | null = null;
    try {
      const fs = await statfs(store.location);
      free = fs.bavail * fs.bsize;
    } catch {
      // A store folder that does not exist yet: the write below creates it, or says why not.
    }
    if (free !== null && free < minFreeBytes) {
      const error = Object.assign(new Error(`only ${Math.floor(free / 1024 / 1024)} MB free`), { code: 'ENOSPC' });
      throw new StoreWriteError(
        WRITE_PROBE_KEY,
        store.location,
        `${storeErrorReason('ENOSPC')}: ${error.message}, a run needs at least ${minFreeBytes / 1024 / 1024} MB`,
        error,
      );
    }
  }
  try {
    await store.put(WRITE_PROBE_KEY, new Date().toISOString(), 'text/plain');
  } catch (error) {
    if (error instanceof StoreWriteError) throw error;
    const reason =
      storeErrorReason((error as NodeJS.ErrnoException).code) ??
      (error instanceof Error ? error.message : String(error));
    throw new StoreWriteError(WRITE_PROBE_KEY, store.location, reason, error);
  }
}
