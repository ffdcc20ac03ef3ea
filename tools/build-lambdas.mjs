// Build the six Lambda packages Terraform deploys: dist/lambda/<name>.zip with a CommonJS index.js exporting
// `handler` (runtime nodejs22.x, handler index.handler) and its source map. Each is one esbuild bundle of the
// handler module the stage registry names for that function (@overfit/core, stages.ts), minified for Node 22.
// FUNCTIONS below adds what a function needs besides its bundle; three carry files beside it:
//   backtest,  backtest-worker.cjs, the worker pool's thread script the stage finds beside its bundle
//   validate   (@overfit/core/pool);
//   visualize  @napi-rs/canvas and its linux-x64-gnu binary (native: cannot be bundled), and the Inter font files
//              (Lambda has no system fonts; charts resolve them with require.resolve, so the package.json comes too).
// Set NODE_OPTIONS=--enable-source-maps on the functions to get TypeScript positions in stack traces.
// Every bundle carries the code version its run manifests record (OVERFIT_CODE_VERSION): the environment's value
// if set (CI passes the commit it deploys), else the git commit being built, with "-dirty" when files differ from it.
import { build } from 'esbuild';
import { copyFileSync, createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import yazl from 'yazl';
import { codeVersion } from './code-version.mjs';
import { BACKTEST_WORKER, importWorkspaceModule, NODE_BUNDLE, ROOT as root } from './esbuild-common.mjs';

const out = join(root, 'dist/lambda');
const modules = join(root, 'node_modules');

const version = codeVersion(root);

const FUNCTIONS = {
  generate: {},
  backtest: { worker: true },
  select: {},
  validate: { worker: true },
  visualize: {
    external: ['@napi-rs/canvas'],
    files: [
      '@napi-rs/canvas/package.json',
      '@napi-rs/canvas/index.js',
      '@napi-rs/canvas/js-binding.js',
      '@napi-rs/canvas/geometry.js',
      '@napi-rs/canvas/load-image.js',
      '@napi-rs/canvas/node-canvas.js',
      '@napi-rs/canvas/LICENSE',
      '@napi-rs/canvas-linux-x64-gnu/package.json',
      '@napi-rs/canvas-linux-x64-gnu/skia.linux-x64-gnu.node',
      '@fontsource/inter/package.json',
      '@fontsource/inter/LICENSE',
      '@fontsource/inter/files/inter-latin-400-normal.woff2',
      '@fontsource/inter/files/inter-latin-600-normal.woff2',
    ],
  },
  finalize: {},
};

// The registry's functions, each with the module its Lambda runs; the list above must name exactly them.
const { PIPELINE_FUNCTIONS } = await importWorkspaceModule('@overfit/core');
const registered = PIPELINE_FUNCTIONS.map((fn) => fn.name);
if (registered.join() !== Object.keys(FUNCTIONS).join()) {
  throw new Error(
    `FUNCTIONS (${Object.keys(FUNCTIONS).join(', ')}) must list the stage registry's functions in order (${registered.join(', ')})`,
  );
}

const common = {
  ...NODE_BUNDLE,
  target: 'node22',
  define: version ? { 'process.env.OVERFIT_CODE_VERSION': JSON.stringify(version) } : {},
  minify: true,
  sourcemap: 'external',
  sourcesContent: false, // positions are enough for stack traces; the sources would triple the map
  legalComments: 'none',
};

function zip(folder, target) {
  return new Promise((done, fail) => {
    const archive = new yazl.ZipFile();
    const walk = (dir) => {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        // A fixed time keeps the zip's bytes (and so Terraform's source_code_hash) stable between identical builds.
        else archive.addFile(path, relative(folder, path), { mtime: new Date('2020-01-01T00:00:00Z'), mode: 0o100644 });
      }
    };
    walk(folder);
    archive.outputStream.pipe(createWriteStream(target)).on('close', done).on('error', fail);
    archive.end();
  });
}

const sizeOf = (dir) =>
  readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    return sum + (statSync(path).isDirectory() ? sizeOf(path) : statSync(path).size);
  }, 0);

rmSync(out, { recursive: true, force: true });
const rows = [];
for (const { name, handler } of PIPELINE_FUNCTIONS) {
  const spec = FUNCTIONS[name];
  const folder = join(out, name);
  await build({ ...common, entryPoints: [handler], outfile: join(folder, 'index.js'), external: spec.external ?? [] });
  if (spec.worker)
    await build({ ...common, entryPoints: [BACKTEST_WORKER.entry], outfile: join(folder, BACKTEST_WORKER.file) });
  for (const file of spec.files ?? []) {
    const target = join(folder, 'node_modules', file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(modules, file), target);
  }
  await zip(folder, join(out, `${name}.zip`));
  rows.push({
    name,
    bundle: statSync(join(folder, 'index.js')).size,
    unzipped: sizeOf(folder),
    zip: statSync(join(out, `${name}.zip`)).size,
  });
}

const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`.padStart(10);
console.log(`${'function'.padEnd(10)}${'index.js'.padStart(10)}${'unzipped'.padStart(10)}${'zip'.padStart(10)}`);
for (const r of rows) console.log(`${r.name.padEnd(10)}${kb(r.bundle)}${kb(r.unzipped)}${kb(r.zip)}`);
console.log(
  `→ ${relative(process.cwd(), out) || out}/<function>.zip (handler index.handler, runtime nodejs22.x, code version ${version ?? 'from package.json'})`,
);
