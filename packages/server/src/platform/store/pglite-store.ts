import { mkdirSync } from 'node:fs';
import { PGlite, type PGliteInterface } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.js';
import type { Queryable, Row, SqlParam, Store } from './store.js';

export type PgliteStoreOptions = {
  /** A folder for the data; omit for an in-memory database (tests). */
  readonly dataDir?: string;
};

function wrap(db: Pick<PGliteInterface, 'query' | 'exec'>): Queryable {
  return {
    async query<R extends Row = Row>(sql: string, params: readonly SqlParam[] = []) {
      const result = await db.query<R>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
  };
}

/** A store over an open PGlite (or a `clone()` of one); closing the store closes it. */
export function pgliteStoreFrom(db: PGliteInterface): Store {
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

/**
 * The embedded store: PostgreSQL in WebAssembly, one connection, so transactions run one at a time.
 * A folder is held under its lock (data-dir-lock.ts) from open to close: a second opener refuses.
 */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<Store> {
  if (!options.dataDir) return pgliteStoreFrom(await PGlite.create());
  mkdirSync(options.dataDir, { recursive: true });
  const lock = lockDataDir(options.dataDir);
  let db: PGliteInterface;
  try {
    db = await PGlite.create(options.dataDir);
  } catch (error) {
    lock.release();
    throw error;
  }
  const store = pgliteStoreFrom(db);
  return {
    ...store,
    lock,
    async close() {
      try {
        await store.close();
      } finally {
        lock.release();
      }
    },
  };
}
