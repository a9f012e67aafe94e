// The ledger server under test, in its own process so the load generator and the browser driver
// never share its event loop. It is the real app (createLedgerContext + createApp, served by
// @hono/node-server as the server's listen() serves it) plus a few /__bench/ routes the benchmarks use to seed
// data and read profiles; those routes are answered before the app sees the request.
//
// Options arrive as JSON in BENCH_SERVER; the child prints one line `READY {"url": …}` when it
// listens.
import { memoryUsage } from 'node:process';
import { appendGeneratedEntries, signHead } from './ledger-gen.mjs';
import { importFrom, POLICY_FILE, src } from './paths.mjs';

const options = JSON.parse(process.env.BENCH_SERVER ?? '{}');
const MASTER_KEY = new Uint8Array(32).fill(7);
export const BENCH_API_KEY = 'bench-admin-key-0123456789abcdef';

// --- profile: where ingest spends its time ------------------------------------------------------
// Enabled only on request: wrapping every query and crypto call costs a little itself.
// Each instant of the server's wall time is given to ONE kind, so the shares add up to 100%: the
// kind of highest priority in flight then. Synchronous node:crypto calls come first (while one
// runs, the thread does nothing else), then queries (PostgreSQL's process, or PGlite's own thread, at work or queued),
// then WebCrypto calls (libuv's pool), then records out on the verify pool's workers; `other` is
// the time none was in flight (HTTP, JSON, zod, JCS, rules: the thread's own work, or idle).
const PRIORITY = ['verify', 'sign', 'hash', 'hmac', 'db', 'importKey', 'encrypt', 'pool'];
const profile = { dbCalls: 0, other: 0, any: 0, total: 0 };
for (const kind of PRIORITY) profile[kind] = 0;
const inFlight = Object.fromEntries(PRIORITY.map((k) => [k, 0]));
let top = 'other';
let since = performance.now();
function settle() {
  const now = performance.now();
  profile[top] += now - since;
  profile.total += now - since;
  if (top !== 'other') profile.any += now - since;
  since = now;
}
function count(key, step) {
  settle();
  inFlight[key] += step;
  top = PRIORITY.find((k) => inFlight[k] > 0) ?? 'other';
}
const enter = (key) => count(key, 1);
const leave = (key) => count(key, -1);
function timed(key, fn) {
  return async (...args) => {
    enter(key);
    try {
      return await fn(...args);
    } finally {
      leave(key);
    }
  };
}
if (options.profile) {
  // The server verifies and hashes on node:crypto (synchronous one-shot calls): time those too.
  const nodeCrypto = (await import('node:crypto')).default;
  const { syncBuiltinESMExports } = await import('node:module');
  const verifySync = nodeCrypto.verify;
  const signSync = nodeCrypto.sign;
  nodeCrypto.verify = (...args) => {
    enter('verify');
    try {
      return verifySync(...args);
    } finally {
      leave('verify');
    }
  };
  // Receipts and checkpoint notes are signed with node:crypto one-shot calls.
  nodeCrypto.sign = (...args) => {
    if (typeof args.at(-1) === 'function') return signSync(...args);
    enter('sign');
    try {
      return signSync(...args);
    } finally {
      leave('sign');
    }
  };
  syncBuiltinESMExports();
  // The verify pool's batches (packages/server/src/ingest/verify-pool.ts): from the hand-off to a
  // worker until its answer is read back, the records are out of this thread.
  const { Worker } = await import('node:worker_threads');
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function postTimed(message, ...rest) {
    if (Array.isArray(message?.jws)) enter('pool');
    return post.call(this, message, ...rest);
  };
  const emit = Worker.prototype.emit;
  Worker.prototype.emit = function emitTimed(event, message, ...rest) {
    const answer = event === 'message' && message && typeof message.id === 'number' && 'results' in message;
    try {
      return emit.call(this, event, message, ...rest);
    } finally {
      if (answer) leave('pool');
    }
  };
  for (const [key, proto] of [
    ['hash', Object.getPrototypeOf(nodeCrypto.createHash('sha256'))],
    ['hmac', Object.getPrototypeOf(nodeCrypto.createHmac('sha256', 'k'))],
  ]) {
    for (const name of ['update', 'digest']) {
      const original = proto[name];
      proto[name] = function timedHash(...args) {
        enter(key);
        try {
          return original.apply(this, args);
        } finally {
          leave(key);
        }
      };
    }
  }
  const subtle = globalThis.crypto.subtle;
  const bind = (name) => subtle[name].bind(subtle);
  const verify = bind('verify');
  const digest = bind('digest');
  const signFn = bind('sign');
  const importKey = bind('importKey');
  const encrypt = bind('encrypt');
  subtle.verify = timed('verify', verify);
  subtle.digest = timed('hash', digest);
  subtle.importKey = timed('importKey', importKey);
  subtle.encrypt = timed('encrypt', encrypt);
  const signTimed = timed('sign', signFn);
  const hmacTimed = timed('hmac', signFn);
  subtle.sign = (algorithm, ...rest) =>
    (typeof algorithm === 'string' ? algorithm : algorithm?.name) === 'HMAC'
      ? hmacTimed(algorithm, ...rest)
      : signTimed(algorithm, ...rest);
}
const wrapQueryable = (q) => ({
  query: async (sql, params, queryOptions) => {
    enter('db');
    try {
      return await q.query(sql, params, queryOptions);
    } finally {
      leave('db');
      profile.dbCalls++;
    }
  },
  exec: async (sql) => {
    enter('db');
    try {
      return await q.exec(sql);
    } finally {
      leave('db');
    }
  },
});
const profiled = (store) =>
  options.profile
    ? {
        ...store,
        ...wrapQueryable(store),
        kind: store.kind,
        transaction: (fn) => store.transaction((tx) => fn(wrapQueryable(tx))),
        close: () => store.close(),
      }
    : store;

