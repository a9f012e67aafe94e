// Fixed-rate HTTP load with autocannon (npm), and the one way the fixed-rate benches (one-click,
// state query) report it. autocannon holds `overallRate` across keep-alive connections and, with
// a rate set, corrects its latencies for coordinated omission (a stalled server shows up in the
// percentiles instead of slowing the generator down). It runs in the bench process; the server
// is a child process, so they share the two cores but not an event loop.
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { figure } from './figures.mjs';
import { serverFor } from './server.mjs';
import { round } from './stats.mjs';

const VERSION = createRequire(import.meta.url)('autocannon/package.json').version;

/**
 * `amount` (smoke runs) sends that many requests at the rate and waits for every answer instead of
 * running for `durationMs`: on a loaded machine a timed second can end with nothing answered,
 * which would fail the smoke for the machine's load rather than for the bench.
 * @param {{ url: string, rate: number, durationMs: number, warmupMs?: number, connections?: number, amount?: number,
 *   request: (i: number) => { method?: string, path: string, headers?: Record<string,string>, body?: string } }} options
 */
export async function fixedRateLoad(options) {
  const { rate, durationMs, request } = options;
  // Enough connections that the rate never waits on a free one at the target latency.
  const connections = options.connections ?? 50;
  let next = 0;
  const run = (ms) =>
    new Promise((resolve, reject) => {
      const instance = autocannon(
        {
          url: options.url,
          connections,
          overallRate: rate,
          ...(options.amount ? { amount: options.amount, timeout: 120 } : { duration: ms / 1000, timeout: 10 }),
          requests: [
            {
              setupRequest: (req) => {
                const spec = request(next++);
                return {
                  ...req,
                  method: spec.method ?? 'GET',
                  path: spec.path,
                  headers: { ...(spec.headers ?? {}) },
                  ...(spec.body === undefined ? {} : { body: spec.body }),
                };
              },
            },
          ],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
      autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
    });
  if (options.warmupMs && !options.amount) await run(options.warmupMs);
  const r = await run(durationMs);
  const statuses = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = Number(count);
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
  const ok = Object.entries(statuses)
    .filter(([code]) => Number(code) < 400)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    generator: `autocannon ${VERSION}`,
    offeredRate: rate,
    requests: answered,
    achievedRate: answered / r.duration,
    ok,
    errors: r.errors,
    timeouts: r.timeouts,
    statuses,
    connections,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
  };
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
 * @param {{ id: string, what: string, name: string, rate: number, r: Awaited<ReturnType<typeof fixedRateLoad>>,
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
 *     Promise<Awaited<ReturnType<typeof fixedRateLoad>>> }} o
 */
export async function fixedRatePerStore(ctx, { id, what, rate, target, load }) {
  const gathered = { figures: [], rows: [], notes: [], checks: [] };
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
      ctx.log(`${name}: ${report.row.slice(2).join(' · ')}`);
    } finally {
      await release();
    }
  }
  return gathered;
}
