// Shared jest settings: ts-jest on CommonJS, unit (*.spec.ts) and integration (*.integration-spec.ts) tests.
// Each package's jest.config.js re-exports this; JEST_JSON_DIR (set by scripts/test.mjs) collects results for CI.
module.exports = {
  testEnvironment: 'node',
  rootDir: process.cwd(),
  roots: ['<rootDir>/src', '<rootDir>/test'].filter((p) => require('fs').existsSync(p.replace('<rootDir>', process.cwd()))),
  testRegex: '\\.(spec|integration-spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
};
