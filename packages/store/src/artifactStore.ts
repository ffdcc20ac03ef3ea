// The artifact store: a flat key space ("runs/<runId>/results/best_strategy.json") over a folder or a bucket.
// Every write is all-or-nothing for its key, so a reader never sees half an object.
import { CorruptArtifactError } from '@overfit/core';

export type ArtifactBody = Uint8Array | string | AsyncIterable<Uint8Array>;

export interface ArtifactStore {
  /** Where the store lives, for people: a folder path or s3://bucket/prefix. */
  readonly location: string;
  /** An async iterable body is streamed (merging 100k-strategy shards); it still lands all at once. */
  put(key: string, body: ArtifactBody, contentType?: string): Promise<void>;
  /** The object's bytes; throws ArtifactNotFoundError when the key does not exist. */
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Every key under the prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Remove the keys (missing ones are fine). Optional: only the cloud pipeline's finalize deletes anything. */
  delete?(keys: string[]): Promise<void>;
  /**
   * The names of the folders directly under a prefix ending in "/" ("runs/" → the run ids), sorted, without
   * listing what is inside them. Optional: a store without it is listed whole with `list` instead.
   */
  listFolders?(prefix: string): Promise<string[]>;
}

export class ArtifactNotFoundError extends Error {
  readonly key: string;
  constructor(key: string, location: string) {
    super(`no artifact "${key}" in ${location}`);
    this.name = 'ArtifactNotFoundError';
    this.key = key;
  }
}

/**
 * A write the store refused, in the user's words: which key, where, and why (a read-only file system, a folder this
 * user may not write, a full disk), with the system's error as `cause` and its code as `code`.
 */
export class StoreWriteError extends Error {
  readonly key: string;
  /** The reason's errno code: the cause's, or what a diagnosis found behind it (EROFS behind an ENOENT). */
  readonly code: string | undefined;
  constructor(
    key: string,
    location: string,
    reason: string,
    cause: unknown,
    code = (cause as NodeJS.ErrnoException | undefined)?.code,
  ) {
    super(`cannot write ${key} in the store ${location}: ${reason}`, { cause });
    this.name = 'StoreWriteError';
    this.key = key;
    this.code = code;
  }
}

/** What an errno code means for a store, said plainly; null when the code has no plainer wording. */
export function storeErrorReason(code: string | undefined): string | null {
  switch (code) {
    case 'EROFS':
      return 'the store is on a read-only file system (EROFS)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied: this user may not write in the store's folder (${code})`;
    case 'ENOSPC':
      return 'the disk is full (ENOSPC: no space left on the device)';
    case 'EDQUOT':
      return 'the disk quota is exceeded (EDQUOT)';
    default:
      return null;
  }
}

/** Keys are relative, slash-separated, without empty, "." or ".." segments: no escaping the store. */
export function assertValidKey(key: string): void {
  const segments = key.split('/');
  const valid =
    key.length > 0 &&
    key.length <= 1024 &&
    !key.includes('\\') &&
    !key.includes('\0') &&
    segments.every((s) => s !== '' && s !== '.' && s !== '..');
  if (!valid) throw new Error(`invalid artifact key "${key}"`);
}

// JSON has no Infinity: JSON.stringify writes null, which reads as "undefined" — a profit factor with no losing trade
// would show as "—". Documents write ±Infinity as the strings "Infinity" and "-Infinity" and read them back as
// numbers (NaN, a metric that is undefined, stays null).
const INFINITIES: Record<string, number> = {
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

export function parseJsonDocument<T>(text: string): T {
  return JSON.parse(text, (_key, value) =>
    typeof value === 'string' && value in INFINITIES ? INFINITIES[value] : value,
  ) as T;
}

export function formatJsonDocument(value: unknown): string {
  const replacer = (_key: string, v: unknown) =>
    v === Number.POSITIVE_INFINITY ? 'Infinity' : v === Number.NEGATIVE_INFINITY ? '-Infinity' : v;
  return `${JSON.stringify(value, replacer, 2)}\n`;
}

/**
 * A JSON document the pipeline wrote; one that is not JSON is a CorruptArtifactError (the parser's error its cause).
 */
export async function getJson<T>(store: ArtifactStore, key: string): Promise<T> {
  const text = (await store.get(key)).toString('utf8');
  try {
    return parseJsonDocument<T>(text);
  } catch (error) {
    throw new CorruptArtifactError(key, 'it is not valid JSON', { cause: error });
  }
}

export async function putJson(store: ArtifactStore, key: string, value: unknown): Promise<void> {
  await store.put(key, formatJsonDocument(value), 'application/json');
}

export function contentTypeOf(key: string): string {
  if (key.endsWith('.json')) return 'application/json';
  if (key.endsWith('.csv')) return 'text/csv';
  if (key.endsWith('.png')) return 'image/png';
  return 'application/octet-stream';
}
