// The one way the fixed-rate benches (one-click, state query, inclusion proofs) report a run of
// pacedLoad (paced-load.mjs, the load generator): the table row, the no-error check, the p99/p50/rate
// figures and the server's CPU, and the loop over both stores.
import { cpuBound } from './cpu-of-run.mjs';
import { figure } from './figures.mjs';
import { serverFor } from './server.mjs';
import { round } from './stats.mjs';

export const CPU_COLUMNS = [
  'store',
  'answered/s',
  'server CPU ms/answer',
  'server (cores)',
  'server thread busy',
  'database thread busy (PGlite)',
  'head lock held',
  'load generator (cores)',
  'whole machine busy (cores)',
  'cores',
  'server CPU for the offered rate (cores)',
];

/**
 * The CPU row and figures of one fixed-rate run: whether the work is CPU-bound at that rate. The
 * server needs `serverMsPerAnswer × rate / 1000` cores to carry the rate; when the machine was busy
 * on every core, that is all it could get.
 */
export function cpuReport({ id, what, name, rate, r }) {
  const c = r.cpu;
  if (!c) return { row: undefined, note: undefined, figures: [] };
  const needed = c.serverMsPerAnswer === null ? null : (c.serverMsPerAnswer * rate) / 1000;
  const bound =
    needed === null
      ? `${name}: no answers, so no CPU per answer.`
      : `${name}: the server spent ${round(c.serverMsPerAnswer, 3)} ms of CPU per ${what} answer, so ${rate} req/s needs ${round(needed, 2)} cores for the server alone; during the run it got ${round(c.serverCores, 2)} cores, the load generator ${round(c.generatorCores, 2)}, and the whole machine (every process, others' included) was ${round(c.machineCores, 2)} of ${c.cores} cores busy${cpuBound(c) ? ': CPU-bound, the machine had no more to give' : ''}.${loopNote(c.serverLoopBusy)}${dbLoopNote(c.dbLoopBusy)}${lockNote(c.lockShare)}`;
  return {
    note: bound,
    row: [
      name,
      round(r.achievedRate),
      c.serverMsPerAnswer === null ? 'n/a' : round(c.serverMsPerAnswer, 3),
      round(c.serverCores, 2),
      c.serverLoopBusy === null ? 'n/a' : `${round(c.serverLoopBusy * 100)}%`,
      c.dbLoopBusy === null ? 'n/a' : `${round(c.dbLoopBusy * 100)}%`,
      c.lockShare === null ? 'n/a' : `${round(c.lockShare * 100)}%`,
      round(c.generatorCores, 2),
      round(c.machineCores, 2),
      c.cores,
      needed === null ? 'n/a' : round(needed, 2),
    ],
    figures: [
      figure({
        id: `${id}:serverCpuPerAnswer`,
        label: `${what}: server CPU per answer at ${rate} req/s offered, ${name}`,
        value: c.serverMsPerAnswer === null ? null : round(c.serverMsPerAnswer, 3),
        unit: 'ms',
      }),
      figure({
        id: `${id}:serverLoopBusy`,
        label: `${what}: the server's main thread busy during the run (event-loop utilisation), ${name}`,
        value: c.serverLoopBusy === null ? null : round(c.serverLoopBusy * 100),
        unit: '%',
      }),
      ...(c.dbLoopBusy === null
        ? []
        : [
            figure({
              id: `${id}:dbLoopBusy`,
              label: `${what}: the embedded database's own thread busy during the run (event-loop utilisation), ${name}`,
              value: round(c.dbLoopBusy * 100),
              unit: '%',
            }),
          ]),
      figure({
        id: `${id}:lockShare`,
        label: `${what}: the ledger's head lock held during the run (share of its time), ${name}`,
        value: c.lockShare === null ? null : round(c.lockShare * 100),
        unit: '%',
      }),
      figure({
        id: `${id}:machineBusy`,
        label: `${what}: whole machine busy during the run (of ${c.cores} cores), ${name}`,
        value: round(c.machineCores, 2),
        unit: 'cores',
      }),
    ],
  };
}

/**
 * What one thread says of the run: the server's main thread answers every request, PGlite's own
 * thread runs every statement, one at a time. Busy most of the run, work queues behind it and the
 * tail grows, however many other cores are idle.
 */
function threadNote(thread, busy, whenFull) {
  if (busy === null || busy === undefined) return '';
  const said = ` ${thread} was busy ${round(busy * 100)}% of the run: `;
  return said + (busy >= 0.8 ? whenFull : 'not saturated.');
}
const loopNote = (busy) =>
  threadNote(
    'Its main thread (event loop)',
    busy,
    'requests queued behind that one thread, which more cores do not lift; less CPU per answer on it, or a second server process, would.',
  );
const dbLoopNote = (busy) =>
  threadNote(
    "The embedded database's own thread",
    busy,
    'statements queued behind it (one connection), which more cores do not lift; fewer or cheaper statements per answer would.',
  );

