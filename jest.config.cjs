// One jest configuration for every package: each package's `test` script runs
// `jest --config ../../jest.config.cjs --rootDir .`. Sources are ES modules in TypeScript;
// ts-jest compiles them to CommonJS for jest only (isolatedModules: no type check here,
// `npm test` runs `tsc --noEmit` per package as its own target).
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, resolveJsonModule: true, target: 'ES2022' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
