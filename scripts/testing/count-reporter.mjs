// A node:test reporter that writes pass/fail/skip counts as JSON, so scripts/test.mjs can add
// them to the browser runner's counts and print one summary line.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // Suites report too; only count leaves.
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip || event.data.todo) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`${event.data.file ?? ''} › ${event.data.name}`);
    }
  }
  yield JSON.stringify(counts);
}
