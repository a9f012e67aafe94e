// The benchmark runner behind `pnpm bench` (scripts/bench.mjs starts it under tsx so the
// workspace's TypeScript sources load unbuilt). Runs each bench in order, in one process, and
// writes bench/results.json and docs/benchmarks.md (+ docs/benchmarks.svg).
//
//   --smoke        every bench in its tiny mode (seconds): proves the benches still run; the
//                  numbers mean nothing and are written to a temporary folder, not the docs
//   --only a,b     run only these benches (a full run's other results are kept)
//   --out <dir>    where results.json goes (default bench/, or a temp folder for --smoke); with
//                  --out the docs are not rewritten
//   --list         print the bench names
//
// Environment: CONSENTKIT_BENCH_BUDGET_S (default 840: the run's deadline, which growth and verify
// respect), CONSENTKIT_BENCH_LEDGER_ENTRIES (default 1,000,000: the largest ledger, smaller to try
// the harness), CONSENTKIT_BENCH_VERIFY_CAP_S (default 180: the longest a verify walk may run).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCHES } from './benches/index.mjs';
import { loadNow } from './lib/figures.mjs';
import { machineInfo } from './lib/machine.mjs';
import { ROOT } from './lib/paths.mjs';
import { stopPostgres } from './lib/postgres.mjs';
import { writeReport } from './lib/report.mjs';

const USAGE = `usage: pnpm bench [--smoke] [--only a,b] [--out <dir>] [--list]
  --smoke      every bench in its tiny mode: proves the benches run; numbers go to a temp folder
  --only a,b   run only these benches (see --list); a full run's other results are kept
  --out <dir>  write results.json there instead of bench/ (the docs are then not rewritten)
  --list       print the bench names`;

