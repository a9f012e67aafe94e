// `pnpm test` runs a Node test file once more when V8 itself aborted it (a known V8 fault with
// PGlite's WebAssembly), and only then: an ordinary failure, or a process killed without V8's
// fatal error, stands; so does a second crash.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..');
// What V8 prints when a CHECK fails, then the signal it dies of.
const v8Abort =
  "process.stderr.write('#\\n# Fatal error in , line 0\\n# Check failed: planted.\\n#\\n', () => process.kill(process.pid, 'SIGTRAP'));";

test('a file V8 aborted once is re-run and counted from its second run; other failures are not re-run', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-v8-rerun-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const marker = JSON.stringify(join(dir, 'crashed-once'));
  const plant = (name, body) =>
    writeFileSync(
      join(dir, name),
      `import { existsSync, writeFileSync } from 'node:fs';\nimport { test } from 'node:test';\n${body}\n`,
    );
  plant(
    'crash-once.test.mjs',
    `test('first', () => {});\ntest('second', async () => {\n  if (!existsSync(${marker})) { writeFileSync(${marker}, ''); ${v8Abort} await new Promise(() => {}); }\n});`,
  );
  plant('crash-always.test.mjs', `test('dies', async () => { ${v8Abort} await new Promise(() => {}); });`);
  plant(
    'killed.test.mjs',
    "test('killed without a V8 error', async () => { process.kill(process.pid, 'SIGTRAP'); await new Promise(() => {}); });",
  );
  plant('fails.test.mjs', "test('fails', () => { throw new Error('a real failure'); });");
  plant('fine.test.mjs', "test('passes', () => {});");

  const run = spawnSync(process.execPath, [join(root, 'scripts/test.mjs'), '--node', '--no-postgres', dir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_TEST_CONTEXT: undefined },
  });
  const out = run.stdout;
  assert.equal(run.status, 1, out);
  const rerunPart = out.slice(out.indexOf('Re-run after V8 aborted'));
  assert.match(rerunPart, /crash-once\.test\.mjs: V8 aborted it; on its second run 2 passed, 0 failed/);
  assert.match(rerunPart, /crash-always\.test\.mjs: V8 aborted it; on its second run 0 passed, 1 failed/);
  assert.doesNotMatch(rerunPart.split('Failed:')[0], /killed|fails\.test|fine\.test/, 'only V8 aborts are re-run');
  // crash-once's two tests, fine's one; crash-always, killed and fails fail once each.
  assert.match(out, /\n3 passed, 3 failed\n/);
  const failed = out.slice(out.indexOf('Failed:'));
  assert.match(failed, /crash-always\.test\.mjs/);
  assert.match(failed, /killed\.test\.mjs/);
  assert.match(failed, /fails\.test\.mjs › fails/);
  assert.doesNotMatch(failed, /crash-once/);
});
