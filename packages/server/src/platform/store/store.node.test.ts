import { storeFactories, type TestStore } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { loadMigrations, migrate } from './migrate.js';

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
  });
}
