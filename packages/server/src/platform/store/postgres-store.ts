import pg from 'pg';
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

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R extends Row = Row>(sql: string, params: readonly SqlParam[] = [], options?: QueryOptions) {
      // A named statement is parsed and planned once per connection, then only executed.
      const named = options?.prepare ? { name: options.prepare } : {};
      const result = await client.query<R>({ ...named, text: sql, values: [...params], types });
      return result.rows;
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

/** PostgreSQL through a `pg` pool; each transaction holds one pooled connection. */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const max = options.max ?? 10;
  const pool = new pg.Pool({ connectionString: options.connectionString, max });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
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
