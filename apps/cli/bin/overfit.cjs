#!/usr/bin/env node
// The bundle is built by `npm ci` (root "prepare" script) and by `npm run demo`: see tools/build-cli.mjs.
require('../dist/overfit.cjs');
