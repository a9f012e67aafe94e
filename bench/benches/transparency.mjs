// 8. The transparency log (R72) on the 1,000,000-entry bench ledger: how fast verify's Merkle
// recomputation runs over the stored entries, the whole `consentkit verify`, and inclusion proofs
// over HTTP, one at a time and at a fixed 200 req/s. It reuses the ledger growth built (as verify
// does); alone, it grows its own (the generator grows the head's tree with the entries and signs
// the head once per step, so growing is bounded by signing and inserting, not by re-sealing).
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { benchLedger } from '../lib/big-ledger.mjs';
import { runVerifyCli } from '../lib/cli.mjs';
import { cpuBound, cpuOfRun, cpuSnapshot } from '../lib/cpu-of-run.mjs';
import { figure, notMeasured } from '../lib/figures.mjs';
import { cpuReport, FIXED_RATE_COLUMNS, fixedRateReport } from '../lib/fixed-rate.mjs';
import { pacedLoad } from '../lib/paced-load.mjs';
import { importFrom, src } from '../lib/paths.mjs';
import { startBenchServer } from '../lib/server.mjs';
import { round } from '../lib/stats.mjs';
import { LARGEST } from './growth.mjs';

/** A process's resident memory in MB (Linux /proc; NaN elsewhere). */
function residentMB(pid) {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * Recomputes the tree over every stored entry as one thread reads it (verify's walk on PGlite, or
 * without a database URL): a page of 5,000 rows with verify's columns, each row's hash input built
 * (`entryTexts`), its entry hash and leaf hash made on every core (leaf-hasher.ts), the entry hash
 * checked against the stored one, the page's subtrees hashed on every core too and pushed on the
 * frontier (merkle.ts). Reading the rows is timed apart from the rest; the next page is read while
 * one is hashed, as verify does.
 */

/** The signed head's size and root (or why its note does not parse), to compare a recomputed root with. */
async function signedHead(client) {
  const { parseCheckpointNote } = await import(src('packages/server/src/ledger/checkpoint-note.ts'));
  const { rows } = await client.query('SELECT checkpoint FROM ledger_head WHERE id = 1');
  const head = parseCheckpointNote(rows[0]?.checkpoint ?? '');
  return 'reason' in head
    ? { headSize: Number.NaN, headRoot: head.reason }
    : { headSize: head.size, headRoot: head.root.toString('base64') };
}

export async function recomputeRootOneReader(databaseUrl) {
  const { default: pg } = await importFrom('packages/server', 'pg');
  const { COLUMNS, entryTexts } = await import(src('packages/server/src/ledger/verify-ledger.ts'));
  const { createLeafHasher } = await import(src('packages/server/src/ledger/leaf-hasher.ts'));
  const { pushBlock, rootOf } = await import(src('packages/server/src/ledger/merkle.ts'));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const hasher = createLeafHasher();
  try {
    const frontier = [];
    let size = 0;
    let readMs = 0;
    let inputMs = 0;
    let treeMs = 0;
    let mismatched = 0;
    const read = (after) =>
      client.query(`SELECT ${COLUMNS} FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT 5000`, [after]);
    const started = performance.now();
    let next = read(0);
    for (;;) {
      // Reading counts only the time spent waiting for a page: the next is read during the hashing.
      const t0 = performance.now();
      const { rows } = await next;
      const t1 = performance.now();
      readMs += t1 - t0;
      if (rows.length === 0) break;
      next = read(Number(rows.at(-1).seq));
      const texts = entryTexts(rows);
      const t2 = performance.now();
      const hashes = await hasher.hashPage(texts);
      // The page's tree on the workers too, as one stretch (the bench ledger's checkpoints carry
      // no notes, so verify asks no root inside a page either).
      const [blocks] = await hasher.subtrees(size, [rows.length]);
      for (let i = 0; i < rows.length; i++) {
        if (hashes.toString('hex', i * 64, i * 64 + 32) !== rows[i].entry_hash) mismatched++;
      }
      for (const block of blocks) {
        pushBlock(frontier, size, block.level, block.hash);
        size += 2 ** block.level;
      }
      const t3 = performance.now();
      inputMs += t2 - t1;
      treeMs += t3 - t2;
    }
    return {
      size,
      mismatched,
      root: rootOf(frontier).toString('base64'),
      ...(await signedHead(client)),
      readMs,
      inputMs,
      treeMs,
      wallMs: performance.now() - started,
    };
  } finally {
    await hasher.close();
    await client.end();
  }
}

/** Entries per worker range, verify's default (verify-ledger.ts). */
const RANGE = 32_768;

/**
 * Recomputes the tree as `consentkit verify` does on PostgreSQL (range-walk.ts): ranges of
 * 32,768 entries, each read over a worker's own connection and checked there (seq, link, entry
 * hash against the stored one, leaf hash, the range's subtrees; not the records' strict form,
 * which verify checks in the same pass and the root does not depend on); this thread only holds each
 * range's first link to the hash before it and pushes its subtrees on the frontier. Timed whole,
 * from the first range handed out to the root: reading is the workers' work now.
 */
export async function recomputeRootInRanges(databaseUrl) {
  const { default: pg } = await importFrom('packages/server', 'pg');
  const { createRangeWalker } = await import(src('packages/server/src/ledger/range-walk.ts'));
  const { pushBlock, rootOf } = await import(src('packages/server/src/ledger/merkle.ts'));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const walker = createRangeWalker({ databaseUrl });
  try {
    const started = performance.now();
    const [{ last }] = (await client.query('SELECT coalesce(max(seq), 0)::int AS last FROM ledger_entries')).rows;
    const frontier = [];
    let size = 0;
    let mismatched = 0;
    let prevHash;
    const taskAt = async (k) => {
      const after = k * RANGE;
      if (after >= last) return undefined;
      const upTo = Math.min(last, after + RANGE);
      // The root does not depend on the records' strict form (verify checks it in the same pass).
      return { after, upTo, ends: [upTo], hashesAt: [], strictForm: false };
    };
    for await (const r of walker.walk(taskAt)) {
      if (r.fault || (prevHash !== undefined && r.firstPrev !== prevHash)) {
        mismatched++;
        break;
      }
      for (const block of r.stretches[0]) {
        pushBlock(frontier, size, block.level, block.hash);
        size += 2 ** block.level;
      }
      prevHash = r.lastHash;
    }
    const root = rootOf(frontier);
    const wallMs = performance.now() - started;
    return {
      size,
      mismatched,
      root: root.toString('base64'),
      ...(await signedHead(client)),
      wallMs,
    };
  } finally {
    await walker.close();
    await client.end();
  }
}

export async function run(ctx) {
  const big = ctx.smoke ? 600 : LARGEST;
  const figures = [];
  const notes = [];
  const checks = [];
  const rows = [];
  const shared = ctx.shared.get('bigLedger');
  const ledger =
    shared ?? (await benchLedger(ctx, 'ck_bench_tlog', big, ctx.smoke ? undefined : ctx.deadline - 240_000));

  // 1. Root recomputation, as verify does it on PostgreSQL (worker ranges), interleaved with the
  // one-reader walk (PGlite's) on the same ledger at the same load: ranges, one reader, ranges, one reader.
  const loads = [];
  const ranged = [];
  const rangedCpu = [];
  const single = [];
  // No server here: the CPU of the run is this process's (the range workers are its threads) and
  // the machine's (PostgreSQL's backends, and whoever else shares the machine).
  const noServer = async () => ({ wallMs: performance.now(), user: 0, system: 0 });
  for (let i = 0; i < 2; i++) {
    loads.push(loadavg()[0]);
    const before = await cpuSnapshot(noServer);
    ranged.push(await recomputeRootInRanges(ledger.databaseUrl));
    rangedCpu.push(cpuOfRun(before, await cpuSnapshot(noServer), 0));
    ctx.log(`root in worker ranges over ${ranged.at(-1).size} entries: ${round(ranged.at(-1).wallMs / 1000)} s`);
    loads.push(loadavg()[0]);
    single.push(await recomputeRootOneReader(ledger.databaseUrl));
  }
  const r = single.at(-1);
  // What the ledger holds now: a ledger shared with growth has grown past the size growth last
  // measured at (it posts records at each size), so the count read back is the one to use.
  const million = r.size.toLocaleString('en-US');
  if (r.size < big)
    notes.push(
      `The ledger has ${million} entries, not ${big.toLocaleString('en-US')}: generating it ran out of the time budget on this machine now.`,
    );
  const rangedMs = ranged.reduce((a, x) => a + x.wallMs, 0);
  const rangedSize = ranged.reduce((a, x) => a + x.size, 0);
  const singleSeconds = (r.inputMs + r.treeMs) / 1000;
  ctx.log(
    `root over ${r.size} entries, one reader: waited for rows ${round(r.readMs / 1000)} s, hash inputs ${round(r.inputMs / 1000)} s, hashes + tree ${round(r.treeMs / 1000)} s`,
  );
  for (const x of [...ranged, ...single]) {
    checks.push({
      what: 'the recomputed root is the root of the ledger’s signed head, every entry hash holds',
      ok: x.size === x.headSize && x.root === x.headRoot && x.mismatched === 0,
      detail: `${x.size} entries → ${x.root}; head ${x.headSize} → ${x.headRoot}; ${x.mismatched} entry hashes differ`,
    });
  }
  figures.push(
    figure({
      id: 'transparency:root-rate',
      label: `root recomputation in verify on PostgreSQL: ranges of ${RANGE.toLocaleString('en-US')} entries read and hashed by a worker per core over its own connection (entry + leaf hash, subtrees, RFC 9162; not the strict-form check verify makes in the same pass), joined on one thread; ${million} stored entries, reading included, mean of 2 runs`,
      value: round(rangedSize / (rangedMs / 1000)),
      unit: 'entries/s',
      target: { op: '>=', value: 200_000, text: '≥ 200,000 entries/s' },
    }),
    figure({
      id: 'transparency:root-machine-busy',
      label: `root recomputation in worker ranges: whole machine busy during the pass (every process, PostgreSQL's and other people's included; of ${rangedCpu[0].cores} cores; at ${rangedCpu[0].cores} it is CPU-bound), mean of 2 runs`,
      value: round(rangedCpu.reduce((a, c) => a + c.machineCores, 0) / rangedCpu.length, 2),
      unit: 'cores',
    }),
    figure({
      id: 'transparency:root-process-cores',
      label:
        'root recomputation in worker ranges: CPU of the walking process during the pass (its range workers and the joining thread; PostgreSQL not included), mean of 2 runs',
      value: round(rangedCpu.reduce((a, c) => a + c.generatorCores, 0) / rangedCpu.length, 2),
      unit: 'cores',
    }),
    figure({
      id: 'transparency:root-wall',
      label: `wall time to read ${million} rows from PostgreSQL and recompute the root in worker ranges (mean of 2 runs)`,
      value: round(rangedMs / ranged.length / 1000),
      unit: 's',
    }),
    figure({
      id: 'transparency:root-rate-one-reader',
      label: `root recomputation with one reading thread (verify on PGlite, pages of 5,000: hash input on that thread, entry + leaf hash and subtrees on every core), ${million} entries, reading excluded, last of 2 runs`,
      value: round(r.size / singleSeconds),
      unit: 'entries/s',
    }),
  );
  notes.push(
    'Root recomputation in worker ranges, profiled (node --cpu-prof on the range check in one thread, 1,000,000-entry ledger, 2026-12-07, load average 15–16 on 2 cores): reading the range by binary COPY and writing each hash input from the row’s bytes took the CPU per entry from 14.2–16.1 µs (a SELECT through the pg driver: every column a string, every row an object, the input built by string concatenation) to 9.9–11.4 µs; of what is left, SHA-256 (two over the ≈ 1.3 KB input, about one node hash) is 46 % of the samples, garbage collection 8 %, the escape scan of the columns 5 %, writing the input 3 %, the COPY messages 3 %. The root pass needs PostgreSQL’s CPU to send the rows besides.',
  );
  notes.push(
    `Root recomputation in worker ranges, CPU per run (cores busy: whole machine / the walking process): ${rangedCpu
      .map((c) => `${round(c.machineCores, 2)} / ${round(c.generatorCores, 2)}`)
      .join(
        ', ',
      )} of ${rangedCpu[0].cores}; ${rangedCpu.every(cpuBound) ? 'every core was busy: the pass is CPU-bound on this machine' : 'some cores were idle: the pass was not bound by the CPU alone'}.`,
  );
  for (const [i, x] of ranged.entries())
    rows.push([`root, worker ranges (run ${i + 1})`, x.size, '—', '—', round(x.wallMs / 1000), x.root]);
  for (const [i, x] of single.entries()) {
    rows.push([
      `root, one reader (run ${i + 1})`,
      x.size,
      round(x.readMs / 1000),
      round(x.inputMs / 1000),
      round(x.treeMs / 1000),
      x.root,
    ]);
  }

  // Where the time goes, from this run's own timings.
  const shares = [
    ['waiting for rows from PostgreSQL', r.readMs],
    ['building the hash inputs (entry JSON)', r.inputMs],
    ['entry + leaf hashes and the tree', r.treeMs],
  ].map(([what, ms]) => `${what} ${Math.round((100 * ms) / r.wallMs)} %`);
  notes.push(
    `Root recomputation runs were interleaved (worker ranges, one reader, worker ranges, one reader) at 1-minute load averages ${loads.map((l) => l.toFixed(1)).join(', ')} on ${availableParallelism()} cores. Worker ranges: each range's rows are read, parsed, checked and hashed on the worker that asked for them; what crosses to the walk's thread per range is its first link, last hash and a few subtree roots, so that thread's work is per range, not per entry. One reader, where the time went in its last run: ${shares.join(', ')} of the ${round(r.wallMs / 1000)} s wall time (its figure divides the entries by the time of building the inputs, hashing and updating the tree, reading excluded, as the next page is read meanwhile). Each entry costs two SHA-256 over its ≈ 1.3 KB hash input (the chain's entry hash and the leaf hash; RFC 9162 leaves are the bytes the entry hash covers) and about one node hash.`,
    'Root recomputation with one reader, profiled (node --cpu-prof, 150,000 entries, 2026-12-07, load average 16–19 on 2 cores): the walk was bound by its one JavaScript thread, not by hashing (each worker idled 60–67 % of the run). On that thread: the pg driver turning rows into strings and objects about a quarter, garbage collection about a fifth (each page is ≈ 15 MB of row strings and hash inputs), building the hash inputs a tenth, waiting a quarter; its CPU time was 15.5–17.6 µs per entry, which bounds one thread at about 60,000 entries/s before any waiting. Hence the worker ranges (verify on PostgreSQL): the rows are never parsed on the walk’s thread. PGlite keeps one reader, as its database lives in one process and a worker cannot open it.',
  );

  // 2. The whole `consentkit verify` (without --signatures), as an operator runs it.
  const capMs = ctx.smoke ? 60_000 : Math.max(30_000, Math.min(240_000, ctx.deadline - performance.now() - 150_000));
  const v = await runVerifyCli({ databaseUrl: ledger.databaseUrl, capMs });
  const verifyOk = v.code === 0 && /^ok: (\d+) entries/.test(v.stdout);
  const firstPage = v.progress[0];
  const lastPage = v.progress.at(-1);
  // A walk of one page has no span between pages: then the whole run's time (start-up included).
  const walkRate =
    firstPage && lastPage && lastPage.ms > firstPage.ms
      ? (lastPage.after - firstPage.after) / ((lastPage.ms - firstPage.ms) / 1000)
      : (lastPage?.after ?? 0) / v.seconds;
  const retained = v.progress.filter((p) => p.retainedMB !== undefined);
  checks.push({
    what: 'consentkit verify answers ok over the ledger (or was still walking at the cap)',
    ok: verifyOk || v.timedOut,
    detail: (v.stdout || v.stderr).split('\n')[0],
  });
  figures.push(
    figure({
      id: 'transparency:verify-rate',
      label: `consentkit verify (no --signatures) over ${million} entries: entries walked per second, first page to last`,
      value: round(walkRate),
      unit: 'entries/s',
    }),
    figure({
      id: 'transparency:verify-peak-rss',
      label: 'consentkit verify: peak resident memory',
      value: round(v.peakRssMB),
      unit: 'MB',
    }),
  );
  rows.push([
    verifyOk ? 'consentkit verify: ok' : v.timedOut ? 'consentkit verify: stopped at the cap' : `verify exit ${v.code}`,
    lastPage?.after ?? 0,
    '—',
    '—',
    round(v.seconds),
    `heap kept ${retained.map((p) => round(p.retainedMB)).join(' → ')} MB`,
  ]);

  // 3. Inclusion proofs over HTTP at a fixed rate, against the signed head.
  const rate = ctx.smoke ? 50 : 200;
  const server = await startBenchServer({ store: 'postgres', databaseUrl: ledger.databaseUrl });
  const loadRows = [];
  try {
    // Generated entries bypass the append path: the first proof builds the stored tree (merkle_nodes)
    // for the whole ledger, as the first proof after an upgrade does. Timed apart, not in the load.
    const rssBefore = residentMB(server.pid);
    const t0 = performance.now();
    const first = await fetch(`${server.url}/v1/log/inclusion?index=0`);
    const firstBody = await first.json();
    const buildSeconds = (performance.now() - t0) / 1000;
    checks.push({
      what: 'the first inclusion proof answers 200 for the head',
      ok: first.status === 200 && firstBody.size === r.size,
      detail: `${first.status}, size ${firstBody.size}`,
    });
    figures.push(
      figure({
        id: 'transparency:tree-build',
        label: `first proof after generation: stored tree built for ${million} entries`,
        value: round(buildSeconds),
        unit: 's',
      }),
    );
    const rssBuilt = residentMB(server.pid);
    let seed = 4242;
    const size = firstBody.size;
    const pick = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % size;
    };
    // One at a time first: what a proof costs with no queue in front of it.
    const serial = [];
    for (let i = 0; i < (ctx.smoke ? 20 : 500); i++) {
      const t = performance.now();
      const response = await fetch(`${server.url}/v1/log/inclusion?index=${pick()}`);
      await response.arrayBuffer();
      serial.push(performance.now() - t);
    }
    serial.sort((a, b) => a - b);
    const serialAt = (q) => serial[Math.min(serial.length - 1, Math.floor(q * serial.length))];
    figures.push(
      figure({
        id: 'transparency:inclusion-serial:p50',
        label: `inclusion proof one at a time (random leaf of ${million}), p50`,
        value: round(serialAt(0.5)),
        unit: 'ms',
      }),
      figure({
        id: 'transparency:inclusion-serial:p99',
        label: `inclusion proof one at a time (random leaf of ${million}), p99`,
        value: round(serialAt(0.99)),
        unit: 'ms',
      }),
    );
    // Evenly paced, timed from when each request was due (paced-load.mjs: why not autocannon).
    const load = await pacedLoad({
      url: server.url,
      rate,
      durationMs: ctx.smoke ? 1000 : 20_000,
      warmupMs: ctx.smoke ? 0 : 3000,
      timeoutMs: ctx.smoke ? 120_000 : 10_000,
      serverCpu: () => server.call('/__bench/cpu'),
      request: () => ({ path: `/v1/log/inclusion?index=${pick()}` }),
    });
    notes.push(
      `Inclusion proofs at ${rate} req/s: the generator sent its requests ${round(load.sendLateMs.p50, 2)} ms late at p50, ${round(load.sendLateMs.p99, 2)} ms at p99 (${round(load.sendLateMs.max, 2)} ms at most) on this machine; that lateness is counted in the latencies (each is timed from when its request was due). Timed from when each request went out instead (the server and the network only): p50 ${round(load.fromSendMs.p50, 2)} ms, p99 ${round(load.fromSendMs.p99, 2)} ms.`,
    );
    const report = fixedRateReport({
      id: 'transparency:inclusion',
      what: `inclusion proof (random leaf of ${million})`,
      name: 'PostgreSQL',
      rate,
      r: load,
      target: { op: '<', value: 10, text: '< 10 ms' },
    });
    figures.push(...report.figures);
    notes.push(...report.notes);
    // Whether the server got the CPU the rate needs (it shares two cores with everything else).
    const cpu = cpuReport({ id: 'transparency:inclusion', what: 'inclusion proof', name: 'PostgreSQL', rate, r: load });
    figures.push(...cpu.figures);
    if (cpu.note) notes.push(cpu.note);
    const rssAfter = residentMB(server.pid);
    figures.push(
      figure({
        id: 'transparency:server-rss',
        label: `bench server resident memory after the load (${million} entries; their Merkle nodes held for proofs)`,
        value: round(rssAfter),
        unit: 'MB',
      }),
    );
    notes.push(
      `Bench server resident memory (VmRSS): ${round(rssBefore)} MB before the first proof, ${round(rssBuilt)} MB after it, ${round(rssAfter)} MB after the load. The nodes held take 36 bytes a leaf (node-cache.ts; 36 MB per million entries): most of the growth at the first proof is the heap V8 grew to while building the stored tree (pages of 2,000 rows and their JSON), kept after the build.`,
    );
    checks.push(report.check);
    loadRows.push(report.row);

    // A restart: a new process on the built ledger warms its node cache in the background, as a
    // listening server does (runtime/server.ts). Its first proof is timed as soon as it listens
    // (answered from the stored nodes while the cache fills), and how long until the cache holds
    // every leaf, polled every 50 ms.
    await server.stop();
    const restartedAt = performance.now();
    const restarted = await startBenchServer({ store: 'postgres', databaseUrl: ledger.databaseUrl, warmProofs: true });
    try {
      const listenedMs = performance.now() - restartedAt;
      const t1 = performance.now();
      const firstAfter = await fetch(`${restarted.url}/v1/log/inclusion?index=${pick()}`);
      await firstAfter.arrayBuffer();
      const firstAfterMs = performance.now() - t1;
      let warmMs = Number.NaN;
      for (;;) {
        const { leaves } = await restarted.call('/__bench/proof-cache');
        if (leaves >= size) {
          warmMs = performance.now() - restartedAt;
          break;
        }
        if (performance.now() - restartedAt > 300_000) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      checks.push({
        what: 'after a restart the proof cache warms to the head in the background, its first proof answered meanwhile',
        ok: firstAfter.status === 200 && Number.isFinite(warmMs),
        detail: `first proof ${firstAfter.status}; warm ${round(warmMs / 1000)} s`,
      });
      figures.push(
        figure({
          id: 'transparency:restart-first-proof',
          label: `inclusion proof right after a restart on ${million} entries, while the node cache warms (from the stored nodes)`,
          value: round(firstAfterMs),
          unit: 'ms',
        }),
        figure({
          id: 'transparency:restart-warm',
          label: `node cache warm after a restart: from the process start until it holds all ${million} leaves (background, readiness not delayed)`,
          value: round(warmMs / 1000),
          unit: 's',
        }),
      );
      notes.push(
        `Restart: the server listened ${round(listenedMs / 1000)} s after it was started; its first proof took ${round(firstAfterMs)} ms, and the node cache held every leaf ${round(warmMs / 1000)} s after the start (${round(residentMB(restarted.pid))} MB resident then).`,
      );
    } finally {
      await restarted.stop();
    }
  } catch (error) {
    figures.push(
      notMeasured(
        { id: 'transparency:inclusion:p99', label: `inclusion proof p99 at ${rate} req/s`, unit: 'ms' },
        String(error?.message ?? error),
      ),
    );
  } finally {
    await server.stop();
  }
  notes.push(
    'Inclusion proofs: each answer is made in memory, with no query: the server process holds the stored Merkle nodes (node-cache.ts: the leaf hashes and the levels from 4 up, 36 bytes a leaf, 36 MB per million entries; levels 1–3 are recomputed from the leaves, at most 11 node hashes a proof), learnt as it builds the tree and read back from merkle_nodes for sizes another process built; the signed head is held up to a second (read again when a leaf or size is past it), so the head costs no query either; the checkpoint note travels with each answer. The first proof after generation builds the stored tree and fills the cache as it goes (the tree-build figure). Before the cache (2026-12-06/07), each answer was one indexed, prepared query on merkle_nodes: a serial answer was 0.56–0.74 ms p50 in-process and 3.8–4.2 ms over HTTP (30,000 entries, load average 13–20 on 2 cores), and a CPU profile at 200 req/s (800,000 entries, load average 11; p50 69 ms, p99 319 ms) found the server idle 45 % and in writev 28 % (responses and node queries: a write that wakes the reader lets the kernel switch to it) with the route’s own code under 5 %: the latency at that rate was the run queue, one PostgreSQL round trip per answer on 2 shared cores, which the cache removes. What is left per answer is the HTTP exchange. The load generator (the bench process) and the server share the two cores with PostgreSQL and with whatever else runs on the machine (the load average is in the run’s header).',
  );
  notes.push(
    `Load average (1, 5, 15 min) when this bench ended: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(', ')} on ${availableParallelism()} cores.`,
  );
  return {
    method: `PostgreSQL, the ${big.toLocaleString('en-US')}-entry bench ledger (bench/lib/ledger-gen.mjs: the head's tree grown with the entries, each head signed). Root: with verify's own steps in the bench process, in worker ranges of 32,768 entries as verify reads PostgreSQL (a connection per worker), interleaved with one pass by one reading thread in pages of 5,000 as verify reads PGlite. Verify: \`consentkit verify\` in a child process, as an operator runs it. Proofs: an open-loop generator (bench/lib/paced-load.mjs) sending one request every ${round(1000 / rate, 2)} ms (${rate} req/s, evenly paced, up to 50 keep-alive connections), each latency timed from when its request was due, for ${ctx.smoke ? 1 : 20} s after ${ctx.smoke ? 0 : 3} s of warm-up, GET /v1/log/inclusion?index=<random leaf> against the head; no rate limits on the bench server. Then a restart with the node cache warmed in the background.`,
    figures,
    tables: [
      {
        title: 'Root recomputation (s)',
        columns: [
          'what',
          'entries',
          'waiting for rows',
          'build hash inputs',
          'hashes + tree (worker ranges, verify: whole walk)',
          'root',
        ],
        rows,
      },
      { title: 'Inclusion proofs under load (ms)', columns: FIXED_RATE_COLUMNS, rows: loadRows },
    ],
    notes,
    checks,
  };
}
