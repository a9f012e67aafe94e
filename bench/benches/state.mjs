// 6. The question every sender asks before mailing: GET /v1/subjects/{ref}/state ("may we email
// X?"), offered at a fixed 1,000 requests/s over keep-alive connections, spread over 10,000 people
// with two records each. Open loop, latency from when each request was due.
import { figure } from '../lib/figures.mjs';
import { fixedRateLoad } from '../lib/load.mjs';
import { BENCH_API_KEY, serverFor } from '../lib/server.mjs';
import { round } from '../lib/stats.mjs';

/** Runs the state-query load against a server that already holds `refs`; shared with growth. */
export async function stateLoad({ server, refs, rate, durationMs, warmupMs }) {
  let seed = 12345;
  // A fixed pseudo-random order: every run asks about the same people in the same order.
  const pick = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return refs[seed % refs.length];
  };
  return fixedRateLoad({
    url: server.url,
    rate,
    durationMs,
    warmupMs,
    request: () => ({ path: `/v1/subjects/${pick()}/state`, headers: { 'x-api-key': BENCH_API_KEY } }),
  });
}

export async function run(ctx) {
  const rate = ctx.smoke ? 100 : 1000;
  const durationMs = ctx.smoke ? 500 : 10_000;
  const warmupMs = ctx.smoke ? 100 : 1000;
  const people = ctx.smoke ? 200 : 10_000;
  const figures = [];
  const rows = [];
  const notes = [];
  const checks = [];
  for (const storeKind of ['postgres', 'pglite']) {
    const { server, release } = await serverFor(ctx, storeKind);
    try {
      const seeded = await server.call('/__bench/generate', { count: people * 2, returnRefs: people });
      const r = await stateLoad({ server, refs: seeded.refs, rate, durationMs, warmupMs });
      const name = storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite';
      const l = r.latencyMs;
      rows.push([
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
      ]);
      // Correctness, not speed: no error answers. Requests still queued at the drain deadline
      // are a measured result (the server is slower than the offered rate), reported below.
      checks.push({
        what: `${name}: no error answers`,
        ok: r.ok === r.requests - r.unfinished && r.errors === 0,
        detail: JSON.stringify(r.statuses),
      });
      if (r.unfinished > 0)
        notes.push(
          `${name}: ${r.unfinished} of ${r.requests} requests were still queued 8 s after the last was offered; they count with the time they had waited, so p99 is a lower bound.`,
        );
      if (r.ok !== r.requests - r.unfinished)
        notes.push(
          `${name}: ${r.requests - r.ok} of ${r.requests} requests did not answer 2xx (${JSON.stringify(r.statuses)}).`,
        );
      figures.push(
        figure({
          id: `state:${storeKind}:p99`,
          label: `state query p99 at ${rate} req/s, ${name}${r.unfinished > 0 ? ` (a lower bound: ${r.unfinished} of ${r.requests} requests still queued at the end)` : ''}`,
          value: round(l.p99),
          unit: 'ms',
          target: { op: '<', value: 5, text: '< 5 ms' },
        }),
        figure({
          id: `state:${storeKind}:p50`,
          label: `state query p50 at ${rate} req/s, ${name}`,
          value: round(l.p50),
          unit: 'ms',
        }),
        figure({
          id: `state:${storeKind}:rate`,
          label: `state queries answered per second (offered ${rate}), ${name}`,
          value: round(r.achievedRate),
          unit: 'req/s',
        }),
      );
    } finally {
      await release();
    }
  }
  notes.push(
    'Each query reads the person’s history (index on subject_ref, seq), decodes each record and runs core’s evaluateConsent over it.',
  );
  return {
    method: `${rate} req/s offered for ${durationMs / 1000} s after ${warmupMs / 1000} s of warm-up; ${people} people with two records each; API key auth.`,
    figures,
    tables: [
      {
        title: 'State query under load (ms from when each request was due)',
        columns: ['store', 'offered/s', 'answered/s', 'requests', 'p50', 'p90', 'p99', 'max', 'statuses', 'errors'],
        rows,
      },
    ],
    notes,
    checks,
  };
}
