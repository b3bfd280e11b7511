// Writes each package's jest totals to $MM_TEST_RESULTS_DIR/<package>.json so scripts/test.mjs can print one
// "N passed, N failed" line for CI across the whole monorepo.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join, basename } = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = process.env.MM_TEST_RESULTS_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    let name = basename(process.cwd());
    try {
      name = require(join(process.cwd(), 'package.json')).name.replace(/[@/]/g, '_');
    } catch {}
    writeFileSync(
      join(dir, `${name}${process.env.MM_TEST_RESULTS_SUFFIX ?? ''}.json`),
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
        suites: results.numTotalTestSuites,
      }),
    );
  }
}
module.exports = SummaryReporter;
