// The artifact store: a flat key space ("runs/<runId>/results/best_strategy.json") over a folder or a bucket.
// Every write is all-or-nothing for its key, so a reader never sees half an object.

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
}

export class ArtifactNotFoundError extends Error {
  readonly key: string;
  constructor(key: string, location: string) {
    super(`no artifact "${key}" in ${location}`);
    this.name = 'ArtifactNotFoundError';
    this.key = key;
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

export async function getJson<T>(store: ArtifactStore, key: string): Promise<T> {
  return JSON.parse((await store.get(key)).toString('utf8')) as T;
}

export async function putJson(store: ArtifactStore, key: string, value: unknown): Promise<void> {
  await store.put(key, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}

export function contentTypeOf(key: string): string {
  if (key.endsWith('.json')) return 'application/json';
  if (key.endsWith('.csv')) return 'text/csv';
  if (key.endsWith('.png')) return 'image/png';
  return 'application/octet-stream';
}