function parseArgs(argv) {
  const args = { smoke: false, only: undefined, out: undefined, list: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--smoke') args.smoke = true;
    else if (a === '--list') args.list = true;
    else if (a === '--help' || a === '-h') args.help = true;
    else if (a === '--only') args.only = new Set(argv[++i]?.split(','));
    else if (a.startsWith('--only=')) args.only = new Set(a.slice(7).split(','));
    else if (a === '--out') args.out = argv[++i];
    else return { ...args, wrong: a };
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.wrong !== undefined) {
  console.error(`unknown argument ${args.wrong}\n${USAGE}`);
  process.exit(2);
}
if (args.list) {
  for (const b of BENCHES) console.log(`${b.name.padEnd(12)} ${b.title}`);
  process.exit(0);
}
const unknown = [...(args.only ?? [])].filter((name) => !BENCHES.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; one of ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const outDir = args.out ?? (args.smoke ? mkdtempSync(join(tmpdir(), 'consentkit-bench-smoke-')) : join(ROOT, 'bench'));
mkdirSync(outDir, { recursive: true });
const resultsFile = join(outDir, 'results.json');
const startedAt = new Date();
const runStarted = performance.now();
const log = (line) => console.log(`[bench] ${line}`);

// A partial (--only) full run updates the other benches' results in place.
let previous;
if (args.only && !args.smoke) {
  try {
    previous = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch {}
}

const results = {
  generatedAt: startedAt.toISOString(),
  mode: args.smoke ? 'smoke' : 'full',
  machine: machineInfo(),
  benches: { ...(previous?.mode === 'full' ? previous.benches : {}) },
};

/** What every bench gets: the mode, a logger, and a place to share expensive setup (the 1M ledger). */
// staticDir: files the bench servers serve under /bench/ (the capture page).
const staticDir = mkdtempSync(join(tmpdir(), 'consentkit-bench-static-'));
// deadline: the whole run must fit in 15 minutes on this machine; benches that could
// overrun (the million-entry ledger) check it and report what they could not measure instead.
const budgetS = Number(process.env.CONSENTKIT_BENCH_BUDGET_S ?? 14 * 60);
const deadline = performance.now() + budgetS * 1000;
const ctx = { smoke: args.smoke, log, shared: new Map(), cleanups: [], staticDir, deadline };

// Interrupted (Ctrl-C, SIGTERM): stop the server children, the databases and the cluster we
// started, so nothing is left running.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    const { running } = await import('./lib/server.mjs');
    for (const child of running) child.kill('SIGKILL');
    for (const cleanup of ctx.cleanups.reverse()) await cleanup().catch(() => {});
    await stopPostgres().catch(() => {});
    rmSync(staticDir, { recursive: true, force: true });
    process.exit(130);
  });
}
// The smoke's numbers do not matter, its time does: start the two shared ledger servers now, while
// the browser-only benches run, instead of one after the other later.
const SERVER_BENCHES = ['capture', 'ingest', 'unsubscribe', 'state', 'senders', 'growth'];
if (args.smoke && (!args.only || SERVER_BENCHES.some((name) => args.only.has(name)))) {
  const { serverFor } = await import('./lib/server.mjs');
  for (const kind of ['pglite', 'postgres']) serverFor(ctx, kind).catch(() => {});
}
let failed = 0;
for (const bench of BENCHES) {
  if (args.only && !args.only.has(bench.name)) continue;
  const started = performance.now();
  const loadAtStart = loadNow();
  log(`${bench.name}: ${bench.title}${args.smoke ? ' (smoke)' : ''} (load average ${loadAtStart})`);
  let entry;
  try {
    const mod = await import(new URL(`./benches/${bench.module.slice(2)}`, import.meta.url).href);
    const out = await mod.run({ ...ctx, log: (line) => log(`  ${bench.name}: ${line}`) });
    entry = { title: bench.title, status: out.status ?? 'ok', ...out };
  } catch (error) {
    failed++;
    console.error(error);
    entry = {
      title: bench.title,
      status: 'failed',
      reason: error instanceof Error ? error.message.split('\n')[0] : String(error),
      figures: [],
    };
  }
  entry.seconds = Math.round((performance.now() - started) / 100) / 10;
  entry.loadAtStart = loadAtStart;
  entry.loadAtEnd = loadNow();
  entry.measuredAt = new Date().toISOString();
  results.benches[bench.name] = entry;
  log(`${bench.name}: ${entry.status} in ${entry.seconds} s`);
  for (const check of entry.checks ?? []) {
    if (!check.ok) log(`  CHECK FAILED: ${check.what}${check.detail ? ` (${check.detail})` : ''}`);
  }
  for (const f of entry.figures ?? []) {
    const verdict = f.met === true ? 'met' : f.met === false ? 'NOT met' : '';
    const value = f.notMeasured ? `not measured: ${f.notMeasured}` : `${f.value} ${f.unit}`;
    log(`  ${f.label}: ${value}${f.target ? ` (target ${f.target.text}) ${verdict}` : ''}`);
  }
}
for (const cleanup of ctx.cleanups.reverse()) await cleanup().catch((e) => console.error(e));
await stopPostgres();
rmSync(staticDir, { recursive: true, force: true });

results.seconds = Math.round((performance.now() - runStarted) / 1000);
if (previous?.mode === 'full') {
  // A partial run keeps the other benches' results: say which run measured what.
  results.fullRun = previous.fullRun ?? { generatedAt: previous.generatedAt, seconds: previous.seconds };
  results.rerun = [...args.only];
} else if (!args.smoke) {
  results.fullRun = { generatedAt: results.generatedAt, seconds: results.seconds };
}
results.machine.loadAverageAtEnd = loadavg().map((v) => Math.round(v * 100) / 100);
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
log(`results: ${resultsFile}`);
// The docs describe the repository's own results only, never a run written elsewhere (--out).
if (!args.smoke && !args.out) {
  const written = writeReport(results, { docsDir: join(ROOT, 'docs') });
  for (const file of written) log(`report: ${file}`);
}
log(`done in ${results.seconds} s${failed ? `, ${failed} bench(es) failed` : ''}`);
process.exit(failed > 0 ? 1 : 0);
