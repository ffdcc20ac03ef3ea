// The shared unit-test configuration, plus one thing: @fastify/static requires content-disposition 3 and fastify's
// inject() requires cookie 1, which are ES modules only. Node 20 loads them natively (require of ESM); jest's
// module system before Node 24.9 cannot, so jest compiles those packages to CommonJS like our own sources
// (tools/jest-transform.cjs).
const base = require('../../jest.config.cjs');
const ESM_ONLY = ['content-disposition', 'cookie'].join('|');

module.exports = {
  ...base,
  transform: {
    ...base.transform,
    [`/node_modules/(${ESM_ONLY})/.+\\.js$`]: base.transform['^.+\\.ts$'],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY})/)`],
};
