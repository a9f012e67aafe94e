// 4. Ledger ingest: signed records verified and committed per second through POST /v1/records,
// batches of 1, 10 and 100, with several clients posting at once, on PGlite and on PostgreSQL.
// The target is a share of the machine's ceiling, measured first in the same run: node:crypto
// Ed25519 verifications per second on every core at once, with nothing else of the bench running.
// Then one serial run (one client, batch 100) on a profiling server that gives each instant of its
// wall time to one kind of work (bench/lib/server-child.mjs), to say where the time goes.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { cpuBound, cpuOfRun, cpuSnapshot } from '../lib/cpu-of-run.mjs';
import { figure } from '../lib/figures.mjs';
import { postStreams, signedRecordStreams } from '../lib/records.mjs';
import { serverFor } from '../lib/server.mjs';
import { round } from '../lib/stats.mjs';

/** The target: batch-100 ingest at ≥ this share of the verification ceiling, on both stores. */
const TARGET_RATIO = 50;

// One thread's loop: node:crypto one-shot Ed25519 verification of one signed record-sized message
// with a KeyObject, as ingest verifies (packages/server/src/ingest/record-verifier.ts), for `ms`.
const CEILING_WORKER = `
const { generateKeyPairSync, sign, verify } = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const message = Buffer.alloc(1300, 7);
const signature = sign(null, message, privateKey);
for (let i = 0; i < 200; i++) verify(null, message, publicKey, signature);
parentPort.once('message', () => {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < workerData.ms) {
    for (let i = 0; i < 50; i++) if (verify(null, message, publicKey, signature)) n++;
  }
  parentPort.postMessage(n / ((performance.now() - start) / 1000));
});
parentPort.postMessage('ready');
`;

