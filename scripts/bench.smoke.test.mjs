// `pnpm bench --smoke` as a Node test, so the benchmarks never rot: every bench must run in its
// tiny mode, report what it measured, and pass its own correctness checks (every request
// answered 2xx, every record accepted, verify said "ok"…). It asserts that the numbers are sane
// — finite, positive, ordered — never that they meet a target: these are benchmarks, not timed
// tests, and a smoke run on a busy CI machine measures nothing worth comparing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { BENCHES } from '../bench/benches/index.mjs';
import { renderMarkdown } from '../bench/lib/report.mjs';

const root = resolve(import.meta.dirname, '..');

function runSmoke(out) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [join(root, 'scripts/bench.mjs'), '--smoke', '--out', out], {
      cwd: root,
      env: process.env, // inside `pnpm test`, CONSENTKIT_TEST_PG_URL lends the smoke its PostgreSQL
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    child.on('exit', (code) => resolvePromise({ code, output }));
  });
}

test('pnpm bench --smoke runs every benchmark and reports sane figures', { timeout: 240_000 }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'consentkit-bench-smoke-test-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const started = performance.now();
  const { code, output } = await runSmoke(out);
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(`bench smoke took ${seconds.toFixed(1)} s`);
  assert.equal(code, 0, `pnpm bench --smoke failed:\n${output.slice(-6000)}`);

  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.equal(results.mode, 'smoke');
  assert.ok(results.machine.cores >= 1 && results.machine.memoryBytes > 0, 'machine info recorded');
  assert.match(results.machine.node, /^v\d+/);

  for (const { name } of BENCHES) {
    const bench = results.benches[name];
    assert.ok(bench, `${name}: no result`);
    assert.equal(bench.status, 'ok', `${name}: ${bench.status} ${bench.reason ?? ''}`);
    assert.ok(bench.figures.length > 0, `${name}: no figures`);
    // Every figure carries the load average around it, so a pessimistic one can be recognised.
    assert.ok(Number.isFinite(bench.loadAtStart) && bench.loadAtStart >= 0, `${name}: load average at start`);
    for (const f of bench.figures) assert.ok(Number.isFinite(f.loadAtEnd), `${name}/${f.id}: load average when taken`);
    for (const check of bench.checks ?? []) {
      assert.ok(check.ok, `${name}: check failed: ${check.what} ${check.detail ?? ''}`);
    }
    for (const f of bench.figures) {
      if (f.notMeasured) {
        assert.equal(typeof f.notMeasured, 'string', `${name}/${f.id}: a figure not measured says why`);
        continue;
      }
      assert.ok(Number.isFinite(f.value), `${name}/${f.id}: ${f.value} is not a number`);
      // Shares, growth deltas and long-task counts may be 0; only a figure that says it is a
      // difference of two noisy measurements (`signed`) may fall below it.
      if (!f.signed) assert.ok(f.value >= 0, `${name}/${f.id}: negative (${f.value})`);
      if (f.target) assert.equal(typeof f.met, 'boolean', `${name}/${f.id}: a target without a verdict`);
    }
  }

  const figure = (bench, id) => results.benches[bench].figures.find((f) => f.id === id)?.value;
  const dropInGz = figure('sizes', 'packages/widget/dist/consentkit.js:gzip');
  const dropInRaw = figure('sizes', 'packages/widget/dist/consentkit.js:raw');
  assert.ok(dropInGz > 1000 && dropInGz < dropInRaw, `drop-in gzip ${dropInGz} B vs raw ${dropInRaw} B`);
  assert.ok(figure('crypto', 'verifyRecord:EdDSA:1') > 0);
  assert.ok(figure('startup', 'startup:interactiveMs:widget') > 0);
  assert.ok(figure('startup', 'startup:scriptMs:floor') > 0);
  // The anchors load in the same run: every one reached its banner (the bench's check), and our
  // elements are compared with the best of them, against a target measured in that run.
  for (const ours of ['widget', 'optout']) {
    const compared = results.benches.startup.figures.find((f) => f.id === `startup:anchors:${ours}:interactive`);
    assert.ok(
      compared?.value > 0 && compared.target?.value > 0,
      `startup anchors ${ours}: ${JSON.stringify(compared)}`,
    );
  }
  for (const store of ['pglite', 'postgres']) {
    const p50 = figure('capture', `capture:${store}:p50`);
    const p99 = figure('capture', `capture:${store}:p99`);
    assert.ok(p50 > 0 && p50 <= p99, `capture ${store}: p50 ${p50} ≤ p99 ${p99}`);
    for (const batch of [1, 10, 100]) assert.ok(figure('ingest', `ingest:${store}:batch${batch}`) > 0);
    assert.ok(figure('unsubscribe', `unsubscribe:${store}:rate`) > 0);
    assert.ok(figure('state', `state:${store}:rate`) > 0);
  }
  assert.ok(figure('verify', 'verify:rate') > 0, 'verify walked the ledger');
  assert.ok(figure('transparency', 'transparency:root-rate') > 0, 'the root was recomputed');
  assert.ok(figure('transparency', 'transparency:verify-rate') > 0, 'consentkit verify walked the log');
  const serialP50 = figure('transparency', 'transparency:inclusion-serial:p50');
  const serialP99 = figure('transparency', 'transparency:inclusion-serial:p99');
  assert.ok(serialP50 > 0 && serialP50 <= serialP99, `inclusion one at a time: p50 ${serialP50} ≤ p99 ${serialP99}`);
  // The report's target rows name the load average of the run that produced each figure.
  const targetRow = renderMarkdown(results)
    .split('\n')
    .find((line) => line.startsWith('| ingest |'));
  assert.match(targetRow ?? '', /\| \d+(\.\d+)? → \d+(\.\d+)? \|$/, `load column in the target row: ${targetRow}`);
  // A share is the union of the intervals of one kind of call, so it can never pass the wall time.
  for (const f of results.benches.ingest.figures.filter((x) => x.id.includes(':share:')))
    assert.ok(f.value <= 100, `${f.id}: a share of ${f.value}%`);
});

test('pnpm bench answers --help, and a wrong argument with its usage instead of a stack trace', () => {
  const run = (arg) =>
    spawnSync(process.execPath, [join(root, 'scripts/bench.mjs'), arg], { cwd: root, encoding: 'utf8' });
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: pnpm bench/);
  const wrong = run('--smokey');
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /unknown argument --smokey\nusage: pnpm bench/);
  assert.doesNotMatch(wrong.stderr, /\n\s+at /, 'no stack trace');
});
