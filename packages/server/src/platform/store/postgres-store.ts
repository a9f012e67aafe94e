import pg from 'pg';
import { createPreparedNames } from './replan.js';
import type { Queryable, QueryOptions, Row, SqlParam, Store } from './store.js';

export type PostgresStoreOptions = {
  readonly connectionString: string;
  readonly max?: number;
};

// int8 (seq) and numeric arrive as strings by default; our seq values stay far below 2^53.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
};

/** Each connection's prepared statements: the name each `prepare` name is prepared under now. */
const preparedOn = new WeakMap<pg.ClientBase, Map<string, string>>();

/**
 * `sql` as the named statement `name` on `client`: parsed and planned once per connection, then
 * only executed. When the name moves on (replan.ts), the connection's statement under the old
 * name is deallocated first, so a long-lived connection keeps one plan per statement.
 */
async function runNamed<R extends Row>(
  client: pg.ClientBase,
  statement: {
    readonly base: string;
    readonly name: string;
    readonly sql: string;
    readonly params: readonly SqlParam[];
  },
): Promise<R[]> {
  const names = preparedOn.get(client) ?? new Map<string, string>();
  preparedOn.set(client, names);
  const before = names.get(statement.base);
  if (before !== statement.name) {
    if (before !== undefined) await client.query(`DEALLOCATE ${pg.escapeIdentifier(before)}`);
    names.set(statement.base, statement.name);
  }
  const result = await client.query<R>({
    name: statement.name,
    text: statement.sql,
    values: [...statement.params],
    types,
  });
  return result.rows;
}

function wrap(on: pg.Pool | pg.PoolClient, nameOf: (name: string) => string): Queryable {
  return {
    async query<R extends Row = Row>(sql: string, params: readonly SqlParam[] = [], options?: QueryOptions) {
      if (!options?.prepare) return (await on.query<R>({ text: sql, values: [...params], types })).rows;
      const statement = { base: options.prepare, name: nameOf(options.prepare), sql, params };
      if (!(on instanceof pg.Pool)) return runNamed<R>(on, statement);
      // A named statement belongs to a connection: take one for it, as pool.query does (which
      // also gives back a connection that failed a statement to be closed, not reused).
      const client = await on.connect();
      try {
        const rows = await runNamed<R>(client, statement);
        client.release();
        return rows;
      } catch (error) {
        client.release(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    },
    async exec(sql: string) {
      await on.query(sql);
    },
  };
}

/** PostgreSQL through a `pg` pool; each transaction holds one pooled connection. */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const max = options.max ?? 10;
  const pool = new pg.Pool({ connectionString: options.connectionString, max });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const nameOf = createPreparedNames();
  return {
    kind: 'postgres',
    ...wrap(pool, nameOf),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client, nameOf));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
  };
}
