// The embedded database's own thread (pglite-store.ts): PGlite runs its WebAssembly PostgreSQL
// here, so the server's thread only parses, signs and answers while statements execute.
import { parentPort, workerData } from 'node:worker_threads';
import { ConsentError } from '@consentkit/core';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import {
  type PgliteReady,
  type PgliteReply,
  type PgliteRequest,
  type PgliteWorkerData,
  sqlErrorFields,
} from './pglite-protocol.js';
import { createPreparedNames } from './replan.js';
import type { Row, SqlParam } from './store.js';

const port = parentPort;
if (!port) throw new ConsentError('internal', 'pglite-worker.ts runs as a worker thread (pglite-store.ts starts it)');
const options = workerData as PgliteWorkerData;

type Open = { readonly tx: Transaction; readonly decide: (commit: boolean) => void; readonly done: Promise<unknown> };
const open = new Map<number, Open>();
let nextTx = 1;
/** Thrown inside PGlite's transaction to make it roll back; never leaves this thread. */
const ROLLBACK = Symbol('rollback');

function begin(): Promise<number> {
  return new Promise((resolve, reject) => {
    let decide: (commit: boolean) => void = () => {};
    const decided = new Promise<boolean>((r) => {
      decide = r;
    });
    const tx = nextTx++;
    let started = false;
    // PGlite waits here while another transaction holds its one connection, as it would in place.
    const done = db.transaction(async (t) => {
      started = true;
      open.set(tx, { tx: t, decide, done });
      resolve(tx);
      if (!(await decided)) throw ROLLBACK;
    });
    done.then(
      () => open.delete(tx),
      (error: unknown) => {
        open.delete(tx);
        if (!started) reject(error);
      },
    );
  });
}

/** A transaction `begin` opened and nothing has ended: the server's thread names only those. */
function opened(tx: number): Open {
  const entry = open.get(tx);
  if (!entry) throw new ConsentError('storage', `the embedded database has no open transaction ${tx}`);
  return entry;
}

async function finish(tx: number, commit: boolean): Promise<void> {
  const entry = opened(tx);
  entry.decide(commit);
  try {
    await entry.done;
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
}

function target(tx: number | undefined): Pick<PGlite, 'query' | 'exec'> | Transaction {
  return tx === undefined ? db : opened(tx).tx;
}

/**
 * Named prepared statements (QueryOptions' `prepare`), made with SQL PREPARE on the one
 * connection: a statement's parsing and planning in the WebAssembly executor is most of its cost
 * (a group's state read and audit append: ≈ 0.9–1.1 ms of this thread parsed and planned each
 * time, ≈ 0.4–0.5 ms executed from a prepared plan; bench/benches/state.mjs). Each name is
 * prepared anew as its executions double (replan.ts), the old one deallocated. Each name maps to
 * the text it was prepared with; a name arriving with another text runs unprepared.
 */
type Prepared = { readonly sql: string; readonly name: string; readonly ready: Promise<void> };
const prepared = new Map<string, Prepared>();
const nameOf = createPreparedNames();

// A parameter as a literal of unknown type, which PostgreSQL casts to the parameter's type as it
// would the parameter's text. Quoted by pg's own escapeLiteral (E'' form when there is a
// backslash), so it does not depend on standard_conforming_strings.
const literal = (value: SqlParam) => (value === null ? 'NULL' : pg.escapeLiteral(String(value)));

/**
 * Outside a transaction only. Prepared in one, ingest's statements ran slower (generic plans, and
 * JSON parameters parsed as literals) and captures no faster (the ingest and capture benches, A/B).
 */
async function runPrepared(request: {
  readonly prepare: string;
  readonly sql: string;
  readonly params: readonly SqlParam[];
}): Promise<Row[] | undefined> {
  const { prepare: base, sql, params } = request;
  const current = prepared.get(base);
  if (current && current.sql !== sql) return undefined;
  await current?.ready;
  const name = nameOf(base);
  let entry = prepared.get(base);
  if (entry?.name !== name) {
    const old = entry?.name;
    const ready = (async () => {
      if (old !== undefined) await db.query(`DEALLOCATE ${pg.escapeIdentifier(old)}`);
      await db.query(`PREPARE ${pg.escapeIdentifier(name)} AS ${sql}`);
    })();
    const made = { sql, name, ready };
    prepared.set(base, made);
    ready.catch(() => {
      if (prepared.get(base) === made) prepared.delete(base);
    });
    entry = made;
  }
  await entry.ready;
  const args = params.length === 0 ? '' : `(${params.map(literal).join(', ')})`;
  return (await db.query<Row>(`EXECUTE ${pg.escapeIdentifier(name)}${args}`)).rows;
}

/** A reply without its id (each variant of the union kept). */
type ReplyBody = PgliteReply extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * A statement that opens its transaction (`begin` on the request): the transaction is opened and
 * the statement run in it in one hand-off, and the reply names the transaction even when the
 * statement failed (the server's thread then rolls it back as it would any other).
 */
async function inNewTransaction(run: (tx: number) => Promise<ReplyBody>): Promise<ReplyBody> {
  const tx = await begin();
  try {
    return { ...(await run(tx)), tx };
  } catch (error) {
    return { error: sqlErrorFields(error), tx };
  }
}

async function answer(request: PgliteRequest): Promise<ReplyBody> {
  switch (request.op) {
    case 'query': {
      const run = async (tx: number | undefined) => {
        const rows =
          request.prepare !== undefined && tx === undefined
            ? await runPrepared({ ...request, prepare: request.prepare })
            : undefined;
        if (rows) return { rows };
        const result = await target(tx).query<Row>(request.sql, [...request.params]);
        return { rows: result.rows };
      };
      return request.begin ? inNewTransaction(run) : run(request.tx);
    }
    case 'exec': {
      const run = async (tx: number | undefined) => {
        await target(tx).exec(request.sql);
        return {};
      };
      return request.begin ? inNewTransaction(run) : run(request.tx);
    }
    case 'commit':
    case 'rollback':
      await finish(request.tx, request.op === 'commit');
      return {};
    case 'close':
      await db.close();
      return {};
  }
}

let db: PGlite;
try {
  db = options.dataDir
    ? await PGlite.create(options.dataDir)
    : await PGlite.create(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
} catch (error) {
  port.postMessage({ ready: false, error: sqlErrorFields(error) } satisfies PgliteReady);
  throw error;
}

port.on('message', (request: PgliteRequest) => {
  answer(request).then(
    (reply) => port.postMessage({ id: request.id, ...reply }),
    (error: unknown) => port.postMessage({ id: request.id, error: sqlErrorFields(error) } satisfies PgliteReply),
  );
});
port.postMessage({ ready: true } satisfies PgliteReady);
