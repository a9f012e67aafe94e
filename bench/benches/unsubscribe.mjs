// 5. RFC 8058 one-click unsubscribe under load: POST /u/{token} with
// `List-Unsubscribe=One-Click`, offered at a fixed 1,000 requests/s over keep-alive connections,
// each request a different person (a first unsubscribe writes a signed record: the real work).
// Latency is from when each request was due (open loop), so a queue building up shows.
import { figure } from '../lib/figures.mjs';
import { fixedRateLoad } from '../lib/load.mjs';
import { serverFor } from '../lib/server.mjs';
import { round } from '../lib/stats.mjs';

export async function run(ctx) {
  const rate = ctx.smoke ? 100 : 1000;
  const durationMs = ctx.smoke ? 500 : 10_000;
  const warmupMs = ctx.smoke ? 100 : 1000;
  const people = Math.ceil((rate * (durationMs + warmupMs)) / 1000);
  const figures = [];
  const rows = [];
  const notes = [];
  const checks = [];
  for (const storeKind of ['postgres', 'pglite']) {
    const { server, release } = await serverFor(ctx, storeKind);
    try {
      // Each person has a form-submit record granting marketing (opt-out basis) and a link.
      const seeded = await server.call('/__bench/generate', {
        count: people * 2,
        returnRefs: people,
        tokens: people,
        scope: 'unsubscribe:marketing',
      });
      ctx.log(`${storeKind}: seeded ${seeded.entries} entries, ${seeded.tokens.length} links`);
      const r = await fixedRateLoad({
        url: server.url,
        rate,
        durationMs,
        warmupMs,
        request: (i) => ({
          method: 'POST',
          path: `/u/${encodeURIComponent(seeded.tokens[i])}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        }),
      });
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
        r.maxInFlight,
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
          `${name}: ${r.requests - r.ok} of ${r.requests} requests did not answer 2xx (${JSON.stringify(r.statuses)}, ${r.errors} connection errors).`,
        );
      figures.push(
        figure({
          id: `unsubscribe:${storeKind}:p99`,
          label: `one-click p99 at ${rate} req/s, ${name}${r.unfinished > 0 ? ` (a lower bound: ${r.unfinished} of ${r.requests} requests still queued at the end)` : ''}`,
          value: round(l.p99),
          unit: 'ms',
          ...(storeKind === 'postgres' ? { target: { op: '<', value: 20, text: '< 20 ms' } } : {}),
        }),
        figure({
          id: `unsubscribe:${storeKind}:p50`,
          label: `one-click p50 at ${rate} req/s, ${name}`,
          value: round(l.p50),
          unit: 'ms',
        }),
        figure({
          id: `unsubscribe:${storeKind}:rate`,
          label: `one-click answered per second (offered ${rate}), ${name}`,
          value: round(r.achievedRate),
          unit: 'req/s',
        }),
      );
    } finally {
      await release();
    }
  }
  notes.push(
    'Load generator: bench/lib/load.mjs, open-loop fixed rate on node:http keep-alive agents (autocannon is not installed in this repository; it would be the standard choice).',
    'Each one-click POST changes state (a signed server record appended under the ledger head lock), the expensive case; repeats of the same link write nothing.',
  );
  return {
    method: `${rate} req/s offered for ${durationMs / 1000} s after ${warmupMs / 1000} s of warm-up at the same rate; ${people} distinct people, each with a form-submit record and a one-click link (scope unsubscribe:marketing).`,
    figures,
    tables: [
      {
        title: 'One-click unsubscribe under load (ms from when each request was due)',
        columns: [
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
          'max in flight',
        ],
        rows,
      },
    ],
    notes,
    checks,
  };
}
