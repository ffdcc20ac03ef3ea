// Garbage in a folder store: what crashes and failures leave behind. A run killed before its manifest leaves a
// run folder no reader will ever trust (an orphan); a write killed between its temp file and the rename leaves a
// `*.tmp`; a failed run keeps the intermediates it wrote before failing, which nothing reads again (its manifest
// says why it failed, and stays). `overfit store gc` lists them (a dry run by default) and removes them with
// --apply; the dashboard removes stale temp files when it starts.
import { lstat, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalStore } from './localStore';
import { RUN_ID_PATTERN, type RunManifest } from './runLayout';

export type GcKind = 'orphan-run' | 'failed-run-files' | 'temp-file';

export interface GcItem {
  kind: GcKind;
  /** A key, or a run folder's key prefix ending in "/". */
  key: string;
  /** Files removed with it, and their size. */
  files: number;
  bytes: number;
  /** Milliseconds since anything in it was last written. */
  ageMs: number;
  /** For failed-run-files: the files to remove (the manifest stays). */
  keys?: string[];
}

export interface GcPlan {
  store: string;
  items: GcItem[];
  files: number;
  bytes: number;
}

export interface GcOptions {
  /**
   * Orphan run folders and temp files written less than this long ago are left alone: a run or a write may be under
   * way.
   */
  minAgeMs?: number;
  /** Runs under way in this process: never touched, whatever their age. */
  activeRunIds?: Iterable<string>;
  /** Which kinds to look for (default: all). */
  kinds?: readonly GcKind[];
  now?: number;
}

export const DEFAULT_GC_MIN_AGE_MS = 24 * 3600 * 1000;

interface FileInfo {
  path: string;
  bytes: number;
  mtimeMs: number;
}

/** Every regular file below a folder, never through a link (a link is not followed, listed or removed). */
async function filesBelow(dir: string): Promise<{ files: FileInfo[]; newestMs: number }> {
  const files: FileInfo[] = [];
  let newestMs = (await lstat(dir)).mtimeMs;
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        newestMs = Math.max(newestMs, (await lstat(path)).mtimeMs);
        await walk(path);
      } else if (entry.isFile()) {
        const info = await lstat(path);
        files.push({ path, bytes: info.size, mtimeMs: info.mtimeMs });
        newestMs = Math.max(newestMs, info.mtimeMs);
      }
    }
  };
  await walk(dir);
  return { files, newestMs };
}

const keyOf = (store: LocalStore, path: string): string =>
  path
    .slice(store.location.length + 1)
    .split(/[\\/]/)
    .join('/');

/** How long ago a file time was, never below 0 (a file time a few ms ahead of this clock is new, not unborn). */
const ageOf = (timeMs: number, now: number) => Math.max(0, now - timeMs);

export async function planGc(store: LocalStore, options: GcOptions = {}): Promise<GcPlan> {
  const now = options.now ?? Date.now();
  const minAgeMs = options.minAgeMs ?? DEFAULT_GC_MIN_AGE_MS;
  const active = new Set(options.activeRunIds ?? []);
  const kinds = new Set<GcKind>(options.kinds ?? ['orphan-run', 'failed-run-files', 'temp-file']);
  const items: GcItem[] = [];
  /** Files already covered by an item: a temp file inside an orphan folder is not listed twice. */
  const covered = new Set<string>();

  const runsDir = join(store.location, 'runs');
  let runFolders: string[] = [];
  try {
    runFolders = (await readdir(runsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && RUN_ID_PATTERN.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const runId of runFolders) {
    if (active.has(runId)) continue;
    const folder = join(runsDir, runId);
    const { files, newestMs } = await filesBelow(folder);
    const manifestPath = join(folder, 'manifest.json');
    const hasManifest = files.some((f) => f.path === manifestPath);
    // Never below 0: file times and Date.now() come from different clocks (the kernel's coarse one for files) that
    // can disagree by a few ms, so a folder written just now could look younger than new and escape `minAgeMs: 0`.
    const ageMs = ageOf(newestMs, now);
    /** One item for the run folder: the files to remove, counted and marked as accounted for. */
    const collect = (kind: GcKind, found: FileInfo[], keys?: string[]) => {
      const bytes = found.reduce((n, f) => n + f.bytes, 0);
      items.push({ kind, key: `runs/${runId}/`, files: found.length, bytes, ageMs, ...(keys && { keys }) });
      for (const f of found) covered.add(f.path);
    };
    if (!hasManifest) {
      if (kinds.has('orphan-run') && ageMs >= minAgeMs) collect('orphan-run', files);
      continue;
    }
    if (!kinds.has('failed-run-files')) continue;
    let manifest: Partial<RunManifest>;
    try {
      manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Partial<RunManifest>;
    } catch {
      continue; // an unreadable manifest: a person should look at it, not the collector
    }
    if (manifest?.status !== 'failed') continue;
    const leftovers = files.filter((f) => f.path !== manifestPath);
    if (leftovers.length === 0) continue;
    collect('failed-run-files', leftovers, leftovers.map((f) => keyOf(store, f.path)).sort());
  }

  if (kinds.has('temp-file')) {
    let all: FileInfo[] = [];
    try {
      all = (await filesBelow(store.location)).files;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const file of all) {
      if (!file.path.endsWith('.tmp') || covered.has(file.path)) continue;
      const key = keyOf(store, file.path);
      const runId = /^runs\/([^/]+)\//.exec(key)?.[1];
      const ageMs = ageOf(file.mtimeMs, now);
      if ((runId !== undefined && active.has(runId)) || ageMs < minAgeMs) continue;
      items.push({ kind: 'temp-file', key, files: 1, bytes: file.bytes, ageMs });
    }
  }
  return {
    store: store.location,
    items,
    files: items.reduce((n, i) => n + i.files, 0),
    bytes: items.reduce((n, i) => n + i.bytes, 0),
  };
}

/** Remove what the plan lists. An orphan that gained a manifest since the plan was made is left alone. */
export async function applyGc(store: LocalStore, plan: GcPlan): Promise<GcItem[]> {
  const removed: GcItem[] = [];
  for (const item of plan.items) {
    const path = join(store.location, ...item.key.split('/').filter(Boolean));
    if (item.kind === 'orphan-run') {
      if (await exists(join(path, 'manifest.json'))) continue;
      await rm(path, { recursive: true, force: true });
    } else if (item.kind === 'failed-run-files') {
      for (const key of item.keys ?? []) await rm(join(store.location, ...key.split('/')), { force: true });
      await removeEmptyFolders(path);
    } else {
      await rm(path, { force: true });
    }
    removed.push(item);
  }
  return removed;
}

/** Temp files of writes that never finished, older than minAgeMs: what the dashboard clears when it starts. */
export async function removeStaleTempFiles(store: LocalStore, minAgeMs: number, now = Date.now()): Promise<string[]> {
  const plan = await planGc(store, { kinds: ['temp-file'], minAgeMs, now });
  return (await applyGc(store, plan)).map((item) => item.key);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Remove the folders below `dir` that hold nothing any more (deepest first); `dir` itself stays. */
async function removeEmptyFolders(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    await removeEmptyFolders(path);
    if ((await readdir(path)).length === 0) await rmdir(path);
  }
}

/** "3.4 MB", "812 B": sizes for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