/** Ed25519 verifications/s with one thread per core verifying at once (all start together). */
async function verifyCeiling(ms) {
  const threads = availableParallelism();
  const workers = Array.from({ length: threads }, () => new Worker(CEILING_WORKER, { eval: true, workerData: { ms } }));
  try {
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
    const rates = await Promise.all(
      workers.map((w) => {
        const done = new Promise((resolve) => w.once('message', resolve));
        w.postMessage('go');
        return done;
      }),
    );
    return { threads, total: rates.reduce((a, b) => a + b, 0), perThread: rates };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const CPU_COLUMNS = [
  'store',
  'records/s',
  'server CPU µs/record (all its threads)',
  'server (cores)',
  'PostgreSQL (cores: its processes)',
  'ledger CPU µs/record (server + PostgreSQL)',
  'records/s all cores would carry at that CPU per record (share of the ceiling)',
  'clients: this process (cores)',
  'whole machine busy (cores)',
  'cores',
  'CPU-bound?',
  'server main thread busy (event-loop utilisation)',
  'database thread busy (PGlite: its own thread)',
  'head lock held (share of the run)',
  'head lock held per record (µs)',
];

/**
 * Whether a batch-100 run was CPU-bound: "needs more cores" is an answer only when the whole
 * machine was busy on (nearly) every core while it ran. Beside it, the two serial limits: the
 * server's main thread (busy all the time: one core's work, whatever the others do) and the
 * ledger's head lock (held all the time: every placement waits for the one before).
 */
/**
 * The run's CPU bound, beside its serial ones: the ledger's CPU per record (its server process and,
 * on PostgreSQL, PostgreSQL's processes), and the records/s every core of the machine would carry
 * at that cost with nothing serial in the way; against the ceiling, what the target asks of it.
 */
function cpuLimit(c, ceiling) {
  if (c.ledgerMsPerAnswer === null) return null;
  const perRecordUs = c.ledgerMsPerAnswer * 1000;
  const rate = (c.cores * 1e6) / perRecordUs;
  return { perRecordUs, rate, share: rate / ceiling, targetUs: (c.cores * 1e6) / ((TARGET_RATIO / 100) * ceiling) };
}

function cpuRow(storeKind, rate, c, limit) {
  return [
    storeKind,
    round(rate),
    c.serverMsPerAnswer === null ? 'n/a' : round(c.serverMsPerAnswer * 1000),
    round(c.serverCores, 2),
    c.databaseCores === null ? (storeKind === 'pglite' ? 'in the server' : 'not measured') : round(c.databaseCores, 2),
    limit ? round(limit.perRecordUs) : 'n/a',
    limit ? `${round(limit.rate)} (${round(limit.share * 100)}%)` : 'n/a',
    round(c.generatorCores, 2),
    round(c.machineCores, 2),
    c.cores,
    cpuBound(c) ? 'yes: every core busy' : `no: ${round(c.cores - c.machineCores, 2)} cores idle`,
    `${round((c.serverLoopBusy ?? 0) * 100)}%`,
    c.dbLoopBusy === null ? 'n/a' : `${round(c.dbLoopBusy * 100)}%`,
    `${round((c.lockShare ?? 0) * 100)}%`,
    round((c.lockMsPerAnswer ?? 0) * 1000),
  ];
}

/**
 * What bounded a batch-100 run, read from its own figures: every core busy (CPU: whose, the table
 * says), and whether a serial limit held as well: the server's main thread or PGlite's own thread
 * busy nearly all the time (one core's work each), else the head lock held nearly all the time
 * (placements one after another).
 */
function boundOf(c, limit) {
  const parts = [];
  if (cpuBound(c))
    parts.push(
      `CPU: every core busy (the server ${round(c.serverCores, 2)} of them; the clients and other processes the rest)`,
    );
  const busy = c.serverLoopBusy ?? 0;
  const dbBusy = c.dbLoopBusy ?? 0;
  const held = c.lockShare ?? 0;
  if (busy >= 0.9) parts.push(`the server's main thread (busy ${round(busy * 100)}% of the run)`);
  if (dbBusy >= 0.9) parts.push(`the embedded database's own thread (busy ${round(dbBusy * 100)}% of the run)`);
  if (busy < 0.9 && dbBusy < 0.9 && held >= 0.8) parts.push(`the head lock (held ${round(held * 100)}% of the run)`);
  const bound = parts.join(', and ') || 'neither the CPU nor a serial section: the clients';
  if (!limit) return bound;
  const by =
    c.databaseCores === null
      ? ''
      : ` (the server ${round(c.serverCores, 2)} cores, PostgreSQL ${round(c.databaseCores, 2)})`;
  const at = `at ${round(limit.perRecordUs)} µs of the ledger's CPU per record${by}, the ${c.cores} cores would carry at most ${round(limit.rate)} records/s (${round(limit.share * 100)}% of the ceiling) with nothing serial in the way`;
  const factor = round(limit.perRecordUs / limit.targetUs, 2);
  return limit.share < TARGET_RATIO / 100
    ? `${bound}; and the CPU would bound it next: ${at}, so ${TARGET_RATIO}% needs ≤ ${round(limit.targetUs)} µs per record (${factor}× less CPU per record) or ${factor}× the cores`
    : `${bound}; the CPU would allow the target: ${at}`;
}

async function withServer(ctx, storeKind, options, fn) {
  const { server, release } = await serverFor(ctx, storeKind, options);
  try {
    return await fn(server);
  } finally {
    await release();
  }
}

export async function run(ctx) {
  const CLIENTS = ctx.smoke ? 2 : 8;
  // Records pre-signed per client: more than a client can post in the time box, so the box ends
  // each run (a faster server would make these the limit; the rate stays right either way).
  const perBatch = ctx.smoke ? { 1: 3, 10: 10, 100: 20 } : { 1: 200, 10: 600, 100: 1500 };
  const forMs = ctx.smoke ? Number.POSITIVE_INFINITY : 6000;
  const profileRecords = ctx.smoke ? 20 : 1000;
  const warm = ctx.smoke ? 3 : 20;
  const stores = ['pglite', 'postgres'];
  const figures = [];
  const rows = [];
  const profileRows = [];
  const cpuRows = [];
  const notes = [];
  const checks = [];
  /** What bounded each store's batch-100 run, by its own figures (boundOf). */
  const bounds = [];

  // Signed once, posted to each store's own fresh ledger: signing is the client's cost, not the
  // server's, and doing it once halves the set-up time.
  const t = performance.now();
  const signed = {};
  for (const batch of [1, 10, 100]) {
    signed[batch] = await signedRecordStreams({ streams: CLIENTS, perStream: perBatch[batch], tag: `${batch}` });
  }
  const warmup = await signedRecordStreams({ streams: 2, perStream: warm, tag: 'w' });
  const profileWarmup = await signedRecordStreams({ streams: 1, perStream: warm, tag: 'pw' });
  const profiled = await signedRecordStreams({ streams: 1, perStream: profileRecords, tag: 'p' });
  const singles = await signedRecordStreams({ streams: 1, perStream: ctx.smoke ? 3 : 20, tag: 's' });
  ctx.log(`signed the records in ${round((performance.now() - t) / 1000)} s`);

  // The ceiling, before any server starts: what this machine's cores verify with nothing else of
  // the bench running (other users of a shared machine still count: see the load average).
  const ceiling = await verifyCeiling(ctx.smoke ? 200 : 3000);
  const perThread = ceiling.perThread.map((r) => round(r).toLocaleString('en-US')).join(', ');
  ctx.log(`verify ceiling: ${round(ceiling.total)} verifications/s on ${ceiling.threads} threads (${perThread})`);
  figures.push(
    figure({
      id: 'ingest:ceiling',
      label: `ceiling: node:crypto Ed25519 verifications/s, ${ceiling.threads} threads (one per core) at once`,
      value: round(ceiling.total),
      unit: 'verifications/s',
    }),
  );

  for (const storeKind of stores) {
    await withServer(ctx, storeKind, {}, async (server) => {
      // A warm-up batch so the first measured requests do not pay for JIT and connection set-up.
      await postStreams({
        url: server.url,
        streams: warmup,
        batch: 10,
      });
      for (const batch of [1, 10, 100]) {
        const serverCpu = () => server.call('/__bench/cpu');
        const before = batch === 100 ? await cpuSnapshot(serverCpu) : undefined;
        const r = await postStreams({ url: server.url, streams: signed[batch], batch, forMs });
        const rate = r.accepted / r.seconds;
        if (before) {
          const cpu = cpuOfRun(before, await cpuSnapshot(serverCpu), r.accepted);
          const limit = cpuLimit(cpu, ceiling.total);
          cpuRows.push(cpuRow(storeKind, rate, cpu, limit));
          bounds.push(`${storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite'}: ${boundOf(cpu, limit)}`);
          figures.push(
            figure({
              id: `ingest:${storeKind}:lockShare`,
              label: `${storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, batch 100: share of the run the ledger's head lock was held (placements are serial)`,
              value: round((cpu.lockShare ?? 0) * 100),
              unit: '%',
            }),
            ...(cpu.dbLoopBusy === null
              ? []
              : [
                  figure({
                    id: `ingest:${storeKind}:dbElu`,
                    label: `${storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, batch 100: the embedded database's own thread busy (event-loop utilisation)`,
                    value: round(cpu.dbLoopBusy * 100),
                    unit: '%',
                  }),
                ]),
            figure({
              id: `ingest:${storeKind}:elu`,
              label: `${storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, batch 100: server main thread busy (event-loop utilisation)`,
              value: round((cpu.serverLoopBusy ?? 0) * 100),
              unit: '%',
            }),
          );
          figures.push(
            figure({
              id: `ingest:${storeKind}:machineBusy`,
              label: `${storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, batch 100: whole machine busy during the run (of ${cpu.cores} cores; at ${cpu.cores} it is CPU-bound)`,
              value: round(cpu.machineCores, 2),
              unit: 'cores',
            }),
          );
          if (limit)
            figures.push(
              figure({
                id: `ingest:${storeKind}:ledgerCpu`,
                label: `${storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, batch 100: the ledger's CPU per record (${storeKind === 'postgres' ? 'the server and PostgreSQL' : 'the server, its database thread included'})`,
                value: round(limit.perRecordUs),
                unit: 'µs',
              }),
              figure({
                id: `ingest:${storeKind}:cpuLimit`,
                label: `${storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, batch 100: records/s all ${cpu.cores} cores would carry at that CPU per record, as a share of the ceiling (the CPU bound, nothing serial in the way)`,
                value: round(limit.share * 100),
                unit: '%',
              }),
            );
        }
        rows.push([storeKind, batch, CLIENTS, r.accepted, round(r.seconds), round(rate), JSON.stringify(r.rejected)]);
        checks.push({
          what: `${storeKind} batch ${batch}: every record accepted`,
          ok: r.accepted === r.sent,
          detail: JSON.stringify(r.rejected),
        });
        if (Object.keys(r.rejected).length > 0)
          notes.push(`${storeKind} batch ${batch}: rejected ${JSON.stringify(r.rejected)}`);
        const name = storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite';
        figures.push(
          figure({
            id: `ingest:${storeKind}:batch${batch}`,
            label: `${name}, batch ${batch}, ${CLIENTS} clients`,
            value: round(rate),
            unit: 'records/s',
          }),
        );
        if (batch === 100) {
          figures.push(
            figure({
              id: `ingest:${storeKind}:ratio`,
              label: `${name}, batch 100: records/s as a share of the verification ceiling (${round(ceiling.total).toLocaleString('en-US')}/s)`,
              value: round((rate / ceiling.total) * 100),
              unit: '%',
              target: { op: '>=', value: TARGET_RATIO, text: `≥ ${TARGET_RATIO}% of the ceiling` },
            }),
          );
        }
        ctx.log(`${storeKind} batch ${batch}: ${round(rate)} records/s`);
      }
    });

    // Where the time goes: one client, batch 100, every query and WebCrypto call timed.
    await withServer(ctx, storeKind, { profile: true }, async (server) => {
      await postStreams({
        url: server.url,
        streams: profileWarmup,
        batch: 10,
      });
      await server.call('/__bench/profile', {}); // reset
      const r = await postStreams({ url: server.url, streams: profiled, batch: 100, forMs });
      const p = await server.call('/__bench/profile');
      // The server's own clock over the measured window: every instant in exactly one row.
      const wall = p.total;
      const share = (ms) => `${round((ms / wall) * 100)}%`;
      const perRecord = (ms) => round((ms / r.accepted) * 1000);
      const parts = [
        [
          'signature verification on this thread (node:crypto verify: small batches, and the ledger’s own checks)',
          p.verify,
        ],
        ['records out on the verify pool (this thread free meanwhile)', p.pool],
        ['receipt and checkpoint signing (node:crypto sign)', p.sign],
        ['hashing (node:crypto SHA-256: digests, chain, tree)', p.hash],
        ['blind index HMAC', p.hmac],
        ['database (queries in flight: PostgreSQL’s process, or PGlite’s own thread, at work or queued)', p.db],
        ['WebCrypto calls (key import, AES-GCM)', p.importKey + p.encrypt],
        ['everything else (HTTP, JSON, zod, JCS, sealing openings, rules, idle)', p.other],
      ];
      for (const [what, ms] of parts) profileRows.push([storeKind, what, share(ms), perRecord(ms)]);
      profileRows.push([
        storeKind,
        `total: ${r.accepted} records, ${round(r.accepted / r.seconds)} records/s serial, ${round(p.dbCalls / r.requests)} statements per request of 100`,
        '100%',
        perRecord(wall),
      ]);
      for (const [key, ms] of [
        ['db', p.db],
        ['verify', p.verify + p.pool],
        ['hash', p.hash],
      ]) {
        figures.push(
          figure({
            id: `ingest:${storeKind}:share:${key}`,
            label: `${storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite'}: share of ingest time in ${key === 'db' ? 'the database' : key === 'verify' ? 'signature verification (in place or on the pool)' : 'hashing'}`,
            value: round((ms / wall) * 100),
            unit: '%',
          }),
        );
      }

      // What one capture costs the database: statements per single-record POST (a new person).
      await server.call('/__bench/profile', {});
      const one = await postStreams({ url: server.url, streams: singles, batch: 1 });
      const q = await server.call('/__bench/profile');
      const statements = q.dbCalls / one.requests;
      profileRows.push([
        storeKind,
        `one record per POST (a capture): ${round(statements)} statements per request, ${round(q.total / one.requests)} ms of server wall time each, ${round((q.db / q.total) * 100)}% of it in the database`,
        '',
        '',
      ]);
      figures.push(
        figure({
          id: `ingest:${storeKind}:statements-per-capture`,
          label: `${storeKind === 'postgres' ? 'PostgreSQL' : 'PGlite'}: statements per single-record POST (BEGIN/COMMIT not counted)`,
          value: round(statements),
          unit: 'statements',
        }),
      );
    });
  }
  notes.push(
    `The target is the issue's ratio, not a fixed rate: batch-100 records/s as a share of the ceiling measured first in the same run (node:crypto Ed25519 one-shot verification with a KeyObject, one thread per core, all at once, ${ctx.smoke ? 'briefly' : '3 s'}). Both run on the same shared machine, so load from other work lowers both; the load average beside each figure says how much.`,
    'Shares come from a serial run (one client, batch 100) on a server that gives each instant of its wall time to ONE kind of work, so they add up to 100%: a synchronous node:crypto call (verify, sign, SHA-256, HMAC) while one runs, else a query while one is in flight (on PGlite the database is WebAssembly on this same thread, so that is mostly the database computing), else a WebCrypto call, else records out on the verify pool, else "everything else" (HTTP, JSON, zod, JCS, sealing openings, rules, and idle). The statements-per-request row counts the store calls (BEGIN and COMMIT are not among them).',
    'Where the time went two rounds ago (node --cpu-prof of the bench server, batch 100 × 8 clients, load 5–11): on PGlite, PGlite itself took 55% of the server’s CPU (its WebAssembly 34%, its JavaScript 21%, of which its in-memory file system ≈ 6%), Ed25519 verification 7%, receipt and note signing 2%, GC 4%, JCS and zod 3%; on PostgreSQL the server idled 19% (waiting on the database) and verification was its largest share (14%), then signing (7%), GC (5%), JCS (4%), hashing (3%). A single-record POST (a capture) ran 12 statements on PGlite, 12.9 of its 22.8 ms in the database (load 14).',
    'What changed the round before: (1) signatures of a batch of 8 or more are checked on a worker_threads pool (packages/server/src/ingest/verify-pool.ts, one worker per core, running the same checkSignedRecord as the in-place path; a small batch stays in place so a capture waits for no thread); (2) a placement runs its lookups as one statement and its writes as one, and an append writes its entries, checkpoints and head in one: 5 statements per single-record POST instead of 12; hot statements are prepared by name on PostgreSQL.',
    'A/B of that round, interleaved (two rounds, the order reversed in the second; each variant a fresh server; 100 single-record POSTs by one client, then batch 100 × 8 clients for 6 s; CPU = the server process’s user+system time, all its threads), at load average 8–14 on the 2-core machine: single-record POST server CPU on PGlite 23.7 / 19.9 ms before, 15.1 / 19.6 ms after the statement cut; batch-100 server CPU per record on PGlite 1,494 / 1,595 µs before, 1,000 / 1,129 µs with the statement cut, 1,512 / 1,092 µs with the pool as well; on PostgreSQL 844 / 527 µs before, 731 / 700 µs and 797 / 707 µs. Throughput swung 2× between rounds (PGlite batch 100: 107 / 249 records/s before, 188 / 448 with the statement cut, 157 / 762 with the pool; PostgreSQL 498 / 927, 658 / 368, 516 / 727), so on this shared machine the pool’s gain is not proven: with both cores busy there is no idle core for it to use.',
    'The CPU table is read around each batch-100 run (bench/lib/cpu-of-run.mjs, as the one-click and state benches read theirs): the server process with all its threads (the verify pool included), this process (the clients: JSON and fetch), and the whole machine, other sessions included. A run is CPU-bound when the machine was busy on every core; only then does "more cores" answer what bounds it.',
    'The last three columns of the CPU table are the two serial limits, read around the same run: the server’s main thread (its event-loop utilisation: busy all the time, it is one core’s work however many cores are idle) and the ledger’s head lock (bench/lib/server-child.mjs times ledger.withLock: from taking a connection to COMMIT; its share of the run’s wall time, and per accepted record). Every placement runs under that one lock, one group after another: concurrent requests are gathered into a group (up to 1,000 records) whose lookup (duplicates, signer chains, people), people’s rows, chain and tree hashes, receipts (one Ed25519 signature per record) and signed head, entries statement and history projection run in one transaction. When the lock is held all the time, records/s is 1 ÷ (lock time per record), whatever the clients and cores.',
    `What bounds it, by this run’s own figures (the CPU table): ${bounds.join('; ') || 'no batch-100 run'}. Two bounds, then, both measured in the run: the serial placement (records/s ≈ 1 ÷ the lock’s time per record while it is held all the run) and, right behind it, the CPU: the ledger’s own CPU per record (the server’s process, all its threads, and on PostgreSQL PostgreSQL’s processes, read from /proc around the run; the clients not counted) caps records/s at cores ÷ that cost even with nothing serial in the way. At 50% of the ceiling, verification alone takes half of every core by the ceiling’s own definition, so everything else a record costs (HTTP and JSON, the lookup and the writes of its entry, person, key, opening and history row, its receipt’s signature) must fit in as much CPU again as its verification (≈ 106 µs at 18,900 verifications/s on 2 cores); measured (2026-12-08, load 0.5–2.1), the ledger took 381–392 µs per record in all on PostgreSQL and 515–536 µs on PGlite, so the rest took 2.6–4× that. So on this 2-core machine the ingest target needs 1.8–2.5× less CPU per record as well as a shorter lock, or as many times the cores once the lock is no longer held all the run (this run’s own figures are in the bound above).`,
    'Where the lock’s time goes on PostgreSQL (probe, main, 8 clients × batch 100, load 2.3, 2,414 records/s, lock held 95%; µs per record): lookup statement 81, placement 17, sealing new people’s keys and openings 50, the people’s write 44, chain and tree hashes 25, receipt and head signing 70, entries statement 71, history projection 23, connection, BEGIN, lock and COMMIT 9: 392 in all. The statements are about 60% of it and the main thread’s own work (sealing, hashing, signing, placement) about 40%; while the lock holder waits for a statement, the main thread serves other requests (parsing, verification hand-off, their lock-free checks), and the holder’s next step waits its turn behind them.',
    'Tried this round and not kept (packages/server/src/ingest/ingest.ts; about 100 lines for a gain within noise, and wasted sealing for a returning person): a record that brings an opening also brings, made before the lock, the person it would make (a ref, a data key sealed under the opening key, the opening sealed with it); under the lock it is used only if the person turns out to be new, else the opening is sealed there with the person’s own key as before. And the people’s rows are sent to the database before the entries are chained and signed, so the database writes them meanwhile. In the probe on PostgreSQL (three quiet pairs, load 1.3–3.5) sealing inside the lock fell from 43–50 to 2–6 µs a record and the wait for the people’s write from 42–52 to 5–12, but the lock’s time per record fell only from 392–426 to 389–417 µs: the entries statement waits for the write still running (one connection runs one statement at a time) and the sealing, now beside the lock on the same thread, delays the holder’s steps. Records/s: probe 2,316 / 2,414 / 2,208 on main against 2,437 / 2,395 / 2,254 with the change; this bench’s interleaved rounds, batch 100 × 8 clients, PostgreSQL 1,901 / 1,078 / 1,173 / 1,293 on main against 1,226 / 724 / 1,896 / 1,363, PGlite 2,048 / 924 / 2,070 / 1,031 against 2,156 / 854 / 2,413 / 1,320 (the PGlite lock share fell from 80–88% to 75–77% every time). The throughput gain is within noise on both stores, so the placement was left as it was.',
    'Found and fixed this round (2026-12-08, profiled with the lock’s phases timed and EXPLAIN of each statement under the lock): PostgreSQL kept the generic plan it made for a named statement on the new, near-empty ledger (the placement’s lookup: a sequential scan of ledger_entries, 4.2 ms per group at 2,000 entries against 0.5 ms by its index), so on a new ledger ingest slowed as the ledger grew until autovacuum’s ANALYZE; named statements are now prepared again as their executions double (packages/server/src/platform/store/replan.ts). Measured interleaved (this bench, two rounds each, load 0.5–2.1): PostgreSQL batch 100 × 8 clients 2,049 / 2,285 → 4,026 / 3,899 records/s, PGlite 2,352 / 3,069 → 2,759 / 2,868 (PGlite runs a transaction’s statements unprepared: no change expected). Tried and not kept: PGlite preparing a transaction’s statements too (SQL PREPARE/EXECUTE in the transaction): its ingest fell to 1,360–1,494 records/s against 2,929–3,129 (generic plans, and the JSON parameters parsed as SQL literals), captures no faster.',
    'What would lift it: on PostgreSQL, a shorter lock, which means fewer statements in it and less main-thread work beside it: the lookup answered from what the server already knows (the signer heads and people of the groups it placed; a cache kept under the lock), the people’s write folded into the entries’ statement (one statement fewer per group), and the per-request work (body parsing, lock-free checks, sealing) and the receipt signing moved to worker threads so the lock holder’s steps do not queue behind them on the main thread; then more cores, once the lock is no longer held all the time. On PGlite the same: its placement, now also a hand-off between the server’s thread and the database’s for every statement, is the lock’s time. A load generator on another machine matters little: the clients took ≈ 0.1 core.',
  );
  return {
    method: `Records are pre-signed (Ed25519, each client a device with its own prev-chain, each record a new person with an email commitment and opening), then ${CLIENTS} clients post their records in order at once; rate = accepted records ÷ wall time.`,
    figures,
    tables: [
      { title: 'Throughput', columns: ['store', 'batch', 'clients', 'accepted', 's', 'records/s', 'rejected'], rows },
      { title: 'CPU during the batch-100 runs', columns: CPU_COLUMNS, rows: cpuRows },
      {
        title: 'Where ingest time goes (serial, batch 100)',
        columns: ['store', 'part', 'share of wall time', 'µs per record'],
        rows: profileRows,
      },
    ],
    notes,
    checks,
  };
}
