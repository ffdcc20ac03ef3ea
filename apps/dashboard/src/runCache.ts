// What the dashboard keeps in memory of committed runs (a run never changes once its manifest exists): manifests,
// run details, parsed strategy tables and the runs' files, in one least-recently-used cache bounded by entries and
// by bytes, so neither many small runs nor a few huge ones can grow the server without end.
import { LRUCache } from 'lru-cache';

interface RunCacheLimits {
  /** Entries in all (a manifest is one). */
  maxEntries: number;
  /** The sum of the entries' sizes, as their loaders estimate them. */
  maxBytes: number;
  /** A single entry above this is served but not kept. */
  maxEntryBytes: number;
}

const RUN_CACHE_LIMITS: RunCacheLimits = {
  maxEntries: 20_000,
  maxBytes: 256 * 1024 * 1024,
  maxEntryBytes: 64 * 1024 * 1024,
};

/** What a loader found: the value, and its size in bytes when it may be kept (null: answer it, keep nothing). */
interface Loaded<T> {
  value: T;
  bytes: number | null;
}

export class RunCache {
  private readonly lru: LRUCache<string, { value: unknown }>;
  /** Loads under way, so that concurrent requests for the same run read the store once. */
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(limits: RunCacheLimits = RUN_CACHE_LIMITS) {
    this.lru = new LRUCache({ max: limits.maxEntries, maxSize: limits.maxBytes, maxEntrySize: limits.maxEntryBytes });
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }

  /** The value kept under `key`, or what `load` finds (kept when it says so); a failed load keeps nothing. */
  get<T>(key: string, load: () => Promise<Loaded<T>>): Promise<T> {
    const kept = this.lru.get(key);
    if (kept) return Promise.resolve(kept.value as T);
    const pending = this.loading.get(key);
    if (pending) return pending as Promise<T>;
    const loaded = load()
      .then(({ value, bytes }) => {
        if (bytes !== null) this.lru.set(key, { value }, { size: Math.max(1, Math.ceil(bytes)) });
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, loaded);
    return loaded;
  }
}
