#!/usr/bin/env node
// The `overfit` command: loads the bundle (../dist/overfit.cjs, built by `npm ci`'s root "prepare" script and by
// `npm run demo`: see tools/build-cli.mjs) with V8's code cache.
//
// Why: the bundle is 4 MB, and every `overfit` process parsed and compiled it again before doing anything: 0.1 s
// of CPU for `overfit --help` (0.36 → 0.25 s) and 0.2 s for a small run, on every call a script or a test makes.
// Node 22's module.enableCompileCache() does this for every module; Node 20, which CI runs, has only vm.Script's
// cachedData, used here for the one file that matters. The cache sits beside the bundle, named by a hash of the
// bundle's text, Node's version and flags, so a rebuilt bundle or another Node never reads a stale one (V8 itself
// checks only the source's length); V8 refuses a cache it cannot use, and then this process writes a new one.
// Without a writable dist/ nothing is cached and nothing else changes.
const { createHash } = require('node:crypto');
const { readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const bundle = join(__dirname, '../dist/overfit.cjs');
let source;
try {
  source = readFileSync(bundle, 'utf8');
} catch (error) {
  process.stderr.write(`overfit: cannot read ${bundle} (${error.code}): build it with \`node tools/build-cli.mjs\`\n`);
  process.exit(1);
}
// V8 refuses a cache made under other V8 flags (--max-old-space-size, --stack-size, …): each set of flags gets its
// own, so commands run with and without them do not rewrite one cache in turn.
const flags = `${process.execArgv.join(' ')}\n${process.env.NODE_OPTIONS ?? ''}`;
const key = createHash('sha256').update(`${process.version}\n${flags}\n`).update(source).digest('hex').slice(0, 16);
const cacheFile = `${bundle}.${key}.v8-cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // no cache yet: this process makes it
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
if (cachedData === undefined || script.cachedDataRejected) {
  // Written at the end, so the cache also holds the functions this command compiled on its way.
  process.once('beforeExit', () => {
    const partial = `${cacheFile}.${process.pid}`;
    try {
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, cacheFile); // atomic: a process starting meanwhile reads a whole cache or none
    } catch {
      rmSync(partial, { force: true }); // a read-only install or a full disk: run uncached
    }
  });
}
// The bundle runs as the CommonJS module Node would have made of it: its own require, module, __dirname.
const loaded = new Module(bundle, module);
loaded.filename = bundle;
loaded.paths = Module._nodeModulePaths(dirname(bundle));
script.runInThisContext()(loaded.exports, Module.createRequire(bundle), loaded, bundle, dirname(bundle));
