import { storeFactories, type TestStore } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { loadMigrations, migrate } from './migrate.js';
import { createPostgresStore } from './postgres-store.js';

for (const factory of storeFactories()) {
  describe(`store + migrations (${factory.name})`, () => {
    let db: TestStore;
    before(async () => {
      db = await factory.create();
    });
    after(() => db.close());

    it('applies the versioned migrations once; a second start applies nothing', async () => {
      const all = loadMigrations().map((m) => m.version);
      expect(all[0]).to.equal(1);
      expect(await migrate(db.store)).to.deep.equal(all);
      expect(await migrate(db.store)).to.deep.equal([]);
      const head = await db.store.query<{ seq: number }>('SELECT seq FROM ledger_head');
      expect(head).to.deep.equal([{ seq: 0 }]);
    });

    it('concurrent starts migrate one at a time (advisory lock)', async () => {
      const results = await Promise.all([migrate(db.store), migrate(db.store), migrate(db.store)]);
      expect(results.flat()).to.deep.equal([]);
    });

    it('rolls a failed transaction back', async () => {
      let failed = false;
      try {
        await db.store.transaction(async (tx) => {
          await tx.query('UPDATE ledger_head SET seq = 99 WHERE id = 1');
          throw new Error('boom');
        });
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
      expect((await db.store.query<{ seq: number }>('SELECT seq FROM ledger_head'))[0]?.seq).to.equal(0);
    });

    it('plans a named statement again as its table grows: a plan made on an empty table does not stay', async () => {
      // One connection, so the statement's plans and the EXPLAIN of them are on the same one.
      const store = db.url ? createPostgresStore({ connectionString: db.url, max: 1 }) : db.store;
      try {
        // Analyzed while empty, as autovacuum may do to a new ledger's tables.
        await store.exec('CREATE TABLE grow (k text PRIMARY KEY, v int); ANALYZE grow');
        const sql = 'SELECT v FROM grow WHERE k = ANY(ARRAY(SELECT json_array_elements_text($1::json)))';
        const keys = JSON.stringify(['k1', 'k2']);
        // Empty: from the sixth execution PostgreSQL runs its generic plan, a sequential scan.
        for (let i = 0; i < 7; i++)
          expect(await store.query(sql, [keys], { prepare: 'grow-lookup' })).to.deep.equal([]);
        await store.exec("INSERT INTO grow SELECT 'k' || i, i FROM generate_series(1, 20000) i");
        for (let i = 0; i < 20; i++) {
          const rows = await store.query<{ v: number }>(sql, [keys], { prepare: 'grow-lookup' });
          expect(rows.map((r) => r.v).sort()).to.deep.equal([1, 2]);
        }
        const named = await store.query<{ name: string; generic_plans: number }>(
          "SELECT name, generic_plans::int FROM pg_prepared_statements WHERE name LIKE 'grow-lookup%'",
        );
        // One statement on the connection (the older ones deallocated), and its plan reads the index.
        expect(named).to.have.length(1);
        const plan = await store.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE "${named[0]?.name}"('${keys}')`);
        const text = plan.map((r) => r['QUERY PLAN']).join('\n');
        expect(text).to.not.match(/Seq Scan on grow/);
        expect(text).to.match(/Index/);
        // That plan is the generic one, made since the table grew, under a name of its own.
        expect(named[0]?.generic_plans).to.be.greaterThan(0);
        expect(named[0]?.name).to.not.equal('grow-lookup');
      } finally {
        if (store !== db.store) await store.close();
      }
    });
  });
}
