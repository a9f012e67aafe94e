// 7. Bulk "may we?": POST /v1/senders/state in batches of 1,000 subject references against a
// seeded ledger, several senders asking at once, on PostgreSQL and on PGlite. Every answer is the
// single query's answer (a test proves it); one audit entry per call. Then one serial run on a
// profiling server that times every query and every WebCrypto call, to say where the time goes.
//
// Where the time went (2026-12-06, `node --cpu-prof` on this bench's server, 4 clients, samples
// from the first bulk call on; self time unless "incl."):
// - Before, PostgreSQL (1,950 subjects/s at load 14–16): decoding stored records 50% incl. (the
//   strict JWS decoder: core's base64url in JS 19.5%, the header through the canonical-JSON parser
//   13%, a signing input built for nothing), evaluateConsent 18.5% incl. (all six purposes, two
//   asked), garbage collection 11%, the response's JSON 2.6%, pg 3%, audit 0.6%, zod on the
//   1,000-item body 0.5%. The query was already one statement, but on fresh statistics its plan
//   was a hash join over a sequential scan of the whole ledger per call.
// - Before, PGlite: PGlite's query 43% incl. (its result parsing 13%), decoding 29%, rules 10%.
// - So: the query read only the payload, decoded with Buffer + JSON.parse (a twin, now
//   ledger/stored-payload.ts), only the asked purposes are evaluated (senders/asked-states.ts),
//   both held to the originals by 10,000-case differential tests, and the join was LATERAL.
// - Then, PostgreSQL (7,930 subjects/s at load 8–9; 15,877 at load 1): JSON.parse of whole record
//   payloads 26%, evaluateConsent 27%, GC 11%, the response's JSON 5%; PGlite (5,096 at load 8–9;
//   15,205 at load 1): its query (1,000 index probes into the ledger, 2,000 rows of payload, ≈ 70 ms
//   per call at load 13–16) and its result parsing were over half.
// - So now (ledger/subject-histories.ts): each person's history as the rules read it (core's
//   RuleRecord: no wording, collection point or signature; each item a JSON array of its values) is
//   one row kept by the append in its transaction, and the query reads that one narrow row per
//   person (≈ 500 characters for two records, against 2 × 926 of payload before): no JWS is
//   decoded, half the rows come back. The rules still run at read time, over the asked purposes
//   only, and they lost their per-record closures (half of evaluateConsent's time under tsx).
// - After (2026-12-06, PostgreSQL, 4 clients, `node --cpu-prof`, server samples from the first bulk
//   call on; 24,524 subjects/s with the profiler on at load 7.2, 31.7 ms of CPU per 1,000 subjects
//   for the server and PostgreSQL together): the server idles 31% of the window (it waits on
//   PostgreSQL and on the clients, which parse ≈ 400 bytes of answer per person on the same two
//   cores); parsing the history rows 13.7% incl., evaluateConsent 14.4% incl., the per-name work
//   of the call (UUID check, the answers) 5%, the response's JSON 4.6%, GC 4.5%, socket writes 5%,
//   the query's client side 4.8%. PostgreSQL's plan (EXPLAIN ANALYZE, 20,000 people): a bitmap scan
//   of the subjects' primary key for the 1,000 refs, then 1,000 primary-key probes into
//   subject_histories, 15 ms at load 14. PGlite runs the same plan in its wasm executor (≈ 0.36 ms a
//   probe at load 19), so there its query is still the largest share.
import { figure } from '../lib/figures.mjs';
import { BENCH_API_KEY, serverFor } from '../lib/server.mjs';
import { round } from '../lib/stats.mjs';

const TARGETS = { postgres: 20_000, pglite: 10_000 };
const BATCH = 1000;
const PURPOSES = ['marketing', 'loyalty-programme'];

