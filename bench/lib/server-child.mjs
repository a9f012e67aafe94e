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
// Enabled only on request: wrapping every query and WebCrypto call costs a little itself.
const profile = { db: 0, dbCalls: 0, verify: 0, hash: 0, sign: 0, hmac: 0, importKey: 0, encrypt: 0, any: 0 };
// Each kind counts the wall time during which at least one call of it was in flight (the union of
// the intervals, not their sum): parallel WebCrypto calls and queued queries overlap, and a sum
// printed shares over 100%. `any` is the union over every kind, so what is left is the rest.
const inFlight = {};
const since = {};
function count(key, step) {
  inFlight[key] = (inFlight[key] ?? 0) + step;
  if (step > 0 && inFlight[key] === 1) since[key] = performance.now();
  if (step < 0 && inFlight[key] === 0) profile[key] += performance.now() - since[key];
}
function enter(key) {
  count(key, 1);
  count('any', 1);
}
function leave(key) {
  count(key, -1);
  count('any', -1);
}
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
  nodeCrypto.verify = (...args) => {
    enter('verify');
    try {
      return verifySync(...args);
    } finally {
      leave('verify');
    }
  };
  syncBuiltinESMExports();
  const Hash = Object.getPrototypeOf(nodeCrypto.createHash('sha256'));
  for (const name of ['update', 'digest']) {
    const original = Hash[name];
    Hash[name] = function timedHash(...args) {
      enter('hash');
      try {
        return original.apply(this, args);
      } finally {
        leave('hash');
      }
    };
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
  query: async (sql, params) => {
    enter('db');
    try {
      return await q.query(sql, params);
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
const context = await createLedgerContext({ store, masterKey: MASTER_KEY, policy });
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
    const snapshot = { ...profile };
    if (request.method === 'POST') for (const key of Object.keys(profile)) profile[key] = 0;
    return json(snapshot);
  }
  if (path === '/__bench/memory') return json(memoryUsage());
  if (path === '/__bench/sql') {
    // Read-only questions the benches ask of the store (counts, plans), never writes.
    const body = await request.json();
    if (!/^\s*(SELECT|EXPLAIN)\b/i.test(body.sql)) return json({ error: 'read-only' }, 400);
    return json(await rawStore.query(body.sql, body.params ?? []));
  }
  return json({ error: 'unknown bench route' }, 404);
}

const fetch = (request) => {
  const path = new URL(request.url).pathname;
  return path.startsWith('/__bench/') ? benchRoute(request, path) : app.fetch(request);
};
const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${info.port}` })}\n`);
});
server.keepAliveTimeout = 60_000;

const stop = async () => {
  server.close();
  server.closeAllConnections?.();
  await rawStore.close().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
