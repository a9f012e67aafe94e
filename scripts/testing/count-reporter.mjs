// A node:test reporter that writes pass/fail/skip counts as JSON, so scripts/test.mjs can add
// them to the browser runner's counts and print one summary line.
//
// A whole file fails ("test failed", no test named) when something outlives its tests: a late
// rejection or exception, or an exit. The spec reporter prints why somewhere in the middle of a
// long log, so the failure line carries the file's error diagnostics and the end of its stderr.
import { resolve } from 'node:path';
import { isNativeCrash, saysOutOfMemory } from './native-crash.mjs';

const STDERR_LINES = 30;

/** The totals of per-file results (scripts/test.mjs sums them again after a file's re-run). */
export function sumFiles(byFile) {
  const sum = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const result of Object.values(byFile)) {
    sum.passed += result.passed;
    sum.failed += result.failed;
    sum.skipped += result.skipped;
    sum.failures.push(...result.failures);
  }
  return sum;
}

export default async function* countReporter(source) {
  // Results per file, summed at the end: scripts/test.mjs replaces a re-run file's (nativeCrashes).
  const byFile = {};
  const fileMs = {};
  const nativeCrashes = [];
  // Whether a file's stderr said it ran out of memory (native-crash.mjs), kept past the tail.
  const outOfMemory = new Set();
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
    if (event.type === 'test:stderr') {
      keep(stderr, file, String(event.data.message), STDERR_LINES);
      if (saysOutOfMemory(String(event.data.message))) outOfMemory.add(file);
    }
    if (event.type === 'test:diagnostic' && /error|uncaught|unhandled|after the test ended/i.test(event.data.message))
      keep(diagnostics, file, String(event.data.message), 10);
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // A passing file has no event of its own: its top-level tests' time stands for it (CI time).
    if (event.data.nesting === 0 && file !== '')
      fileMs[file] = (fileMs[file] ?? 0) + (event.data.details?.duration_ms ?? 0);
    // Suites report too; only count leaves.
    if (event.data.details?.type === 'suite') continue;
    byFile[file] ??= { passed: 0, failed: 0, skipped: 0, failures: [] };
    const mine = byFile[file];
    if (event.data.skip || event.data.todo) mine.skipped++;
    else if (event.type === 'test:pass') mine.passed++;
    else {
      mine.failed++;
      let failure = `${file} › ${event.data.name}`;
      // Such a failure is named by the file's path, relative to the runner's working folder.
      const wholeFile = file !== '' && resolve(event.data.name) === file;
      if (wholeFile) {
        const why = [...(diagnostics.get(file) ?? []), ...(stderr.get(file) ?? []).map((l) => `stderr: ${l}`)];
        const error = event.data.details?.error;
        if (error?.exitCode != null || error?.signal)
          why.unshift(
            `the file's process ended with exit code ${error.exitCode}${error.signal ? `, signal ${error.signal}` : ''}`,
          );
        if (why.length > 0) failure += `\n      ${why.join('\n      ')}`;
        if (isNativeCrash(error?.signal, outOfMemory.has(file))) nativeCrashes.push(file);
      }
      mine.failures.push(failure);
    }
  }
  yield JSON.stringify({ ...sumFiles(byFile), fileMs, byFile, nativeCrashes });
}
