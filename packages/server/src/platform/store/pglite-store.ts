import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ConsentError } from '@consentkit/core';
import { type DataDirLock, lockDataDir } from './data-dir-lock.js';
import {
  type PgliteReady,
  type PgliteReply,
  type PgliteRequest,
  type PgliteWorkerData,
  sqlErrorFrom,
} from './pglite-protocol.js';
import type { Queryable, QueryOptions, Row, SqlParam, Store } from './store.js';

export type PgliteStoreOptions = {
  /** A folder for the data; omit for an in-memory database (tests). */
  readonly dataDir?: string;
  /** In memory, starting from this dump of a data folder (PGlite's `dumpDataDir`): tests' booted template. */
  readonly loadDataDir?: Blob;
};

// Under tsx (tests, `pnpm start`) this module is the .ts source and the worker inherits its loader;
// built, it is the .js beside the compiled worker (tsconfig.build.json lists the worker: nothing
// imports it).
const WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './pglite-worker.ts' : './pglite-worker.js',
  import.meta.url,
);

type Request = PgliteRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
type Answer = { readonly rows?: Row[]; readonly tx?: number };
type Pending = { resolve(reply: PgliteReply): void; reject(error: Error): void };

/**
 * The embedded store: PostgreSQL in WebAssembly (PGlite), on a thread of its own. PGlite executes
 * every statement on the thread that calls it, and a busy server's own thread was full of it; here
 * the server's thread sends a statement and is free until the rows come back. There is still one
 * connection, so transactions run one at a time.
 *
 * A folder is held under its lock (data-dir-lock.ts) from open to close: a second opener refuses.
 * The thread never holds the process open when no statement is waiting (like the pg pool's idle
 * sockets would not matter: `close()` ends it).
 */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<Store> {
  let lock: DataDirLock | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    lock = lockDataDir(options.dataDir);
  }
  try {
    return await startWorker(options, lock);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function startWorker(options: PgliteStoreOptions, lock: DataDirLock | undefined): Promise<Store> {
  const data: PgliteWorkerData = {
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  };
  const worker = new Worker(WORKER_URL, { workerData: data });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  /** Set once the thread has ended or failed: every later statement fails with it. */
  let stopped: Error | undefined;

  const stop = (error: Error) => {
    stopped ??= error;
    for (const p of pending.values()) p.reject(stopped);
    pending.clear();
  };
  const stoppedError = (detail: string, cause?: unknown) =>
    new ConsentError('storage', `the embedded database stopped: ${detail}`, {
      ...(cause === undefined ? {} : { cause }),
      hint: 'Restart the server; if it stops again, run `consentkit verify` and check the data folder and free disk space.',
    });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => settle(openError(error, options.dataDir));
    const onExit = (code: number) => settle(openError(new Error(`its thread exited (${code})`), options.dataDir));
    const onReady = (message: PgliteReady | PgliteReply) => {
      if (!('ready' in message)) return;
      settle(message.ready ? undefined : openError(sqlErrorFrom(message.error), options.dataDir));
    };
    const settle = (error: ConsentError | undefined) => {
      // A thread that could not open is ended; these listeners stay, so its last events are heard.
      if (error) {
        reject(error);
        void worker.terminate();
        return;
      }
      // Once open, the thread's failures are the running store's (stop, below), not the opening's.
      worker.off('message', onReady).off('error', onError).off('exit', onExit);
      resolve();
    };
    worker.on('message', onReady).on('error', onError).on('exit', onExit);
  });

  worker.on('message', (reply: PgliteReply | PgliteReady) => {
    if (!('id' in reply)) return;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    p.resolve(reply);
  });
  worker.on('error', (error) => stop(stoppedError(error.message, error)));
  worker.on('exit', (code) => stop(stoppedError(`its thread exited (${code})`)));
  worker.unref();

  /** One request and its reply, an error reply included (it may name the transaction it opened). */
  function send(request: Request): Promise<PgliteReply> {
    if (stopped) return Promise.reject(stopped);
    return new Promise((resolve, reject) => {
      const id = nextId++;
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...request });
    });
  }

  async function call(request: Request): Promise<Answer> {
    const reply = await send(request);
    if ('error' in reply) throw sqlErrorFrom(reply.error);
    return reply;
  }

  type Statement =
    | { op: 'query'; sql: string; params: readonly SqlParam[]; prepare?: string }
    | { op: 'exec'; sql: string };
  const queryableOver = (run: (statement: Statement) => Promise<Answer>): Queryable => ({
    async query<R extends Row = Row>(sql: string, params: readonly SqlParam[] = [], options?: QueryOptions) {
      const prepare = options?.prepare ? { prepare: options.prepare } : {};
      return ((await run({ op: 'query', sql, params, ...prepare })).rows ?? []) as R[];
    },
    async exec(sql: string) {
      await run({ op: 'exec', sql });
    },
  });

  /**
   * A transaction opened by its first statement, in the same hand-off to the database's thread:
   * one fewer per transaction, and under the ledger's head lock every hand-off is time the lock is
   * held (the lock statement is a transaction's first). Statements asked for before the first is
   * answered wait for its transaction. `tx()` is the transaction, once one was opened.
   */
  function lazyTransaction() {
    let opened: Promise<number | undefined> | undefined;
    const run = async (statement: Statement): Promise<Answer> => {
      if (opened === undefined) {
        const reply = send({ ...statement, begin: true });
        opened = reply.then(
          (r) => r.tx,
          () => undefined,
        );
        const answer = await reply;
        if ('error' in answer) throw sqlErrorFrom(answer.error);
        if (answer.tx === undefined) throw stoppedError('it opened no transaction');
        return answer;
      }
      const tx = await opened;
      if (tx === undefined) throw stoppedError('it opened no transaction');
      return call({ ...statement, tx });
    };
    return { queryable: queryableOver(run), tx: () => opened };
  }

  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    ...(lock ? { lock } : {}),
    ...queryableOver(call),
    async transaction(fn) {
      const lazy = lazyTransaction();
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(lazy.queryable);
      } catch (error) {
        const tx = await lazy.tx();
        if (tx !== undefined) await call({ op: 'rollback', tx }).catch(() => {});
        throw error;
      }
      const opened = lazy.tx();
      // A transaction that ran no statement has nothing to commit.
      if (opened === undefined) return result;
      const tx = await opened;
      if (tx === undefined) throw stoppedError('it opened no transaction');
      await call({ op: 'commit', tx });
      return result;
    },
    threadTime() {
      const { active, idle } = worker.performance.eventLoopUtilization();
      return { active, idle };
    },
    close() {
      closing ??= (async () => {
        try {
          if (!stopped) await call({ op: 'close' });
        } finally {
          stop(stoppedError('the store was closed'));
          await worker.terminate();
          lock?.release();
        }
      })();
      return closing;
    },
  };
}

function openError(cause: Error, dataDir: string | undefined): ConsentError {
  return new ConsentError(
    'storage',
    `cannot open the embedded database${dataDir ? ` in ${dataDir}` : ''}: ${cause.message}`,
    {
      cause,
      hint: 'Check that the data folder is readable and writable, and that it holds a ConsentKit PGlite database.',
    },
  );
}
