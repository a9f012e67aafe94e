// 6. The question every sender asks before mailing: GET /v1/subjects/{ref}/state ("may we email
// X?"), offered at a fixed 1,000 requests/s, evenly paced (bench/lib/paced-load.mjs), over keep-alive
// connections, spread over
// 10,000 people with two records each. Every answer is audited (group-committed) before it goes out.
//
// Where the time went (2026-12-06, `node --cpu-prof` on this bench's server at 1,000 req/s offered,
// a 7 s window; self time unless "incl."):
// - Before, PGlite (582–682 answered/s at load 1–3): PGlite 64% of the server's CPU (its wasm 44%,
//   its JS 20%), Node's HTTP and internals ≈ 10%, hono 4%, the rules 2.4%, GC 2.2%, the audit's
//   hashing and JSON < 2%, idle 3%: CPU-bound, in the database. Statements, timed one at a time
//   in-process (load ≈ 3): `SELECT 1` 0.33 ms, the state read 1.1–1.2 ms, an audit group's
//   transaction (BEGIN, head lock, INSERT, UPDATE, COMMIT) 1.8 ms for 1 entry, 2.4 ms for 10, 5.0 ms
//   for 50; reading 10 people in one statement 2.8 ms, 50 people 4.5 ms (load ≈ 10). The audit was
//   already group-committed (1.07 statements per answer: 4,386 for ≈ 4,100): the cost was one read
//   statement per answer, whose fixed cost in PGlite is most of it.
// - Before, PostgreSQL (986 answered/s at load ≈ 10): the server idles 33% of the window; socket
//   writes 13%, the pg driver 7%, Node internals 14%, hono 5%, the rules 4%, GC 3%; the audit < 1%.
//   It waits on PostgreSQL: one read round trip, then the audit group's five round trips and its
//   COMMIT's fsync; a read that arrives while a group commits waits for that group and its own.
// - So: concurrent single state queries are read together, in one bulk read (the group commit's
//   batching, subjects/subject-service.ts), and an audit group is ONE statement (the head moves
//   only if it is still the one this server last wrote, else the locking append:
//   access/audit-log.ts). Each answer still waits for its own entry's COMMIT.
// - After (A/B, same script, alternating, load 17–20, so absolute rates mean little): server CPU per
//   answered query PGlite 2.23 → 0.75 ms, PostgreSQL 0.67 → 0.49 ms (the server process only);
//   PGlite statements 4,386 → 298 for the same ≈ 4,100 queries.
// - Then (2026-12-07): a group of concurrent queries was still two statements and two transactions
//   on the database (the group's read, then its audit group's append), queued one at a time on
//   PGlite's thread. Now it is ONE statement, one transaction (subjects/subject-state.ts,
//   ledger/subject-histories.ts `readAudited`): a data-modifying CTE reads the group's people and
//   appends their audit entries, the head moving only if it is still the one this server last
//   wrote, every person is known and the histories are current; else the read, then the audit
//   queue. Timed in-process on PGlite (load ≈ 9, the database thread's CPU per call): `SELECT 1`
//   0.17–0.22 ms, the group read of one person 0.60–0.75, its audit append 0.67–0.72, both in one
//   statement 1.05–1.72; the same read as a prepared statement (SQL PREPARE/EXECUTE) 0.27–0.32 ms
//   against 0.50–0.58 parsed and planned each time. So on PGlite one statement instead of two
//   saves a statement's fixed part (the trip to its thread, the transaction: ≈ `SELECT 1`) and a
//   queue turn per group, not the parsing and planning of the larger text, which is most of the
//   rest. So the PGlite store now honours `prepare` outside transactions (SQL PREPARE once, then
//   EXECUTE: platform/store/pglite-worker.ts), and the group's statement is named: in-process, the
//   database thread's CPU per answer at 1 / 4 / 16 concurrent queries went 1.53–1.60 / 0.35–0.42 /
//   0.11–0.14 ms → 0.46–0.57 / 0.14–0.21 / 0.07–0.09 ms (main vs this, interleaved, load 5.5–8).
import { CPU_COLUMNS, FIXED_RATE_COLUMNS, fixedRatePerStore } from '../lib/fixed-rate.mjs';
import { pacedLoad } from '../lib/paced-load.mjs';
import { BENCH_API_KEY } from '../lib/server.mjs';
import { round } from '../lib/stats.mjs';

/** Runs the state-query load against a server that already holds `refs`. */
export async function stateLoad({ server, refs, rate, durationMs, warmupMs, amount }) {
  let seed = 12345;
  // A fixed pseudo-random order: every run asks about the same people in the same order.
  const pick = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return refs[seed % refs.length];
  };
  return pacedLoad({
    url: server.url,
    rate,
    durationMs,
    warmupMs,
    ...(amount ? { amount } : {}),
    serverCpu: () => server.call('/__bench/cpu'),
    request: () => ({ path: `/v1/subjects/${pick()}/state`, headers: { 'x-api-key': BENCH_API_KEY } }),
  });
}