// --- the server ----------------------------------------------------------------------------------
const { createLedgerContext } = await import(src('packages/server/src/runtime/context.ts'));
const { createApp } = await import(src('packages/server/src/runtime/app.ts'));
const { createPgliteStore } = await import(src('packages/server/src/platform/store/pglite-store.ts'));
const { createPostgresStore } = await import(src('packages/server/src/platform/store/postgres-store.ts'));
const { loadPolicyFile } = await import(src('packages/server/src/policy/policy-file.ts'));
const { createSubjectHistories } = await import(src('packages/server/src/ledger/subject-histories.ts'));
const { examplesRoutes } = await import(src('scripts/start/examples-routes.mjs'));
const { serve } = await importFrom('packages/server', '@hono/node-server');

const policy = loadPolicyFile(POLICY_FILE);
const rawStore =
  options.store === 'postgres'
    ? // The store's own default pool size unless a bench asks otherwise: measure what ships.
      createPostgresStore({
        connectionString: options.databaseUrl,
        ...(options.poolSize ? { max: options.poolSize } : {}),
      })
    : await createPgliteStore(options.dataDir ? { dataDir: options.dataDir } : {});
const store = profiled(rawStore);
const context = await createLedgerContext({
  store,
  masterKey: MASTER_KEY,
  policy,
  // The shipped default unless a bench compares (ingest: the verify pool off and on).
  ...(options.verifyThreads === undefined ? {} : { verifyThreads: options.verifyThreads }),
});
// How long the ledger's head lock is held (ledger.withLock: from taking a connection to COMMIT),
// as one span while any holder has it: every append queues there, so its share of a run's wall
// time says how close the run came to the serial limit. The ingestor calls the ledger's own
// withLock at each placement, so wrapping the property is seen there.
const lock = { ms: 0, depth: 0, since: 0 };
const withLock = context.ledger.withLock;
context.ledger.withLock = async (fn) => {
  if (lock.depth++ === 0) lock.since = performance.now();
  try {
    return await withLock(fn);
  } finally {
    if (--lock.depth === 0) lock.ms += performance.now() - lock.since;
  }
};

const app = createApp({
  context,
  apiKey: BENCH_API_KEY,
  publicUrl: 'http://127.0.0.1',
  corsOrigins: options.corsOrigins ?? [],
  routes: options.staticDir ? examplesRoutes({ dir: options.staticDir, prefix: '/bench' }) : [],
  hostedPages: { widgetScript: false },
  log: (error) => console.error('[bench server]', error),
  // No rate limits: the benches measure what the server carries, not what a limiter lets through.
  rateLimits: undefined,
});

const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

let inspector;
async function openInspector() {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  return session;
}

