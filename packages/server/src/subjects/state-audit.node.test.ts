import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { createTestLedger, storeFactories, type TestLedger, type TestStore } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { listAudit, verifyAudit } from '../access/audit-log.js';
import type { Queryable, Row, SqlParam, Store } from '../platform/store/store.js';

// Fault injection at the storage boundary: the real store, except that its audit writes fail while
// `failing` is set (a full disk, a lost connection). Everything else reaches the database.
function withAuditFault(store: Store) {
  const fault = { failing: false, auditWrites: 0 };
  const guard = (q: Queryable): Queryable => ({
    query<R extends Row = Row>(sql: string, params?: readonly SqlParam[]) {
      if (sql.includes('INSERT INTO audit_log')) {
        fault.auditWrites++;
        if (fault.failing) return Promise.reject(new Error('injected fault: the audit write failed'));
      }
      return q.query<R>(sql, params);
    },
    exec: (sql) => q.exec(sql),
  });
  const faulty: Store = {
    ...store,
    ...guard(store),
    transaction: (fn) => store.transaction((tx) => fn(guard(tx))),
    close: () => store.close(),
  };
  return { fault, store: faulty };
}

// A state query is personal data read: its audit entry commits before the answer goes out, also
// when concurrent queries share one audit write (group commit) and one history read.
for (const factory of storeFactories()) {
  describe(`state queries and their audit entries under concurrency (${factory.name})`, () => {
    let db: TestStore;
    let t: TestLedger;
    let fault: ReturnType<typeof withAuditFault>['fault'];
    let store: Store;
    const refs: string[] = [];
    before(async () => {
      db = await factory.create();
      ({ fault, store } = withAuditFault(db.store));
      t = await createTestLedger(store);
      for (const name of ['ana', 'ben', 'cleo', 'dev']) refs.push(await t.enrol(`${name}@example.com`));
    });
    after(() => db.close());

    const ask = (ref: string) =>
      t.app.request(`/v1/subjects/${ref}/state`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    const audited = async () =>
      (await listAudit(db.store, { limit: 10_000 })).filter((e) => e.action === 'subject.state');

    it('N concurrent queries give N answers, each the person’s own state, and N chained audit entries', async () => {
      const before = (await audited()).length;
      const asked = Array.from({ length: 40 }, (_, i) => refs[i % refs.length] as string);
      // Each answer, as it arrives, must already find its entry in the log (read past the server).
      const seenAtAnswer: number[] = [];
      const answers = await Promise.all(
        asked.map(async (ref) => {
          const response = await ask(ref);
          seenAtAnswer.push((await audited()).filter((e) => e.target === ref).length);
          return { ref, status: response.status, body: (await response.json()) as { subject: string } };
        }),
      );
      for (const a of answers) {
        expect(a.status).to.equal(200);
        expect(a.body.subject).to.equal(a.ref);
      }
      expect(seenAtAnswer.every((n) => n >= 1)).to.equal(true);
      const entries = (await audited()).slice(before);
      expect(entries).to.have.length(asked.length);
      expect(entries.map((e) => e.target).sort()).to.deep.equal([...asked].sort());
      expect(await verifyAudit(db.store)).to.deep.include({ ok: true });
    });

    it('a failed audit write fails every waiting query with a problem answer and no state leaks', async () => {
      const before = await listAudit(db.store, { limit: 10_000 });
      fault.failing = true;
      try {
        const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => ask(refs[i % refs.length] as string)));
        for (const response of responses) {
          expect(response.status).to.equal(500);
          expect(response.headers.get('content-type')).to.equal('application/problem+json');
          const body = (await response.json()) as { code: string; detail: string; state?: unknown };
          expect(body.code).to.equal('internal');
          expect(body.detail).to.equal('the server could not complete the request');
          expect(body).to.not.have.property('state');
          expect(JSON.stringify(body)).to.not.include('injected fault');
        }
      } finally {
        fault.failing = false;
      }
      expect(await listAudit(db.store, { limit: 10_000 })).to.deep.equal(before);
      // Once the store is back, queries are answered and the chain continues unbroken.
      const response = await ask(refs[0] as string);
      expect(response.status).to.equal(200);
      expect((await listAudit(db.store, { limit: 10_000 })).length).to.equal(before.length + 1);
      expect(await verifyAudit(db.store)).to.deep.include({ ok: true });
    });
  });
}
