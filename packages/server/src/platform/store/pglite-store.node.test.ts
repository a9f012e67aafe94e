import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsentError } from '@consentkit/core';
import { freshPgliteStore } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createPgliteStore } from './pglite-store.js';
import type { Store } from './store.js';

// The embedded store runs PGlite on its own thread: what the server's thread must still see of it.

// Enough work that the statement runs for a good part of a second on this machine.
const HEAVY = 'SELECT sum(g * 7 % 13)::int AS n FROM generate_series(1, 1000000) AS g';

describe('embedded store on its own thread', () => {
  let store: Store;
  before(async () => {
    store = await freshPgliteStore();
    await store.exec('CREATE TABLE t (k text PRIMARY KEY, v int NOT NULL)');
  });
  after(() => store.close());

  it('a long statement leaves the server’s thread free: its timers keep firing meanwhile', async () => {
    let last = performance.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const thread = store.threadTime?.();
    const started = performance.now();
    try {
      await store.query(HEAVY);
    } finally {
      clearInterval(timer);
    }
    const took = performance.now() - started;
    // The pause still open when the statement ends counts too (none fired at all: one long pause).
    longestGap = Math.max(longestGap, performance.now() - last);
    // Run on the server's thread, the statement blocks it for its whole length (gap ≈ took).
    expect(took, 'the statement should be long enough to tell').to.be.greaterThan(200);
    expect(longestGap, `longest pause of the server's thread (${took.toFixed(0)} ms statement)`).to.be.lessThan(
      took / 2,
    );
    // …and the database's own thread did it: its busy time grew by most of the statement's length.
    const after = store.threadTime?.();
    expect(thread && after, 'the embedded store reports its thread').to.not.equal(undefined);
    expect((after?.active ?? 0) - (thread?.active ?? 0)).to.be.greaterThan(took / 2);
  });

  it('a database error crosses with its SQLSTATE, constraint and message, without its parameters', async () => {
    await store.query('INSERT INTO t (k, v) VALUES ($1, $2)', ['a', 1]);
    const error = await store.query('INSERT INTO t (k, v) VALUES ($1, $2)', ['a', 2]).then(
      () => undefined,
      (e: unknown) => e as Error & Record<string, unknown>,
    );
    expect(error).to.be.instanceOf(Error);
    expect(error?.code).to.equal('23505');
    expect(error?.constraint).to.equal('t_pkey');
    expect(error?.message).to.match(/duplicate key/);
    expect(error?.params).to.equal(undefined);
    expect(error?.stack).to.match(/pglite-store/);
  });

  it('transactions commit, roll back and run one at a time', async () => {
    await store.query('DELETE FROM t');
    const order: string[] = [];
    const first = store.transaction(async (tx) => {
      await tx.query('INSERT INTO t (k, v) VALUES ($1, $2)', ['x', 1]);
      order.push('first:inserted');
      await new Promise((r) => setTimeout(r, 50));
      await tx.query('UPDATE t SET v = v + 1 WHERE k = $1', ['x']);
      order.push('first:done');
    });
    const second = store.transaction(async (tx) => {
      order.push('second:began');
      const rows = await tx.query<{ v: number }>('SELECT v FROM t WHERE k = $1', ['x']);
      return rows[0]?.v;
    });
    await first;
    // A transaction opens with its first statement, in the same hand-off to the database's thread:
    // the second's function runs at once, and its first statement waits for the connection (it
    // reads what the first committed, never its half-done state).
    expect(await second).to.equal(2);
    expect(order).to.deep.equal(['second:began', 'first:inserted', 'first:done']);

    const failed = await store
      .transaction(async (tx) => {
        await tx.query('UPDATE t SET v = 100 WHERE k = $1', ['x']);
        throw new Error('boom');
      })
      .catch((e: unknown) => e);
    expect((failed as Error).message).to.equal('boom');
    expect(await store.query('SELECT v FROM t')).to.deep.equal([{ v: 2 }]);

    // A statement that fails inside a transaction fails the transaction, and nothing of it stays.
    const broken = await store
      .transaction(async (tx) => {
        await tx.query('UPDATE t SET v = 50');
        await tx.query('INSERT INTO t (k, v) VALUES ($1, $2)', ['x', 3]);
      })
      .catch((e: unknown) => e as Error & { code?: string });
    expect(broken).to.have.property('code', '23505');
    expect(await store.query('SELECT v FROM t')).to.deep.equal([{ v: 2 }]);

    // A first statement that fails still opened its transaction: it is rolled back, the
    // connection freed for the next; a transaction that ran no statement holds nothing.
    const refused = await store
      .transaction((tx) => tx.query('INSERT INTO t (k, v) VALUES ($1, $2)', ['x', 4]))
      .catch((e: unknown) => e as Error & { code?: string });
    expect(refused).to.have.property('code', '23505');
    expect(await store.transaction(async () => 'nothing ran')).to.equal('nothing ran');
    expect(
      await store.transaction(async (tx) => {
        const [a, b] = await Promise.all([tx.query('SELECT 1 AS n'), tx.query('SELECT 2 AS n')]);
        return [a, b];
      }),
    ).to.deep.equal([[{ n: 1 }], [{ n: 2 }]]);
    expect(await store.query('SELECT v FROM t')).to.deep.equal([{ v: 2 }]);
  });

  it('values keep their types across the threads', async () => {
    const [row] = await store.query(
      `SELECT 1::int AS i, 2::bigint AS b, 'x'::text AS s, true AS f, NULL AS z,
              '{"a":[1]}'::jsonb AS j, '\\x0102'::bytea AS y, '2026-01-02T03:04:05Z'::timestamptz AS t`,
    );
    expect(row).to.deep.include({ i: 1, s: 'x', f: true, z: null, j: { a: [1] } });
    expect(row?.y).to.deep.equal(new Uint8Array([1, 2]));
    expect((row as { t: Date }).t.toISOString()).to.equal('2026-01-02T03:04:05.000Z');
    expect(Number(row?.b)).to.equal(2);
  });

  it('a named statement is prepared once and answers as the same statement unprepared would', async () => {
    const sql = `SELECT $1::text AS s, $2::int AS n, $3::boolean AS b, $4::text AS z, $5::json AS j,
       (SELECT count(*)::int FROM t) AS rows`;
    const cases = [
      ["it's a 'quoted' \\ string; DROP TABLE t; --", 7, true, null, '{"a":"o\'k"}'],
      ['', -1.5e3, false, 'x', '[1,2]'],
    ] as const;
    for (const params of cases) {
      const plain = await store.query(sql, [...params]);
      expect(await store.query(sql, [...params], { prepare: 'test-prepared' })).to.deep.equal(plain);
    }
    const named = await store.query<{ name: string; statement: string }>(
      'SELECT name, statement FROM pg_prepared_statements',
    );
    expect(named).to.have.length(1);
    expect(named[0]?.name).to.equal('test-prepared');
    expect(named[0]?.statement).to.include('(SELECT count(*)::int FROM t)');
    // A name sent with another text runs that text, unprepared; in a transaction, as it always did.
    expect(await store.query('SELECT 2 AS two', [], { prepare: 'test-prepared' })).to.deep.equal([{ two: 2 }]);
    const inTx = await store.transaction((tx) => tx.query('SELECT $1::int AS n', [3], { prepare: 'test-in-tx' }));
    expect(inTx).to.deep.equal([{ n: 3 }]);
    expect(await store.query('SELECT count(*)::int AS n FROM pg_prepared_statements')).to.deep.equal([{ n: 1 }]);
    // A write through a prepared statement commits like any other.
    await store.query('INSERT INTO t (k, v) VALUES ($1, $2)', ["prep'ared", 9], { prepare: 'test-insert' });
    expect(await store.query("SELECT v FROM t WHERE k = 'prep''ared'")).to.deep.equal([{ v: 9 }]);
  });

  it('after close, a statement fails with a storage error that says so', async () => {
    const other = await freshPgliteStore();
    await other.close();
    await other.close(); // twice is harmless
    const error = await other.query('SELECT 1').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConsentError);
    expect((error as ConsentError).code).to.equal('storage');
    expect((error as ConsentError).message).to.match(/closed/);
  });

  it('a folder that holds no database is refused with a storage error, and its lock is let go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ck-pglite-bad-'));
    try {
      writeFileSync(join(dir, 'PG_VERSION'), 'not a database\n');
      mkdirSync(join(dir, 'base'));
      for (let attempt = 0; attempt < 2; attempt++) {
        // The second attempt meets the same refusal, not "in use": the first let the folder go.
        const error = await createPgliteStore({ dataDir: dir }).then(
          (store) => store.close().then(() => undefined),
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(ConsentError);
        expect((error as ConsentError).code).to.equal('storage');
        expect((error as ConsentError).message).to.match(/cannot open the embedded database/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an open store does not keep a process alive once it has nothing to do', () => {
    // From the run's booted template when there is one (scripts/test.mjs): an initdb costs seconds.
    const script = `
      import { existsSync, readFileSync } from 'node:fs';
      import { createPgliteStore } from ${JSON.stringify(fileURLToPath(new URL('./pglite-store.ts', import.meta.url)))};
      const file = process.env.CONSENTKIT_TEST_PGLITE_TEMPLATE;
      const store = await createPgliteStore(file && existsSync(file) ? { loadDataDir: new Blob([readFileSync(file)]) } : {});
      const rows = await store.query('SELECT 41 + 1 AS n');
      console.log(rows[0].n);
    `;
    const dir = mkdtempSync(join(tmpdir(), 'ck-pglite-thread-'));
    try {
      writeFileSync(join(dir, 'open.mjs'), script);
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'open.mjs')], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.error, 'the process should end by itself').to.equal(undefined);
      expect(child.stdout.trim(), child.stderr).to.equal('42');
      expect(child.status).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