/** `clients` senders each post their batches in turn until `batches` calls have been answered. */
async function askInBatches({ url, refs, clients, batches }) {
  let next = 0;
  let answered = 0;
  const refused = {};
  const started = performance.now();
  const client = async () => {
    while (next < batches) {
      const i = next++;
      const subjects = [];
      for (let k = 0; k < BATCH; k++) subjects.push(refs[(i * BATCH + k * 7) % refs.length]);
      const response = await fetch(`${url}/v1/senders/state`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': BENCH_API_KEY },
        body: JSON.stringify({ subjects, purposes: PURPOSES }),
      });
      const body = await response.json();
      const complete =
        response.ok &&
        body.answers.length === BATCH &&
        body.answers.every((a) => a.known && PURPOSES.every((p) => typeof a.state[p]?.status === 'string'));
      if (complete) answered += BATCH;
      else refused[response.status] = (refused[response.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { answered, asked: batches * BATCH, seconds: (performance.now() - started) / 1000, refused };
}

export async function run(ctx) {
  const people = ctx.smoke ? 300 : 20_000;
  const clients = ctx.smoke ? 2 : 4;
  const batches = ctx.smoke ? 2 : 60;
  const warmBatches = ctx.smoke ? 1 : 4;
  const profiledBatches = ctx.smoke ? 1 : 10;
  const figures = [];
  const rows = [];
  const profileRows = [];
  const checks = [];
  for (const storeKind of /** @type {const} */ (['postgres', 'pglite'])) {
    const name = storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite';
    const { server, release } = await serverFor(ctx, storeKind, { profile: true });
    try {
      // Two records each (the generator's people), so every answer rests on a real history.
      const seeded = await server.call('/__bench/generate', { count: people * 2, returnRefs: people });
      const refs = seeded.refs;
      await askInBatches({ url: server.url, refs, clients, batches: warmBatches });
      const r = await askInBatches({ url: server.url, refs, clients, batches });
      const rate = r.answered / r.seconds;
      rows.push([name, BATCH, clients, r.asked, round(r.seconds), round(rate), JSON.stringify(r.refused)]);
      checks.push({
        what: `${name}: every call answered 200 with ${BATCH} known subjects`,
        ok: r.answered === r.asked,
        detail: JSON.stringify(r.refused),
      });
      figures.push(
        figure({
          id: `senders:${storeKind}`,
          label: `${name}: bulk state, batches of ${BATCH}, ${clients} clients`,
          value: round(rate),
          unit: 'subjects/s',
          target: {
            op: '>=',
            value: TARGETS[storeKind],
            text: `≥ ${TARGETS[storeKind].toLocaleString('en-US')} subjects/s`,
          },
        }),
      );
      ctx.log(`${name}: ${round(rate)} subjects/s`);

      // Where the time goes: one sender, serial calls, every query and WebCrypto call timed.
      await server.call('/__bench/profile', {}); // reset
      const p0 = await askInBatches({ url: server.url, refs, clients: 1, batches: profiledBatches });
      const p = await server.call('/__bench/profile');
      const wall = p0.seconds * 1000;
      const perThousand = (ms) => round((ms / p0.answered) * 1000);
      const other = Math.max(0, wall - p.db - p.hmac - p.hash);
      for (const [what, ms] of [
        ['database (queries, incl. the audit entry)', p.db],
        ['blind index HMAC', p.hmac],
        ['hashing', p.hash],
        ['everything else (HTTP, JSON, zod, decoding records, evaluateConsent)', other],
      ]) {
        profileRows.push([name, what, `${round((ms / wall) * 100)}%`, perThousand(ms)]);
      }
      profileRows.push([
        name,
        `total: ${p0.answered} subjects serial, ${round(p0.answered / p0.seconds)} subjects/s, ${round(p.dbCalls / profiledBatches)} queries per call`,
        '100%',
        perThousand(wall),
      ]);
      figures.push(
        figure({
          id: `senders:${storeKind}:share:db`,
          label: `${name}: share of bulk-state time in the database (serial)`,
          value: round((p.db / wall) * 100),
          unit: '%',
        }),
      );
    } finally {
      await release();
    }
  }
  return {
    method: `${people.toLocaleString('en-US')} people with two records each (generated straight into the ledger); ${clients} senders each post POST /v1/senders/state with ${BATCH} subject references and ${PURPOSES.length} purposes, one call after another, until ${batches} calls are answered (after ${warmBatches} warm-up calls); rate = subjects answered ÷ wall time. API key auth; no rate limits on the bench server, which runs with query and crypto timing on (both stores alike).`,
    figures,
    tables: [
      {
        title: 'Bulk state throughput',
        columns: ['store', 'batch', 'clients', 'subjects', 's', 'subjects/s', 'refused (status: calls)'],
        rows,
      },
      {
        title: 'Where bulk-state time goes (one sender, serial)',
        columns: ['store', 'part', 'share of wall time', 'ms per 1,000 subjects'],
        rows: profileRows,
      },
    ],
    notes: [
      'Each call: one query resolves the subjects (subject refs by primary key, emails by blind index) and reads each one’s subject history, one narrow row per person that the append keeps in its transaction (what core’s rules read of each entry, no record JWS); core’s evaluateConsent runs once per person over the asked purposes only (a twin of evaluating the whole policy), at read time, so the evaluation time, jurisdiction, GPC and policy apply as always; one audit entry names how many subjects were asked (never who).',
      'Profile (node --cpu-prof, see the comment atop bench/benches/senders.mjs): whole-record decoding is gone; what is left is parsing one short row per person, the rules over the asked purposes, and the response’s JSON (about 400 bytes per person, which the clients parse on the same two cores). On PGlite the query (a primary-key probe per person in the wasm executor) is the largest share.',
      'The serial profile times store queries and crypto.subtle calls in wall time; on PGlite the database runs on its own thread, one statement at a time, so its share also holds the time a statement queued behind another.',
    ],
    checks,
  };
}
