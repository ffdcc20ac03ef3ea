import { constants, type Dirent } from 'node:fs';
import { access, mkdir, open, readFile, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  ArtifactNotFoundError,
  assertValidKey,
  StoreWriteError,
  storeErrorReason,
  type ArtifactBody,
  type ArtifactStore,
} from './artifactStore';

export interface LocalStoreOptions {
  /**
   * 'refuse': a key whose path passes through a symbolic link anywhere below the store's folder (a linked file, a
   * linked folder, a linked run folder) does not exist for get, exists, list and listFolders; only regular files
   * whose real path is inside the store are read. What a server showing the store to others uses: unpacking
   * someone's run archive into the store must not expose /etc/passwd. 'follow' (the default) reads through links,
   * e.g. a data file linked into data/.
   */
  links?: 'follow' | 'refuse';
}

/** Temp files of an interrupted write: `<key>.<12 hex>.tmp` beside the target. */
export const TEMP_FILE = /\.[0-9a-f]{12}\.tmp$/;

/** A folder as the artifact store. Writes go to a temp file beside the target, then rename: atomic on POSIX. */
export class LocalStore implements ArtifactStore {
  readonly location: string;
  readonly links: 'follow' | 'refuse';
  private realRoot: Promise<string | null> | undefined;

  constructor(root: string, options: LocalStoreOptions = {}) {
    this.location = resolve(root);
    this.links = options.links ?? 'follow';
  }

  /** The same folder, refusing symbolic links (see LocalStoreOptions). */
  refusingLinks(): LocalStore {
    return this.links === 'refuse' ? this : new LocalStore(this.location, { links: 'refuse' });
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return join(this.location, ...key.split('/'));
  }

  /**
   * In 'refuse' mode: is this path (the store's folder joined with a key) what its real path is? A link anywhere
   * below the store's own folder makes them differ. In 'follow' mode always true.
   */
  private async contained(path: string): Promise<boolean> {
    if (this.links === 'follow') return true;
    // The store's own folder may be reached through a link (/tmp → /private/tmp); only what is below it counts.
    this.realRoot ??= realpath(this.location).catch(() => null);
    const root = await this.realRoot;
    if (root === null) return false;
    try {
      return (await realpath(path)) === join(root, relative(this.location, path));
    } catch {
      return false;
    }
  }

  async put(key: string, body: ArtifactBody): Promise<void> {
    const target = this.pathOf(key);
    try {
      await mkdir(dirname(target), { recursive: true });
    } catch (error) {
      throw await this.writeError(key, dirname(target), error);
    }
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, body);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => {});
      throw await this.writeError(key, dirname(target), error);
    }
  }

  /**
   * A failed write in the user's words. A read-only or unwritable store can surface as ENOENT from mkdir (the
   * folder it wanted to create is not there): then the nearest existing folder is asked whether it may be written,
   * and its answer (EROFS, EACCES) is the reason given. The system's error stays as `cause`.
   */
  private async writeError(key: string, folder: string, error: unknown): Promise<Error> {
    if (!(error instanceof Error) || typeof (error as NodeJS.ErrnoException).code !== 'string') return error as Error;
    let code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      for (let dir = folder; ; dir = dirname(dir)) {
        try {
          await access(dir, constants.F_OK);
        } catch {
          if (dirname(dir) === dir) break;
          continue;
        }
        try {
          await access(dir, constants.W_OK);
        } catch (probe) {
          code = (probe as NodeJS.ErrnoException).code ?? code;
        }
        break;
      }
    }
    return new StoreWriteError(key, this.location, storeErrorReason(code) ?? error.message, error, code);
  }

  async get(key: string): Promise<Buffer> {
    const path = this.pathOf(key);
    try {
      if (this.links === 'follow') return await readFile(path);
      if (!(await this.contained(path))) throw new ArtifactNotFoundError(key, this.location);
      // O_NOFOLLOW: a link put in its place since the check above is not followed either.
      const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        if (!(await handle.stat()).isFile()) throw new ArtifactNotFoundError(key, this.location);
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP' || code === 'EISDIR' || code === 'ENOTDIR')
        throw new ArtifactNotFoundError(key, this.location);
      throw error;
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    const path = this.pathOf(key);
    try {
      return (await this.contained(path)) && (await stat(path)).isFile();
    } catch {
      return false;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw error;
      }
      // Links are neither files nor folders here: a listing never goes through one.
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile() && !entry.name.endsWith('.tmp'))
          keys.push(relative(this.location, path).split(sep).join('/'));
      }
    };
    // Walk only the folder the prefix lives in, not the whole store.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (folder) assertValidKey(folder);
    const start = folder ? join(this.location, ...folder.split('/')) : this.location;
    if (folder && !(await this.contained(start))) return [];
    await walk(start);
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  async listFolders(prefix: string): Promise<string[]> {
    if (!prefix.endsWith('/')) throw new Error(`listFolders needs a prefix ending in "/" (got "${prefix}")`);
    const folder = prefix.slice(0, -1);
    assertValidKey(folder);
    const path = join(this.location, ...folder.split('/'));
    if (!(await this.contained(path))) return [];
    try {
      const entries = await readdir(path, { withFileTypes: true });
      return entries
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw error;
    }
  }
}
