// Runs `consentkit verify` — the CLI's own entry function, runCli(['verify']), configured from
// the environment exactly like `pnpm consentkit verify` — and reports its progress so a walk that
// outlasts the bench's time budget still yields a rate and a memory trend.
//
// Progress comes from watching the driver, not from changing the CLI: every page the verifier
// reads is one `SELECT … FROM ledger_entries WHERE seq > $1` through `pg`, whose Client.query we
// observe (the same module instance the server's store uses). One line per page on stdout:
//   PROGRESS <after-seq> <ms since start> <rss bytes> <heap used bytes> <retained heap bytes | -1>
// Every 10th page the heap is measured after a forced GC (the child runs with --expose-gc): what
// survives a GC is what the walk keeps, so its growth per entry says whether verify streams.
import { importFrom, src } from './paths.mjs';

const started = performance.now();
const { default: pg } = await importFrom('packages/server', 'pg');
const query = pg.Client.prototype.query;
let pages = 0;
pg.Client.prototype.query = function observed(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  if (typeof text === 'string' && /FROM ledger_entries WHERE seq > \$1/.test(text)) {
    const after = (typeof config === 'object' && config.values ? config.values : values)?.[0];
    const { rss, heapUsed } = process.memoryUsage();
    let retained = -1;
    if (pages++ % 10 === 0 && typeof globalThis.gc === 'function') {
      globalThis.gc();
      retained = process.memoryUsage().heapUsed;
    }
    process.stdout.write(
      `PROGRESS ${after} ${Math.round(performance.now() - started)} ${rss} ${heapUsed} ${retained}\n`,
    );
  }
  return query.call(this, config, values, callback);
};

const { runCli } = await import(src('packages/server/src/cli/consentkit.ts'));
const code = await runCli(['verify', ...JSON.parse(process.env.VERIFY_ARGS ?? '[]')], {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exit(code);
