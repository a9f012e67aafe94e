#!/usr/bin/env node
// `pnpm test`: Node tests (node:test, via tsx against the TypeScript sources) and browser tests
// (web-test-runner in Chromium and Firefox ESR), then one plain summary line:
//   N passed, N failed, N skipped
// Usage: node scripts/test.mjs [--node] [--browser] [--group core|sdk|widget|admin] [paths...]
// Paths (files or folders) narrow the Node run; --group narrows the browser run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireBrowsers } from './testing/browsers.mjs';
import { sumFiles } from './testing/count-reporter.mjs';
import { onlyNativeCrashes } from './testing/native-crash.mjs';
import { NODE_TEST_LOADER } from './testing/node-loader.mjs';
import { startThrowawayPostgres } from './testing/postgres.mjs';

const root = resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const groupIndex = argv.indexOf('--group');
const group = groupIndex >= 0 ? argv[groupIndex + 1] : undefined;
const paths = argv.filter((a, i) => !a.startsWith('--') && !(groupIndex >= 0 && i === groupIndex + 1));
const runNode = flag('--node') || !flag('--browser');
const runBrowser = flag('--browser') || (!flag('--node') && paths.length === 0);

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'coverage']);
function collect(dir, out = []) {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) return out;
  if (stat.isFile()) {
    out.push(dir);
    return out;
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) collect(full, out);
    else if (/\.test\.(ts|mjs)$/.test(entry.name) && !/\.browser\.test\.ts$/.test(entry.name)) out.push(full);
  }
  return out;
}

function run(cmd, args, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolvePromise(signal ? 1 : (code ?? 1)));
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'consentkit-test-'));
const totals = { passed: 0, failed: 0, skipped: 0, failures: [], fileMs: {} };
const problems = [];
async function writePgliteTemplate(file) {
  const from = createRequire(join(root, 'packages/server/package.json'));
  const { PGlite } = await import(pathToFileURL(from.resolve('@electric-sql/pglite')).href);
  const db = await PGlite.create();
  writeFileSync(file, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
  await db.close();
}

function readCounts(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
function addCounts(counts, label) {
  if (!counts) {
    problems.push(`${label}: the runner ended without reporting results`);
    return;
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  totals.failures.push(...counts.failures);
  Object.assign(totals.fileMs, counts.fileMs ?? {});
}
/** Files run a second time because the runtime crashed in their first run, and how that went. */
const rerun = [];

let postgres;
try {
  if (runBrowser) requireBrowsers(); // fail at once, before anything slow, if a browser is missing

  if (runNode) {
    const roots =
      paths.length > 0 ? paths.map((p) => resolve(p)) : ['packages', 'examples', 'scripts'].map((p) => join(root, p));
    const files = roots
      .flatMap((p) => collect(p))
      .map((f) => relative(root, f))
      .sort();
    if (files.length > 0) {
      // One throwaway PostgreSQL for the whole run; each suite makes its own database in it.
      if (!process.env.DATABASE_URL && !flag('--no-postgres')) {
        postgres = await startThrowawayPostgres();
        console.log(`[test] throwaway PostgreSQL on port ${postgres.port}`);
      }
      // One booted, empty PGlite for every process's in-memory stores (test-support/server/stores.ts).
      const pgliteTemplate = join(tmp, 'pglite-template.tar');
      await writePgliteTemplate(pgliteTemplate);
      const nodeRun = async (runFiles, countsFile) => ({
        code: await run(
          process.execPath,
          [
            ...NODE_TEST_LOADER,
            '--test',
            '--test-concurrency=2',
            // The soak sizes (20 crashes, long fault runs) outlast CI's five minutes per file.
            `--test-timeout=${process.env.CONSENTKIT_SOAK === '1' ? 1_800_000 : 300_000}`,
            '--test-reporter=spec',
            '--test-reporter-destination=stdout',
            '--test-reporter=./scripts/testing/count-reporter.mjs',
            `--test-reporter-destination=${countsFile}`,
            ...runFiles,
          ],
          {
            ...(postgres ? { CONSENTKIT_TEST_PG_URL: postgres.url } : {}),
            CONSENTKIT_TEST_PGLITE_TEMPLATE: pgliteTemplate,
            NODE_ENV: 'test',
          },
        ),
        counts: readCounts(countsFile),
      });
      const first = await nodeRun(files, join(tmp, 'node.json'));
      let code = first.code;
      let counts = first.counts;
      // A file whose process the runtime itself killed (testing/native-crash.mjs) runs once more,
      // and its second results replace its first; a second crash, or any other failure, stands.
      const crashed = [...new Set(counts?.nativeCrashes ?? [])];
      if (counts && crashed.length > 0 && crashed.length <= 3) {
        console.log(`\n[test] the runtime crashed in ${crashed.length} file(s); running them once more:`);
        for (const file of crashed) console.log(`  ${relative(root, file)}`);
        const again = await nodeRun(crashed, join(tmp, 'node-again.json'));
        if (again.counts) {
          const byFile = { ...counts.byFile };
          for (const file of crashed) {
            const now = again.counts.byFile[file] ?? { passed: 0, failed: 0, skipped: 0, failures: [] };
            byFile[file] = now;
            rerun.push(
              `${relative(root, file)}: the runtime crashed; on its second run ${now.passed} passed, ${now.failed} failed`,
            );
          }
          // The first run's exit code stood for its failures; if they were only crashes, the re-run's stands.
          if (onlyNativeCrashes(counts)) code = again.code;
          counts = { ...counts, ...sumFiles(byFile), byFile };
        }
      }
      addCounts(counts, 'node');
      if (code !== 0 && totals.failed === 0) problems.push(`node tests exited with code ${code}`);
    }
  }

  if (runBrowser) {
    const browserCounts = join(tmp, 'browser.json');
    const wtr = join(root, 'node_modules', '@web', 'test-runner', 'dist', 'bin.js');
    const code = await run(
      process.execPath,
      [wtr, '--config', 'web-test-runner.config.mjs', ...(group ? ['--group', group] : [])],
      {
        CONSENTKIT_WTR_COUNTS: browserCounts,
      },
    );
    addCounts(readCounts(browserCounts), 'browser');
    if (code !== 0 && totals.failed === 0) problems.push(`browser tests exited with code ${code}`);
  }
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
} finally {
  await postgres?.stop();
  rmSync(tmp, { recursive: true, force: true });
}

// CI has 30 minutes on 2 cores: the slowest files say where its time goes.
const slowest = Object.entries(totals.fileMs)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 12);
if (slowest.length > 1) {
  console.log('\nSlowest node test files (their top-level tests, s):');
  for (const [file, ms] of slowest) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)}  ${relative(root, file)}`);
}
if (rerun.length > 0) {
  console.log('\nRe-run after the runtime crashed (testing/native-crash.mjs; counted from the second run):');
  for (const line of rerun) console.log(`  ${line}`);
}
if (totals.failures.length > 0) {
  console.log('\nFailed:');
  for (const f of totals.failures) console.log(`  ✗ ${f}`);
}
for (const p of problems) console.error(`\n${p}`);
if (totals.passed + totals.failed === 0 && problems.length === 0) problems.push('no test ran');
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 || problems.length > 0 ? 1 : 0);