/** The ledger's head lock: appends (and the answers that wait for them) are serial under it. */
function lockNote(share) {
  if (share === null || share === undefined) return '';
  return share >= 0.8
    ? ` The ledger's head lock was held ${round(share * 100)}% of the run: appends are serial under it, so answers that wait for one queued for the lock.`
    : ` The ledger's head lock was held ${round(share * 100)}% of the run.`;
}

/** A latency target is only met at the rate it names: a run that did not carry the rate fails it. */
const notAtRate = (f, carried) => (carried || f.met === null ? f : { ...f, met: false });

export const FIXED_RATE_COLUMNS = [
  'store',
  'offered/s',
  'answered/s',
  'requests',
  'p50',
  'p90',
  'p99',
  'max',
  'statuses',
  'errors',
];

/**
 * The row, check, notes and figures of one fixed-rate run, the same for every such bench.
 * @param {{ id: string, what: string, name: string, rate: number, r: Awaited<ReturnType<typeof import('./paced-load.mjs').pacedLoad>>,
 *   target?: { op: '<' | '<=', value: number, text: string } }} o
 */
export function fixedRateReport({ id, what, name, rate, r, target }) {
  const l = r.latencyMs;
  // Below 95% of the offered rate the server did not carry the load: p99 is then not "at" that rate.
  const carried = r.achievedRate >= rate * 0.95;
  const notes = [];
  if (!carried)
    notes.push(
      `${name}: ${what} answered ${round(r.achievedRate)} req/s of the ${rate} offered; its p99 is not at ${rate} req/s.`,
    );
  if (r.ok !== r.requests || r.errors > 0)
    notes.push(
      `${name}: ${r.requests - r.ok} of ${r.requests} answers were not 2xx/3xx (${JSON.stringify(r.statuses)}), ${r.errors} connection errors (${r.timeouts} timeouts).`,
    );
  return {
    row: [
      name,
      rate,
      round(r.achievedRate),
      r.requests,
      round(l.p50),
      round(l.p90),
      round(l.p99),
      round(l.max),
      JSON.stringify(r.statuses),
      r.errors,
    ],
    check: {
      what: `${name}: no error answers`,
      ok: r.ok === r.requests && r.errors === 0,
      detail: JSON.stringify(r.statuses),
    },
    notes,
    figures: [
      notAtRate(
        figure({
          id: `${id}:p99`,
          label: `${what} p99 at ${rate} req/s, ${name}${carried ? '' : ` (rate NOT carried: ${round(r.achievedRate)} req/s answered)`}`,
          value: round(l.p99),
          unit: 'ms',
          ...(target ? { target } : {}),
        }),
        carried,
      ),
      figure({ id: `${id}:p50`, label: `${what} p50 at ${rate} req/s, ${name}`, value: round(l.p50), unit: 'ms' }),
      figure({
        id: `${id}:rate`,
        label: `${what} answered per second (offered ${rate}), ${name}`,
        value: round(r.achievedRate),
        unit: 'req/s',
        // The issue's bar for carrying the load: 99% of what was offered (990 of 1,000 req/s).
        target: { op: '>=', value: rate * 0.99, text: `≥ ${rate * 0.99} req/s` },
      }),
    ],
  };
}

/**
 * One fixed-rate run per store (PostgreSQL, then PGlite), gathered into a bench's figures, table
 * rows, notes and checks: the loop every fixed-rate bench shares.
 * @param {object} ctx the bench context
 * @param {{ id: string, what: string, rate: number,
 *   target: (storeKind: 'postgres' | 'pglite') => { op: '<', value: number, text: string } | undefined,
 *   load: (server: Awaited<ReturnType<typeof serverFor>>['server'], storeKind: 'postgres' | 'pglite') =>
 *     Promise<Awaited<ReturnType<typeof import('./paced-load.mjs').pacedLoad>>> }} o
 */
export async function fixedRatePerStore(ctx, { id, what, rate, target, load }) {
  const gathered = { figures: [], rows: [], cpuRows: [], notes: [], checks: [] };
  for (const storeKind of /** @type {const} */ (['postgres', 'pglite'])) {
    const { server, release } = await serverFor(ctx, storeKind);
    try {
      const r = await load(server, storeKind);
      const name = storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite';
      const goal = target(storeKind);
      const report = fixedRateReport({
        id: `${id}:${storeKind}`,
        what,
        name,
        rate,
        r,
        ...(goal ? { target: goal } : {}),
      });
      gathered.rows.push(report.row);
      gathered.checks.push(report.check);
      gathered.notes.push(...report.notes);
      gathered.figures.push(...report.figures);
      const cpu = cpuReport({ id: `${id}:${storeKind}`, what, name, rate, r });
      if (cpu.row) gathered.cpuRows.push(cpu.row);
      if (cpu.note) gathered.notes.push(cpu.note);
      gathered.figures.push(...cpu.figures);
      ctx.log(`${name}: ${report.row.slice(2).join(' · ')}`);
    } finally {
      await release();
    }
  }
  return gathered;
}
