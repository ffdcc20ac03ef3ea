// Bundle the `overfit` CLI into one CommonJS file (apps/cli/dist/overfit.cjs) so it runs on plain Node without a
// TypeScript loader. Workspace packages are TypeScript sources and get bundled; @napi-rs/canvas is a native
// addon and stays a runtime require. Runs on `npm ci` (root "prepare") and before `npm run demo`.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BACKTEST_WORKER, NODE_BUNDLE, ROOT } from './esbuild-common.mjs';

const cli = { ...NODE_BUNDLE, target: 'node20', sourcemap: 'linked', external: ['@napi-rs/canvas'] };
const dist = join(ROOT, 'apps/cli/dist');
// V8 code caches of earlier bundles (apps/cli/bin/overfit.cjs writes one per bundle and Node version).
const caches = existsSync(dist) ? readdirSync(dist).filter((name) => name.includes('.v8-cache')) : [];
for (const name of caches) rmSync(join(dist, name), { force: true });
await build({ ...cli, entryPoints: [BACKTEST_WORKER.entry], outfile: join(dist, BACKTEST_WORKER.file) });
await build({ ...cli, entryPoints: [join(ROOT, 'apps/cli/src/bin.ts')], outfile: join(dist, 'overfit.cjs') });
