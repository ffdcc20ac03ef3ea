// The artifact store in memory: for what must not touch a disk or a bucket (the backtest benchmark measures
// computing and formatting, not I/O) and for tests. It keeps the contract of the folder and bucket stores
// (test/storeContract.ts): the same keys are valid, a missing key is an ArtifactNotFoundError, listings are sorted.
import { ArtifactNotFoundError, assertValidKey, type ArtifactBody, type ArtifactStore } from './artifactStore';

async function bytesOf(body: ArtifactBody): Promise<Buffer> {
  if (typeof body === 'string' || body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export class MemoryStore implements ArtifactStore {
  private readonly objects = new Map<string, Buffer>();

  /** `location` only names the store in messages and in the paths that reads report. */
  constructor(readonly location = 'memory') {}

  async put(key: string, body: ArtifactBody): Promise<void> {
    assertValidKey(key);
    this.objects.set(key, await bytesOf(body));
  }

  /** A copy: a caller that changes the bytes it got does not change the store. */
  async get(key: string): Promise<Buffer> {
    assertValidKey(key);
    const body = this.objects.get(key);
    if (!body) throw new ArtifactNotFoundError(key, this.location);
    return Buffer.from(body);
  }

  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    return this.objects.has(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.objects.delete(key);
  }

  async listFolders(prefix: string): Promise<string[]> {
    if (!prefix.endsWith('/')) throw new Error(`listFolders needs a prefix ending in "/" (got "${prefix}")`);
    assertValidKey(prefix.slice(0, -1));
    const folders = (await this.list(prefix))
      .map((key) => key.slice(prefix.length))
      .filter((rest) => rest.includes('/'))
      .map((rest) => rest.slice(0, rest.indexOf('/')));
    return [...new Set(folders)].sort();
  }
}