async function benchRoute(request, path) {
  if (path === '/__bench/generate') {
    const body = await request.json();
    const result = await appendGeneratedEntries({ store: rawStore, policy, masterKey: MASTER_KEY, count: body.count });
    // Generated entries are written straight into the tables, past the append path. The generator
    // grows the head's tree with them; its note is signed here, once. A head whose tree did not
    // cover its entries is sealed (the whole tree recomputed), as an upgrade does.
    if (result.treeGrown) await signHead(rawStore, context.keyring.checkpoint);
    else await context.ledger.seal();
    // The subject histories the state queries read, built from the generated entries as the start
    // after an upgrade builds them (else the first state query would pay for it).
    await createSubjectHistories({ store: rawStore, withLock: context.ledger.withLock }).catchUp();
    const refs = result.subjectRefs.slice(0, body.returnRefs ?? 0);
    const tokens = [];
    for (const subjectRef of refs.slice(0, body.tokens ?? 0)) {
      tokens.push(await context.subjects.issueToken({ subjectRef, scope: body.scope ?? 'unsubscribe:marketing' }));
    }
    const [{ n }] = await rawStore.query('SELECT count(*)::int AS n FROM ledger_entries');
    return json({ seconds: result.seconds, refs, tokens, entries: n });
  }
  if (path === '/__bench/profile') {
    settle();
    const snapshot = { ...profile };
    if (request.method === 'POST') for (const key of Object.keys(profile)) profile[key] = 0;
    return json(snapshot);
  }
  if (path === '/__bench/memory') return json(memoryUsage());
  // How many leaves the proofs' node cache holds (ledger/node-cache.ts), to time its warm-up.
  if (path === '/__bench/proof-cache') return json({ leaves: context.tree.cache?.size ?? 0 });
  // The server's own CPU time (user + system, µs), its wall clock (ms), its main thread's
  // event-loop time (busy and idle, ms), the embedded database's own thread's (PGlite only) and the
  // head lock's time held (ms): the benches take two readings around a run to say whether the
  // machine, the server's one thread, the database's one thread or the ledger's serial appends
  // bound it.
  if (path === '/__bench/cpu') {
    const { active, idle } = performance.eventLoopUtilization();
    const lockMs = lock.ms + (lock.depth > 0 ? performance.now() - lock.since : 0);
    const dbLoop = rawStore.threadTime?.();
    return json({
      ...process.cpuUsage(),
      wallMs: performance.now(),
      loop: { active, idle },
      ...(dbLoop ? { dbLoop } : {}),
      lockMs,
    });
  }
  if (path === '/__bench/cpu-profile') {
    // A V8 CPU profile of a window the bench chooses (not of the seeding): POST {"start": true},
    // then POST {} to stop, which answers the profile (.cpuprofile JSON).
    const { start } = await request.json();
    inspector ??= await openInspector();
    const post = (method) =>
      new Promise((resolve, reject) => inspector.post(method, (e, r) => (e ? reject(e) : resolve(r))));
    if (start) {
      await post('Profiler.enable');
      await post('Profiler.start');
      return json({ started: true });
    }
    return json((await post('Profiler.stop')).profile);
  }
  if (path === '/__bench/sql') {
    // Read-only questions the benches ask of the store (counts, plans), never writes.
    const body = await request.json();
    if (!/^\s*(SELECT|EXPLAIN)\b/i.test(body.sql)) return json({ error: 'read-only' }, 400);
    return json(await rawStore.query(body.sql, body.params ?? []));
  }
  return json({ error: 'unknown bench route' }, 404);
}

const fetch = (request) => {
  // The path without parsing the URL (a URL per request was ≈ 4% of a state query's CPU): the
  // request URL is always absolute here (`http://host:port/path?query`).
  const { url } = request;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (!url.startsWith('/__bench/', start)) return app.fetch(request);
  return benchRoute(request, new URL(url).pathname);
};
const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${info.port}` })}\n`);
});
server.keepAliveTimeout = 60_000;
// As a listening server starts (runtime/server.ts): the proofs' node cache fills in the background.
if (options.warmProofs) context.tree.warm().catch((error) => console.error('[bench server] warm-up', error));

const stop = async () => {
  server.close();
  server.closeAllConnections?.();
  await rawStore.close().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
