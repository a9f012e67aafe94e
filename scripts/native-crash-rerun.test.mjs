// `pnpm test` runs a Node test file once more when the runtime itself killed it (V8 aborting,
// glibc finding its heap corrupted: testing/native-crash.mjs), and only then: an ordinary failure,
// a process killed otherwise, one out of memory, or a second crash stands.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..');
/** Writes `text` as the runtime would, then dies of `signal`. */
const die = (text, signal) =>
  `process.stderr.write(${JSON.stringify(text)}, () => process.kill(process.pid, '${signal}')); await new Promise(() => {});`;
const V8_ABORT = '#\n# Fatal error in , line 0\n# Check failed: planted.\n#\n';
const HEAP_CORRUPTED = 'corrupted size vs. prev_size\n';
const OUT_OF_MEMORY = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n';

test('a file the runtime crashed once is re-run and counted from its second run; other failures are not re-run', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-crash-rerun-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const plant = (name, body) =>
    writeFileSync(
      join(dir, name),
      `import { existsSync, writeFileSync } from 'node:fs';\nimport { test } from 'node:test';\n${body}\n`,
    );
  const once = (name, text, signal) => {
    const marker = JSON.stringify(join(dir, `${name}.crashed`));
    plant(
      name,
      `test('first', () => {});\ntest('second', async () => {\n  if (!existsSync(${marker})) { writeFileSync(${marker}, ''); ${die(text, signal)} }\n});`,
    );
  };
  once('v8-once.test.mjs', V8_ABORT, 'SIGTRAP');
  once('heap-once.test.mjs', HEAP_CORRUPTED, 'SIGABRT');
  plant('crash-always.test.mjs', `test('dies', async () => { ${die(V8_ABORT, 'SIGTRAP')} });`);
  plant('killed.test.mjs', `test('killed', async () => { ${die('', 'SIGKILL')} });`);
  plant('oom.test.mjs', `test('out of memory', async () => { ${die(OUT_OF_MEMORY, 'SIGABRT')} });`);
  plant('fails.test.mjs', "test('fails', () => { throw new Error('a real failure'); });");
  plant('fine.test.mjs', "test('passes', () => {});");

  const run = spawnSync(process.execPath, [join(root, 'scripts/test.mjs'), '--node', '--no-postgres', dir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_TEST_CONTEXT: undefined },
  });
  const out = run.stdout;
  assert.equal(run.status, 1, out);
  const rerunPart = out.slice(out.indexOf('Re-run after the runtime crashed'), out.indexOf('Failed:'));
  assert.match(rerunPart, /v8-once\.test\.mjs: the runtime crashed; on its second run 2 passed, 0 failed/);
  assert.match(rerunPart, /heap-once\.test\.mjs: the runtime crashed; on its second run 2 passed, 0 failed/);
  assert.match(rerunPart, /crash-always\.test\.mjs: the runtime crashed; on its second run 0 passed, 1 failed/);
  assert.doesNotMatch(rerunPart, /killed|oom|fails\.test|fine\.test/, 'only the runtime crashing is re-run');
  // v8-once's and heap-once's two tests each, fine's one; the other four fail once each.
  assert.match(out, /\n5 passed, 4 failed\n/);
  const failed = out.slice(out.indexOf('Failed:'));
  for (const name of ['crash-always', 'killed', 'oom']) assert.match(failed, new RegExp(`${name}\\.test\\.mjs`));
  assert.match(failed, /fails\.test\.mjs › fails/);
  assert.doesNotMatch(failed, /v8-once|heap-once/);
});
