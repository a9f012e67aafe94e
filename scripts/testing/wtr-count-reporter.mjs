// A web-test-runner reporter that writes pass/fail/skip counts (per browser, summed) to a file.
import { writeFileSync } from 'node:fs';

function countSuite(suite, counts, label) {
  for (const test of suite.tests ?? []) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`${label} › ${test.name}`);
    }
  }
  for (const child of suite.suites ?? []) countSuite(child, counts, `${label} › ${child.name}`);
}

/** @param {{ file: string }} options */
export function countReporter({ file }) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
      for (const session of sessions) {
        const label = `${session.browser.name} ${session.testFile}`;
        if (session.testResults) countSuite(session.testResults, counts, label);
        // A file that failed to load or threw outside a test counts as one failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) {
          counts.failed++;
          counts.failures.push(`${label} › ${session.errors[0]?.message ?? 'failed to run'}`);
        }
      }
      writeFileSync(file, JSON.stringify(counts));
    },
  };
}
