// Runs `consentkit verify` — the CLI's own entry function, runCli(['verify']), configured from
// the environment exactly like `pnpm consentkit verify` — and reports its progress so a walk that
// outlasts the bench's time budget still yields a rate and a memory trend.
//
// Progress comes from the CLI's own progress bar, not from changing the CLI: the child gives
// runCli a terminal, and each redraw ("\r<label> [##--] 42% <done>/<total>", after each page or,
// on PostgreSQL, each worker range: verify's workers read the rows over connections of their own,
// which this thread never sees) is one line on stdout:
//   PROGRESS <entries checked> <ms since start> <rss bytes> <heap used bytes> <retained heap bytes | -1>
// Every 10th line the heap is measured after a forced GC (the child runs with --expose-gc): what
// survives a GC is what the walk keeps, so its growth per entry says whether verify streams.
import { src } from './paths.mjs';

const started = performance.now();
let lines = 0;
let lastDone = -1;
const terminal = {
  write(text) {
    const m = /(\d+)\/\d+\s*$/.exec(text);
    if (!m || Number(m[1]) === lastDone) return;
    lastDone = Number(m[1]);
    const { rss, heapUsed } = process.memoryUsage();
    let retained = -1;
    if (lines++ % 10 === 0 && typeof globalThis.gc === 'function') {
      globalThis.gc();
      retained = process.memoryUsage().heapUsed;
    }
    process.stdout.write(
      `PROGRESS ${lastDone} ${Math.round(performance.now() - started)} ${rss} ${heapUsed} ${retained}\n`,
    );
  },
  confirm: async () => false,
};

const { runCli } = await import(src('packages/server/src/cli/consentkit.ts'));
const code = await runCli(['verify', ...JSON.parse(process.env.VERIFY_ARGS ?? '[]')], {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  terminal,
});
process.exit(code);
