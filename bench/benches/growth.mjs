// 8. Growth: ingest throughput, and state-query, one-click and inclusion-proof latency, with 10k,
// 100k and 1M records already stored (PostgreSQL, the production store). All must stay flat —
// every hot query is an index lookup — so the figures are compared with the 10k ones, and the
// plans are shown.
import { entryCount, growLedger } from '../lib/big-ledger.mjs';
import { figure } from '../lib/figures.mjs';
import { closedLoop } from '../lib/load.mjs';
import { createDatabase } from '../lib/postgres.mjs';
import { postStreams, signedRecordStreams } from '../lib/records.mjs';
import { BENCH_API_KEY, serverFor, startBenchServer } from '../lib/server.mjs';
import { round, summarize } from '../lib/stats.mjs';

// The largest ledger the targets name: a million entries. CONSENTKIT_BENCH_LEDGER_ENTRIES shrinks it to try
// the harness quickly; results then say how many entries were really there.
export const LARGEST = Number(process.env.CONSENTKIT_BENCH_LEDGER_ENTRIES ?? 1_000_000);

export async function run(ctx) {
  const clients = ctx.smoke ? 2 : 8;
  const perClient = ctx.smoke ? 10 : 100;
  const queries = ctx.smoke ? 30 : 2000;
  const links = ctx.smoke ? 20 : 500;
  const proofs = ctx.smoke ? 30 : 2000;
  // One request at a time, so the latency is the service time, not a queue.
  const serially = async (jobs, request) => {
    const latencies = [];
    let i = 0;
    const { seconds, done } = await closedLoop({
      concurrency: 1,
      jobs,
      forMs: ctx.smoke ? Number.POSITIVE_INFINITY : 8000,
      run: async () => {
        const t = performance.now();
        await request(i++);
        latencies.push(performance.now() - t);
      },
    });
    return { ...summarize(latencies), rate: done / seconds };
  };
  let server;
  let stop = async () => {};
  if (ctx.smoke) {
    ({ server } = await serverFor(ctx, 'postgres'));
  } else {
    // Its own database, kept after this bench: verify walks the same million entries.
    const db = await createDatabase('ck_bench_growth');
    ctx.cleanups.push(db.drop);
    server = await startBenchServer({ store: 'postgres', databaseUrl: db.url });
    stop = () => server.stop();
  }
  // The smoke shares its server with earlier benches: grow from whatever they left.
  const base = ctx.smoke ? await entryCount(server) : 0;
  const sizes = ctx.smoke ? [base + 200, base + 600] : [10_000, 100_000, LARGEST];
  const rows = [];
  const figures = [];
  const notes = [];
  const measured = [];
  const checks = [];
  const refs = [];
  // Growing stops early rather than overrun the run's budget; verify still needs time after us.
  const stopAt = ctx.smoke ? undefined : ctx.deadline - 110_000;
  try {
    for (const size of sizes) {
      const grown = await growLedger(server, size, { log: (line) => ctx.log(line), stopAt });
      refs.push(...grown.refs);
      if (!grown.reached) {
        notes.push(
          `Not measured at ${size.toLocaleString('en-US')} entries: generating the ledger ran at ${Math.round(grown.rate)} entries/s on this machine now, too slow to reach ${size.toLocaleString('en-US')} inside the 15-minute budget; the last row is at ${grown.entries.toLocaleString('en-US')} entries instead.`,
        );
      }
      // Generated entries bypass the append path: the first proof builds the stored tree
      // (merkle_nodes) for them, as the first proof after an upgrade does. Before anything is
      // timed, so that build neither counts as a proof's latency nor competes with ingest.
      const t0 = performance.now();
      const first = await fetch(`${server.url}/v1/log/inclusion?index=0`);
      await first.arrayBuffer();
      const treeSeconds = (performance.now() - t0) / 1000;
      checks.push({ what: `${grown.entries} entries: the first inclusion proof answers 200`, ok: first.ok });
      // Ingest: batch 100 from several clients, as in the ingest bench.
      const streams = await signedRecordStreams({ streams: clients, perStream: perClient, tag: `g${size}` });
      const ingest = await postStreams({
        url: server.url,
        streams,
        batch: 100,
        forMs: ctx.smoke ? Number.POSITIVE_INFINITY : 8000,
      });
      const ingestRate = ingest.accepted / ingest.seconds;
      checks.push({
        what: `${grown.entries} entries: every record accepted`,
        ok: ingest.accepted === ingest.sent,
        detail: JSON.stringify(ingest.rejected),
      });
      // State query: one at a time, so the latency is the service time, not a queue.
      let seed = size;
      const s = await serially(queries, async () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const response = await fetch(`${server.url}/v1/subjects/${refs[seed % refs.length]}/state`, {
          headers: { 'x-api-key': BENCH_API_KEY },
        });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`state query answered ${response.status}`);
      });
      // One-click: people with a marketing grant and a link each, seeded now (a few hundred
      // entries on top of the size), then each link posted once, one at a time.
      const seeded = await server.call('/__bench/generate', {
        count: links * 2,
        returnRefs: links,
        tokens: links,
        scope: 'unsubscribe:marketing',
      });
      const oneClick = await serially(seeded.tokens.length, async (i) => {
        const response = await fetch(`${server.url}/u/${encodeURIComponent(seeded.tokens[i])}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`one-click answered ${response.status}`);
      });
      // Inclusion proofs of random leaves against the head, one at a time.
      const leaves = grown.entries;
      const inclusion = await serially(proofs, async () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const response = await fetch(`${server.url}/v1/log/inclusion?index=${seed % leaves}`);
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`inclusion proof answered ${response.status}`);
      });
      measured.push({
        size,
        entries: grown.entries,
        ingestRate,
        p50: s.p50,
        p99: s.p99,
        oneClick,
        inclusion,
        treeSeconds,
      });
      rows.push([
        grown.entries,
        round(treeSeconds),
        round(ingestRate),
        round(s.p50),
        round(s.p99),
        round(s.rate),
        round(oneClick.p50),
        round(oneClick.p99),
        round(inclusion.p50),
        round(inclusion.p99),
      ]);
      ctx.log(
        `${grown.entries} entries: ingest ${round(ingestRate)} records/s, state p50 ${round(s.p50)} ms, p99 ${round(s.p99)} ms, one-click p50 ${round(oneClick.p50)} ms, inclusion p50 ${round(inclusion.p50)} ms`,
      );
      if (!grown.reached) break;
    }
    const plans = [];
    for (const [what, sql, params] of [
      [
        'history of a person (state query)',
        'EXPLAIN SELECT * FROM ledger_entries WHERE subject_ref = $1 ORDER BY seq',
        [refs[0]],
      ],
      [
        'last record of a signer (ingest chain check)',
        'EXPLAIN SELECT digest FROM ledger_entries WHERE kid = $1 ORDER BY seq DESC LIMIT 1',
        ['k'],
      ],
      ['duplicate check (ingest)', 'EXPLAIN SELECT * FROM ledger_entries WHERE record_id = $1', ['r']],
    ]) {
      const plan = (await server.call('/__bench/sql', { sql, params })).map((r) => r['QUERY PLAN']).join(' / ');
      plans.push([what, plan.replace(/\s+/g, ' ')]);
      if (/Seq Scan on ledger_entries/.test(plan))
        notes.push(`${what}: the plan is a sequential scan of ledger_entries.`);
    }
    const first = measured[0];
    const last = measured.at(-1);
    const label = (m) =>
      m.entries >= 1e6
        ? `${round(m.entries / 1e6)}M`
        : m.entries >= 1000
          ? `${Math.round(m.entries / 1000)}k`
          : String(m.entries);
    for (const m of measured) {
      figures.push(
        figure({
          id: `growth:ingest:${m.size}`,
          label: `ingest (batch 100, ${clients} clients) at ${label(m)} stored`,
          value: round(m.ingestRate),
          unit: 'records/s',
        }),
        figure({
          id: `growth:state:p99:${m.size}`,
          label: `state query p99 (one at a time) at ${label(m)} stored`,
          value: round(m.p99),
          unit: 'ms',
        }),
        figure({
          id: `growth:one-click:p50:${m.size}`,
          label: `one-click p50 (one at a time) at ${label(m)} stored`,
          value: round(m.oneClick.p50),
          unit: 'ms',
        }),
        figure({
          id: `growth:inclusion:p50:${m.size}`,
          label: `inclusion proof p50 (one at a time) at ${label(m)} stored`,
          value: round(m.inclusion.p50),
          unit: 'ms',
        }),
      );
    }
    if (measured.length < 2) {
      notes.push('Only one size was measured: no flatness figure.');
    } else
      figures.push(
        figure({
          id: 'growth:ingest:flat',
          label: `ingest at ${label(last)} ÷ at ${label(first)}`,
          value: round(last.ingestRate / first.ingestRate),
          unit: '×',
          target: { op: '>=', value: 0.8, text: '≥ 0.8× (flat)' },
        }),
        ...[
          ['state', 'state query', (m) => m.p50],
          ['one-click', 'one-click', (m) => m.oneClick.p50],
          // A proof has log2(size) hashes (13 at 10k, 20 at 1M): flat means the round trip, not the path, dominates.
          ['inclusion', 'inclusion proof', (m) => m.inclusion.p50],
        ].map(([id, what, p50]) =>
          figure({
            id: `growth:${id}:flat`,
            label: `${what} p50 at ${label(last)} ÷ at ${label(first)}`,
            value: round(p50(last) / p50(first)),
            unit: '×',
            target: { op: '<=', value: 1.25, text: '≤ 1.25× (flat)' },
          }),
        ),
      );
    ctx.shared.set('bigLedger', { databaseUrl: server.databaseUrl, entries: last.entries });
    return {
      method: `PostgreSQL. At each size, first the stored Merkle tree is built for the generated entries (the first inclusion proof, timed apart: generated entries bypass the append path that grows it); then ${clients} clients × ${perClient} records posted in batches of 100; ${queries} state queries one at a time over people spread across the whole ledger; ${links} one-click unsubscribes one at a time (people seeded at that size with a marketing grant and a link each: each POST writes a signed record); ${proofs} inclusion proofs of random leaves against the head, one at a time. Each timed part stops after 8 s. "Flat" here means ingest keeps ≥ 80% of its 10k rate and each median (state, one-click, inclusion) grows ≤ 25%.`,
      figures,
      tables: [
        {
          title: 'By stored entries',
          columns: [
            'entries stored',
            'stored tree built (first proof), s',
            'ingest records/s',
            'state p50 ms',
            'state p99 ms',
            'state queries/s (serial)',
            'one-click p50 ms',
            'one-click p99 ms',
            'inclusion p50 ms',
            'inclusion p99 ms',
          ],
          rows,
        },
        { title: 'Query plans at the largest size', columns: ['query', 'plan'], rows: plans },
      ],
      notes,
      checks,
    };
  } finally {
    await stop();
  }
}
