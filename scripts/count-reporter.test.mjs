// The node test summary names why a file failed as a whole: CI shows only the end of its log, and
// "test failed" with no test named cost a stop its diagnosis once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..');

test('a file that fails after its tests ended is reported with its exit code, the error and its stack', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-count-reporter-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'late.test.mjs'),
    "import { test } from 'node:test';\ntest('passes', () => {});\nsetTimeout(function lateWork() { Promise.reject(new Error('rejected late')); }, 50);\n",
  );
  writeFileSync(join(dir, 'fine.test.mjs'), "import { test } from 'node:test';\ntest('passes', () => {});\n");
  const out = join(dir, 'counts.json');
  spawnSync(
    process.execPath,
    [
      '--import',
      join(root, 'scripts/testing/node-globals.mjs'),
      '--test',
      `--test-reporter=${join(root, 'scripts/testing/count-reporter.mjs')}`,
      `--test-reporter-destination=${out}`,
      join(dir, 'late.test.mjs'),
      join(dir, 'fine.test.mjs'),
    ],
    // Without NODE_TEST_CONTEXT: inside a test run it would make this a child of that run.
    { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
  );
  const counts = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(counts.passed, 2);
  assert.equal(counts.failed, 1);
  const [failure] = counts.failures;
  assert.match(failure, /late\.test\.mjs › \S*late\.test\.mjs/);
  assert.match(failure, /exit code 1/);
  assert.match(failure, /rejected late/);
  assert.match(failure, /stderr: +at (Timeout\.)?lateWork/, 'the stack of the late rejection');
});
