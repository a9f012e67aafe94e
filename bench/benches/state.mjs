// 6. The question every sender asks before mailing: GET /v1/subjects/{ref}/state ("may we email
// X?"), offered at a fixed 1,000 requests/s by autocannon over keep-alive connections, spread over
// 10,000 people with two records each. Every answer is audited (group-committed) before it goes out.
import { FIXED_RATE_COLUMNS, fixedRateLoad, fixedRatePerStore } from '../lib/fixed-rate.mjs';
import { BENCH_API_KEY } from '../lib/server.mjs';

/** Runs the state-query load against a server that already holds `refs`. */
export async function stateLoad({ server, refs, rate, durationMs, warmupMs, amount }) {
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
    ...(amount ? { amount } : {}),
    request: () => ({ path: `/v1/subjects/${pick()}/state`, headers: { 'x-api-key': BENCH_API_KEY } }),
  });
}

export async function run(ctx) {
  const rate = ctx.smoke ? 100 : 1000;
  const durationMs = ctx.smoke ? 1000 : 10_000;
  const warmupMs = ctx.smoke ? 200 : 2000;
  const people = ctx.smoke ? 200 : 10_000;
  const { figures, rows, notes, checks } = await fixedRatePerStore(ctx, {
    id: 'state',
    what: 'state query',
    rate,
    target: () => ({ op: '<', value: 5, text: '< 5 ms' }),
    load: async (server) => {
      const seeded = await server.call('/__bench/generate', { count: people * 2, returnRefs: people });
      return stateLoad({
        server,
        refs: seeded.refs,
        rate,
        durationMs,
        warmupMs,
        ...(ctx.smoke ? { amount: rate } : {}),
      });
    },
  });
  notes.push(
    'Each query is one indexed read (subject + history in one statement, index on subject_ref, seq), core’s evaluateConsent over the decoded records, and an audit entry committed before the answer (concurrent reads share one audit transaction: group commit).',
    'PGlite: one connection on the server’s own event loop, so reads, the audit transaction and the HTTP work queue behind each other; PostgreSQL carries the 1,000 req/s but not the 5 ms p99.',
    'What bounds p99: the audit entry. Every answer waits for a COMMIT (an fsync on PostgreSQL, a write through PGlite’s WebAssembly file system on the server’s own thread); group commit makes that one commit per group rather than per read, but a read that arrives just after a group started waits for that group and then its own. autocannon shares the two cores with the server.',
    'What would close the gap: a commit cheaper than 5 ms at p99 (synchronous_commit = off for the audit table’s transaction only is not available per table; an unlogged staging table flushed in the background would weaken “durable before the answer”), or the audit written to a separate append-only file with fdatasync batching; and a machine where the load generator does not compete with the server.',
  );
  return {
    method: `autocannon at a fixed ${rate} req/s (overallRate, 50 keep-alive connections, latencies corrected for coordinated omission) for ${durationMs / 1000} s after ${warmupMs / 1000} s of warm-up at the same rate; ${people} people with two records each; API key auth; no rate limits on the bench server.`,
    figures,
    tables: [{ title: 'State query under load (ms)', columns: FIXED_RATE_COLUMNS, rows }],
    notes,
    checks,
  };
}