export async function run(ctx) {
  const rate = ctx.smoke ? 100 : 1000;
  const durationMs = ctx.smoke ? 1000 : 10_000;
  const warmupMs = ctx.smoke ? 200 : 2000;
  const people = ctx.smoke ? 200 : 10_000;
  const { figures, rows, cpuRows, notes, checks } = await fixedRatePerStore(ctx, {
    id: 'state',
    what: 'state query',
    rate,
    // p99 at the offered rate: 5 ms on PostgreSQL; PGlite (the default store) shares the server's thread.
    target: (storeKind) =>
      storeKind === 'postgres' ? { op: '<=', value: 5, text: '≤ 5 ms' } : { op: '<=', value: 20, text: '≤ 20 ms' },
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
    'Each query reads the person’s one narrow history row (ledger/subject-histories.ts) and runs core’s rules over it. Queries that arrive together are ONE statement, one transaction: it reads their people and appends their audit entries (a data-modifying CTE; the head moves only if it is still the one this server last wrote, every person asked about is known and the histories are current, else the read and then the audit queue’s group append), and each answer waits for that statement’s COMMIT. Before 2026-12-07 a group was two statements and two transactions (the read, then the audit group’s append).',
    'Where the time went before (node --cpu-prof on the bench server, details atop bench/benches/state.mjs): on PGlite 64% of the server’s CPU was PGlite itself, almost all of it one read statement per answer (a statement’s fixed cost in the wasm executor, ≈ 0.3–1 ms, is most of a one-person read); the audit was already group-committed. On PostgreSQL the server idled a third of the time, waiting on one read round trip and the audit group’s five (BEGIN, lock, INSERT, UPDATE, COMMIT). After: PGlite 298 statements for ≈ 4,100 queries instead of 4,386; server CPU per query 2.23 → 0.75 ms (PGlite), 0.67 → 0.49 ms (PostgreSQL), measured A/B at load 17–20.',
    'What bounded p99 before (2026-12-07, quiet machine, load 0.1–2.7): on PGlite the server’s one thread was busy 97–99% of the run, because the database ran on it, while the machine had 0.7 of its 2 cores idle; on PostgreSQL the thread was busy 55–60% and the machine 1.2 of 2 cores. What changed: the embedded database runs on a thread of its own (packages/server/src/platform/store/pglite-store.ts). Measured in two runs right after (this bench, 2026-12-07, load 2.5 → 1.4): PGlite carried the rate both times (1,000 of 1,000 req/s; 441 when the issue was filed), p99 47.9 and 21.8 ms (58.9 ms before), the server’s thread 32–37% busy, the database’s thread 84–87%.',
    'What bounded p99 on 2026-12-07, by each run’s own note above: on PGlite the database’s one thread, busy most of the run (a queue’s wait grows steeply past ~80% busy; every group’s statement, its read and its audit append in one, runs there, one statement at a time), which more cores do not lift; fewer or cheaper statements per answer would. On PostgreSQL neither thread nor machine is full: every answer waits for its group’s one statement, read and audit append together, and its COMMIT (one round trip to PostgreSQL; two before 2026-12-07), and a query that arrives while a group runs waits for that group first. The bench’s PostgreSQL runs with fsync and synchronous_commit off (scripts/testing/postgres.mjs), so here a COMMIT is no disk flush; in production it is one per group. What would close the rest: on PostgreSQL, for p99 ≤ 5 ms, a round trip per answer that never waits behind a group; with durable commits in production, an fsync per group adds to that, which an audit in an append-only file with batched fdatasync would take off the answer’s path (per-table synchronous_commit does not exist; an unlogged staging table flushed later would break “durable before the answer”). On PGlite, the group’s one statement, prepared once (most of a statement’s cost there was parsing and planning it; timings atop bench/benches/state.mjs), still runs on the one thread: what remains is its execution, per group and per person.',
    'What bounds PostgreSQL’s p99 now (2026-12-08, a probe at 1,000 req/s with the server under --trace-gc, each answer’s time beside it): V8’s young-generation collections. An answer allocates ≈ 62 KB (a sampling heap profile: the rules’ evaluation, the history decode, the audit entry’s chaining and JCS, hono’s context and headers, the pg driver’s rows), so a scavenge comes every ≈ 0.8 s and pauses the server 6–15 ms, and every cluster of answers slower than 10 ms began at one (14 clusters, 15 collections in one 10-s run). Found on the way: the request middleware raced every handler with a promise that lasts until shutdown, which kept 0.5–1 KB for every request ever answered, a leak (and ≈ 5 MB promoted per scavenge with it, ≈ 3 MB without); fixed (packages/server/src/health/lifecycle.ts untilCut). Interleaved with the code before (this bench, two rounds each, load 0.5–2.1): PostgreSQL p99 22.5 / 20.5 → 7.3 / 10.4 ms, PGlite 69.9 / 33.7 → 19.8 / 16.1 ms. What would lift the rest: less allocated per answer (fewer scavenges) and fewer objects outliving one (shorter ones).',
  );
  return {
    method: `a fixed ${rate} req/s, evenly paced open-loop, latency from when each request was due (bench/lib/paced-load.mjs: one request every ${round(1000 / rate, 2)} ms, up to 50 keep-alive connections) ${ctx.smoke ? `(smoke: ${rate} requests, no warm-up)` : `for ${durationMs / 1000} s after ${warmupMs / 1000} s of warm-up at the same rate`}; ${people} people with two records each; API key auth; no rate limits on the bench server.`,
    figures,
    tables: [
      { title: 'State query under load (ms)', columns: FIXED_RATE_COLUMNS, rows },
      { title: 'State query: CPU during the measured run', columns: CPU_COLUMNS, rows: cpuRows },
    ],
    notes,
    checks,
  };
}
