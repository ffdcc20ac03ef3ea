// The esbuild settings the three bundles share: the `overfit` CLI (tools/build-cli.mjs), the six Lambdas
// (tools/build-lambdas.mjs) and the dashboard server (apps/dashboard/build.mjs). Each is CommonJS for Node, with
// our workspace packages (TypeScript sources) bundled in; what differs is the target Node, the source maps, and
// which npm packages stay runtime requires.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Options every bundle uses; a bundle spreads them and adds its entry, output, target and source maps. */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Entry points may name a package's declared export (e.g. '@overfit/core/worker'): resolved from the root.
  absWorkingDir: ROOT,
  logLevel: 'warning',
  // The charts resolve the font files at run time with require.resolve; each bundle ships or finds them itself.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

/**
 * The worker pool's threads (the backtest stage, validate's statistics) need a file of their own beside the bundle
 * that starts them: it is found under this name next to it (packages/core/src/pool.ts, WORKER_BUNDLE).
 */
export const BACKTEST_WORKER = { entry: '@overfit/core/worker', file: 'backtest-worker.cjs' };

/** A workspace module's exports in this Node process (a build script reads the stage registry from @overfit/core). */
export async function importWorkspaceModule(specifier) {
  const result = await build({
    ...NODE_BUNDLE,
    entryPoints: [specifier],
    format: 'esm',
    write: false,
    logLevel: 'error',
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}
