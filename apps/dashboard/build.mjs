// Bundle the dashboard server into one CommonJS file (dist/server.cjs) so it runs on plain Node without a
// TypeScript loader. Our workspace packages are TypeScript sources and get bundled; every package from npm stays
// a runtime require from node_modules (fastify, the AWS SDK, @napi-rs/canvas, chart.js, which the app serves).
// Runs started from the page record the code version that made them, as the Lambdas' runs do (OVERFIT_CODE_VERSION,
// see tools/code-version.mjs; the image build passes it as a build argument, having no git history).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { codeVersion } from '../../tools/code-version.mjs';
import { BACKTEST_WORKER, NODE_BUNDLE } from '../../tools/esbuild-common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const version = codeVersion(join(here, '../..'));
const keepNpmPackagesExternal = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@overfit/') ? undefined : { path: args.path, external: true },
    );
  },
};
const common = {
  ...NODE_BUNDLE,
  target: 'node20',
  sourcemap: 'linked',
  plugins: [keepNpmPackagesExternal],
  define: version ? { 'process.env.OVERFIT_CODE_VERSION': JSON.stringify(version) } : {},
};
await build({ ...common, entryPoints: [join(here, 'src/server.ts')], outfile: join(here, 'dist/server.cjs') });
// Runs started from the page compute on a worker thread of their own (src/pipelineWorker.ts).
await build({
  ...common,
  entryPoints: [join(here, 'src/pipelineWorker.ts')],
  outfile: join(here, 'dist/pipeline-worker.cjs'),
});
// A large in-process run backtests and validates on worker threads, which need their own file beside the bundle; the
// server's event loop then stays free to answer meanwhile.
await build({ ...common, entryPoints: [BACKTEST_WORKER.entry], outfile: join(here, 'dist', BACKTEST_WORKER.file) });
