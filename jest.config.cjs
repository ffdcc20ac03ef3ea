// One jest configuration for every package's unit tests: each package's `test-unit` script runs
// `jest --config ../../jest.config.cjs --rootDir .`. The end-to-end tests (`*.e2e.test.ts`: a browser, s3rver, the
// state machine, a spawned CLI or server, real terraform) are left out here and run by jest.e2e.config.cjs.
// Sources are ES modules in TypeScript; tools/jest-transform.cjs compiles them to CommonJS for jest only (esbuild,
// one file at a time: no type check here, `npm test` runs tsc as its own step) and keeps the hot loops' reads of
// Math and Number off the slow global object of jest's vm context.
const { availableParallelism } = require('node:os');

module.exports = {
  // Jest's default is one worker less than the CPUs, so on a 2-core machine one: the files of a package ran one
  // after the other. Nx starts the packages nobody depends on (the CLI, the dashboard, the infrastructure) last, and
  // those have the longest end-to-end files, mostly waiting for child processes, servers and terraform; one worker
  // left the second core idle for the last minute of `npm test`. At least two files at a time.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$'],
  transform: { '^.+\\.ts$': require.resolve('./tools/jest-transform.cjs') },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // No test may depend on the machine's speed. Jest's 5 s default failed whole-pipeline tests (and hooks, which
  // share this limit) on a busy laptop or CI runner: at load 25 on 2 cores a test runs ~12 times slower than on a
  // quiet machine. Two minutes covers anything that takes up to ~10 s quietly; whole runs set more in their file.
  // A test that hangs is reported after that long instead of 5 s.
  testTimeout: 120_000,
};
