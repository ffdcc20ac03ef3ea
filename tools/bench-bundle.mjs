// What the benchmarks share: each bundles the package it measures with esbuild first (the settings of every other
// bundle, tools/esbuild-common.mjs), so it times the same JavaScript the CLI runs, not ts-jest's or tsx's.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_BUNDLE } from './esbuild-common.mjs';

export { ROOT } from './esbuild-common.mjs';

/**
 * `entry` bundled for Node 20 into `bundle.cjs` in a new temp folder `overfit-<name>-XXXXXX`, which the caller
 * removes (it may write its own files there first).
 */
export async function bundleInTemp(entry, name, logLevel = 'warning') {
  const dir = mkdtempSync(join(tmpdir(), `overfit-${name}-`));
  const file = join(dir, 'bundle.cjs');
  await build({ ...NODE_BUNDLE, entryPoints: [entry], outfile: file, target: 'node20', logLevel });
  return { dir, file };
}

/** `entry` bundled and loaded: the module's exports (the temp folder is gone by then). */
export async function loadBundled(entry, name, logLevel) {
  const { dir, file } = await bundleInTemp(entry, name, logLevel);
  try {
    return createRequire(import.meta.url)(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
