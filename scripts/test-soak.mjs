#!/usr/bin/env node
// `pnpm test:soak`: the long forms of the reliability and security suites. The same
// test files `pnpm test` runs CI-sized, through scripts/test.mjs, with larger sizes:
//   CONSENTKIT_FUZZ_RUNS   cases per fuzz property (CI: 1,000 for core in Node, 150 server-side, 300 in browsers)
//   CONSENTKIT_CRASH_KILLS kill -9 rounds per store (CI: 3)
//   CONSENTKIT_SOAK=1      suites CI leaves out for time (the tamper suite on PGlite)
//   CONSENTKIT_FAULT_CAPTURES browser captures under faults per browser (CI: 14)
// Usage: node scripts/test-soak.mjs [--runs N] [--kills N] [--captures N] [--browser]
// Values already set in the environment win over the defaults below; flags win over both.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

// The soak run's bar: at least 10,000 generated cases per fuzz target.
const runs = option('--runs') ?? process.env.CONSENTKIT_FUZZ_RUNS ?? '10000';
const kills = option('--kills') ?? process.env.CONSENTKIT_CRASH_KILLS ?? '20';
// Four rounds of the seven client faults (examples/e2e/support/clients-under-faults.ts): each
// browser's file must finish within scripts/test.mjs's 300 s per-file timeout, drop-in build included.
const captures = option('--captures') ?? process.env.CONSENTKIT_FAULT_CAPTURES ?? '28';
// CONSENTKIT_SOAK turns on what CI leaves to the soak run (the tamper suite on PGlite).
const env = {
  ...process.env,
  CONSENTKIT_FUZZ_RUNS: runs,
  CONSENTKIT_CRASH_KILLS: kills,
  CONSENTKIT_FAULT_CAPTURES: captures,
  CONSENTKIT_SOAK: '1',
};

function run(args) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'scripts/test.mjs'), ...args], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => done(signal ? 1 : (code ?? 1)));
  });
}

const started = Date.now();
console.log(
  `[soak] ${runs} cases per fuzz property, ${kills} kill -9 rounds per store, ${captures} browser captures under faults`,
);
const results = [];
// Core fuzzing in Node needs no database. The fuzz tests sit beside the code they fuzz.
const coreFuzz = readdirSync(join(root, 'packages/core/src'))
  .filter((f) => f.endsWith('.fuzz.test.ts'))
  .map((f) => `packages/core/src/${f}`);
results.push(await run(['--node', '--no-postgres', ...coreFuzz]));
// Server security and reliability suites with the throwaway PostgreSQL, and the bundle scan.
results.push(
  await run([
    '--node',
    'packages/server/test/security',
    'packages/server/test/reliability',
    'scripts/secret-scan.test.mjs',
  ]),
);
// Real browsers against the real server while the network and the server fail (PGlite store).
results.push(
  await run([
    '--node',
    '--no-postgres',
    'examples/e2e/clients-under-faults-chromium.test.ts',
    'examples/e2e/clients-under-faults-firefox.test.ts',
  ]),
);
// Browsers read no environment; their fuzz size stays CI-sized unless a page sets the global.
if (argv.includes('--browser')) results.push(await run(['--browser', '--group', 'core']));

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
const failed = results.filter((code) => code !== 0).length;
console.log(`[soak] ${results.length - failed} of ${results.length} runs passed in ${minutes} min`);
process.exit(failed > 0 ? 1 : 0);
