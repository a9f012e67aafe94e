import type { DataDirLock } from './data-dir-lock.js';

/**
 * The one storage interface. Both adapters speak the same PostgreSQL dialect, so every query in
 * the server is written once; an adapter only knows how to run SQL and hold a transaction.
 */

/** A value bound to a `$n` placeholder. Bytes are stored as base64url text so both drivers agree. */
export type SqlParam = string | number | boolean | null;

export type Row = Record<string, unknown>;

export type QueryOptions = {
  /**
   * A name to prepare the statement under, for a hot statement whose text never changes: on
   * PostgreSQL it is then parsed and planned once per connection, and again as its executions
   * double, so its plan follows the tables' growth (replan.ts; a name must always name the same
   * text). PGlite prepares it too, for statements outside a transaction (pglite-worker.ts).
   */
  readonly prepare?: string;
};

export type Queryable = {
  /** One parameterised statement; rows as plain objects. */
  query<R extends Row = Row>(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<R[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
};

export type StoreKind = 'pglite' | 'postgres';

export type Store = Queryable & {
  readonly kind: StoreKind;
  /** An embedded store's hold on its folder (a listening server advertises its command socket in it). */
  readonly lock?: DataDirLock;
  /** Runs `fn` in one transaction: commit when it resolves, roll back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Connections in use and waiting (PostgreSQL's pool; PGlite has one connection and none). */
  poolStats?(): PoolStats;
  /**
   * The embedded database's own thread so far (PGlite only): time it ran and time it waited (ms),
   * Node's event-loop utilisation. Busy nearly all the time, it is what statements queue behind.
   */
  threadTime?(): ThreadTime;
};

export type ThreadTime = { readonly active: number; readonly idle: number };

export type PoolStats = {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
  readonly max: number;
};
