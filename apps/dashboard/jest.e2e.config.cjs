// The dashboard's end-to-end tests (the browser, the bundled server, its worker threads, S3): the shared e2e file
// selection on this package's unit configuration, plus the bundle built once before any of them runs.
const unit = require('./jest.config.cjs');
const e2e = require('../../jest.e2e.config.cjs');

module.exports = {
  ...unit,
  testMatch: e2e.testMatch,
  testPathIgnorePatterns: e2e.testPathIgnorePatterns,
  globalSetup: '<rootDir>/test/globalSetup.cjs',
};
