// How jest compiles our TypeScript (and the few ES-module-only packages the dashboard needs) to CommonJS: esbuild's
// transform, one file at a time, types stripped and not checked (`npm test` type-checks with tsc as its own step).
// It replaced ts-jest, which loaded the TypeScript compiler in every jest process and worker, cached or not (about
// a second of CPU each, some 40 times per `npm test`), and took tens of milliseconds a file where esbuild takes one.
//
// Two things differ from ts-jest and matter to tests:
// - `jest.mock(…)` is not hoisted above the imports (esbuild puts every import's require first): a test that mocks a
//   module its subject imports loads the subject with `require` after the `jest.mock` (test/storeErrors.test.ts).
// - `import()` becomes a `require()` in a promise, as TypeScript's CommonJS output does: jest's vm context has no
//   dynamic import without --experimental-vm-modules.
//
// Plus one line that makes the test build of hot loops as fast as the bundle users run. Jest runs every test file
// in a vm context, whose global object Node intercepts: each read of a global (`Math`, `Number`) from compiled code
// then leaves V8's fast path for a runtime call, about 1 µs each. A kernel loop with four Math.imul per bar ran 100
// times slower under jest than in the esbuild bundle. Bound once per module as constants, Math and Number are read
// from the module's own scope instead. The line goes before the first line of the code, not on a line of its own, so
// the inline source map, which maps stack traces back to the TypeScript, still holds.
const { createHash } = require('node:crypto');
const esbuild = require('esbuild');

const BIND = 'const { Math, Number } = globalThis;';
const VERSION = `esbuild ${esbuild.version} 1`;

/** The options of every file; ES2022 is what Node 20 runs (class fields are defined, as tsc does for ES2022). */
const options = (path) => ({
  loader: /\.[cm]?tsx?$/.test(path) ? 'ts' : 'js',
  format: 'cjs',
  target: 'node20',
  platform: 'node',
  supported: { 'dynamic-import': false },
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
  sourcemap: 'inline',
  sourcefile: path,
});

module.exports = {
  process(source, path) {
    return { code: BIND + esbuild.transformSync(source, options(path)).code };
  },
  getCacheKey(source, path, { configString }) {
    return createHash('sha1')
      .update(VERSION)
      .update('\0')
      .update(path)
      .update('\0')
      .update(configString)
      .update('\0')
      .update(source)
      .digest('hex');
  },
};
