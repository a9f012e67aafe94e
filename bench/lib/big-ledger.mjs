// Grows a bench server's ledger to a number of entries with the fast generator (ledger-gen.mjs),
// in steps so no single request runs for minutes, keeping a sample of the people it created.
import { createDatabase } from './postgres.mjs';
import { startBenchServer } from './server.mjs';

export async function entryCount(server) {
  const [{ n }] = await server.call('/__bench/sql', { sql: 'SELECT count(*)::int AS n FROM ledger_entries' });
  return n;
}

/**
 * With `stopAt` (a performance.now() time), stops before a step it expects to finish later than
 * that, at the rate the previous steps ran: `reached` then says the target was not reached.
 * @returns {Promise<{ entries: number, refs: string[], seconds: number, rate: number, reached: boolean }>}
 */
export async function growLedger(server, target, { step = 50_000, refsPerStep = 2000, log = () => {}, stopAt } = {}) {
  let entries = await entryCount(server);
  const refs = [];
  const started = performance.now();
  let generated = 0;
  let rate = Number.NaN;
  while (entries < target) {
    const count = Math.min(step, target - entries);
    if (stopAt !== undefined && Number.isFinite(rate) && performance.now() + (count / rate) * 1000 > stopAt) {
      log(
        `stopping at ${entries.toLocaleString('en-US')} entries: the next ${count.toLocaleString('en-US')} would overrun the time budget at ${Math.round(rate)} entries/s`,
      );
      break;
    }
    const r = await server.call('/__bench/generate', { count, returnRefs: refsPerStep });
    refs.push(...r.refs);
    entries = r.entries;
    generated += count;
    rate = generated / ((performance.now() - started) / 1000);
    log(`${entries.toLocaleString('en-US')} entries (${Math.round(count / r.seconds)} entries/s generated)`);
  }
  return { entries, refs, seconds: (performance.now() - started) / 1000, rate, reached: entries >= target };
}

/**
 * A PostgreSQL ledger of `entries` of its own (dropped at the run's end), for a bench run alone,
 * without the one growth leaves: grown in 100,000-entry steps, stopping before `stopAt`.
 */
export async function benchLedger(ctx, prefix, entries, stopAt) {
  const db = await createDatabase(prefix);
  ctx.cleanups.push(db.drop);
  const server = await startBenchServer({ store: 'postgres', databaseUrl: db.url });
  try {
    const grown = await growLedger(server, entries, { step: 100_000, log: (line) => ctx.log(line), stopAt });
    return { databaseUrl: db.url, entries: grown.entries };
  } finally {
    await server.stop();
  }
}
