// Shared jest settings: ts-jest on CommonJS; unit tests (*.spec.ts) beside the code, integration tests
// (*.integration-spec.ts) and end-to-end tests (*.e2e-spec.ts) against the real broker and database.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = {
  testEnvironment: 'node',
  rootDir: process.cwd(),
  roots: ['src', 'test'].filter((d) => existsSync(join(process.cwd(), d))).map((d) => `<rootDir>/${d}`),
  testRegex: '\\.(spec|integration-spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
    // jose (JWT) ships ES modules only; jest's CommonJS runtime gets them compiled to CommonJS (Node itself loads them
    // with require() since 20.19).
    '/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60_000,
  setupFiles: [join(__dirname, 'scripts', 'jest-kafka-namespace.js')],
  reporters: ['default', join(__dirname, 'scripts', 'jest-summary-reporter.js')],
};
