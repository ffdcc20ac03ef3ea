// The end-to-end tests of a package: `*.e2e.test.ts`, the ones that start a browser, s3rver, a fake exchange, the
// local state machine, the built CLI or server, or real terraform. Each package's `test-e2e` script runs
// `jest --config ../../jest.e2e.config.cjs --rootDir .`; everything else about them is the unit configuration's.
const base = require('./jest.config.cjs');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/**/*.e2e.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
