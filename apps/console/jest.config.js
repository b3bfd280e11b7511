// The preset's suites plus the browser suite (*.browser-spec.ts: Chromium driven by playwright-core).
const preset = require('../../jest.preset.js');

module.exports = { ...preset, testRegex: '\\.(spec|integration-spec|e2e-spec|browser-spec)\\.ts$' };
