// A node:test reporter that writes pass/fail/skip counts as JSON, so scripts/test.mjs can add
// them to the browser runner's counts and print one summary line.
//
// A whole file fails ("test failed", no test named) when something outlives its tests: a late
// rejection or exception, or an exit. The spec reporter prints why somewhere in the middle of a
// long log, so the failure line carries the file's error diagnostics and the end of its stderr.
const STDERR_LINES = 30;

export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const diagnostics = new Map();
  const stderr = new Map();
  const keep = (map, file, text, limit) => {
    const lines = map.get(file) ?? [];
    lines.push(...text.split('\n').filter((line) => line.trim() !== ''));
    map.set(file, lines.slice(-limit));
  };
  for await (const event of source) {
    // Output events name the file relative to the cwd, results absolutely: entryFile is absolute.
    const file = event.data?.entryFile ?? event.data?.file ?? '';
    if (event.type === 'test:stderr') keep(stderr, file, String(event.data.message), STDERR_LINES);
    if (event.type === 'test:diagnostic' && /error|uncaught|unhandled|after the test ended/i.test(event.data.message))
      keep(diagnostics, file, String(event.data.message), 10);
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // Suites report too; only count leaves.
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip || event.data.todo) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      let failure = `${file} › ${event.data.name}`;
      const wholeFile = file !== '' && file.endsWith(event.data.name);
      if (wholeFile) {
        const why = [...(diagnostics.get(file) ?? []), ...(stderr.get(file) ?? []).map((l) => `stderr: ${l}`)];
        const error = event.data.details?.error;
        if (error?.exitCode != null || error?.signal)
          why.unshift(
            `the file's process ended with exit code ${error.exitCode}${error.signal ? `, signal ${error.signal}` : ''}`,
          );
        if (why.length > 0) failure += `\n      ${why.join('\n      ')}`;
      }
      counts.failures.push(failure);
    }
  }
  yield JSON.stringify(counts);
}
