import type { Row, SqlParam } from './store.js';

/**
 * What the server's thread and the embedded database's thread (pglite-worker.ts) say to each
 * other. Every request has an id and gets exactly one reply with that id.
 */
export type PgliteRequest =
  | {
      readonly id: number;
      readonly op: 'query';
      readonly tx?: number;
      /**
       * Opens a transaction first (once the database's one connection is free) and runs in it: the
       * reply, rows or error, carries its `tx`.
       */
      readonly begin?: true;
      readonly sql: string;
      readonly params: readonly SqlParam[];
      /** QueryOptions' `prepare`: outside a transaction, the statement is prepared under it once. */
      readonly prepare?: string;
    }
  | { readonly id: number; readonly op: 'exec'; readonly tx?: number; readonly begin?: true; readonly sql: string }
  | { readonly id: number; readonly op: 'commit' | 'rollback'; readonly tx: number }
  | { readonly id: number; readonly op: 'close' };

export type PgliteReply =
  | { readonly id: number; readonly rows?: Row[]; readonly tx?: number }
  | { readonly id: number; readonly error: SqlErrorFields; readonly tx?: number };

/** How the worker says it has opened the database (or could not). */
export type PgliteReady = { readonly ready: true } | { readonly ready: false; readonly error: SqlErrorFields };

export type PgliteWorkerData = {
  /** A folder for the data; absent: in memory. */
  readonly dataDir?: string;
  /** A dump of a data folder (PGlite's `dumpDataDir`) to start an in-memory database from. */
  readonly loadDataDir?: Blob;
};

/** The fields of a database error that callers read (PostgreSQL's SQLSTATE and its parts). */
export type SqlErrorFields = { readonly message: string } & Partial<Record<(typeof SQL_ERROR_FIELDS)[number], string>>;

// Not `query` or `params`: an error's parameters can hold personal data, and errors reach logs.
const SQL_ERROR_FIELDS = [
  'name',
  'code',
  'severity',
  'detail',
  'hint',
  'position',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'routine',
] as const;

export function sqlErrorFields(error: unknown): SqlErrorFields {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, string> = { message: error.message };
  for (const key of SQL_ERROR_FIELDS) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string') fields[key] = value;
  }
  return fields as SqlErrorFields;
}

/** The error again on the server's thread, with its stack there (where the statement was asked for). */
export function sqlErrorFrom(fields: SqlErrorFields): Error {
  const { message, name, ...rest } = fields;
  const error = Object.assign(new Error(message), rest);
  if (name) error.name = name;
  return error;
}
