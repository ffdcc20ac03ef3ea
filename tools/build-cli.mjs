// Bundle the `overfit` CLI into one CommonJS file (apps/cli/dist/overfit.cjs) so it runs on plain Node without a
// TypeScript loader. Workspace packages are TypeScript sources and get bundled; @napi-rs/canvas is a native
// addon and stays a runtime require. Runs on `npm ci` (root "prepare") and before `npm run demo`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  external: ['@napi-rs/canvas'],
  logLevel: 'warning',
};
// The backtest stage's worker threads need a file of their own: it goes next to the CLI, where
// packages/stage-backtest/src/parallel.ts looks for it (__dirname of the bundle).
await build({ ...common, entryPoints: [join(root, 'packages/stage-backtest/src/worker.ts')], outfile: join(root, 'apps/cli/dist/backtest-worker.cjs') });
await build({
  entryPoints: [join(root, 'apps/cli/src/bin.ts')],
  outfile: join(root, 'apps/cli/dist/overfit.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  external: ['@napi-rs/canvas'],
  logLevel: 'warning',
  logOverride: { 'require-resolve-not-external': 'silent' },
});
