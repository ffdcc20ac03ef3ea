// Bundle the dashboard server into one CommonJS file (dist/server.cjs) so it runs on plain Node without a
// TypeScript loader. Our workspace packages are TypeScript sources and get bundled; every package from npm stays
// a runtime require from node_modules (fastify, the AWS SDK, @napi-rs/canvas, chart.js, which the app serves).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const keepNpmPackagesExternal = {
  name: 'npm-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@overfit/') ? undefined : { path: args.path, external: true }));
  },
};
await build({
  entryPoints: [join(here, 'src/server.ts')],
  outfile: join(here, 'dist/server.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  plugins: [keepNpmPackagesExternal],
  logLevel: 'warning',
});
