import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { TEST_API_KEY } from '@consentkit/test-support/keys';
import {
  createTestLedger,
  storeFactories,
  type TestLedger,
  type TestStore,
  twoServerStores,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import { listAudit, verifyAudit } from '../access/audit-log.js';
import type { Queryable, Row, SqlParam, Store } from '../platform/store/store.js';

// Fault injection at the storage boundary: the real store, except that its audit writes fail while
// `failing` is set (a full disk, a lost connection). Everything else reaches the database.
// It also notes every statement and transaction the server sends, to count what a group costs.
function withAuditFault(store: Store) {
  const fault = { failing: false, auditWrites: 0, statements: [] as string[], transactions: 0, slowAuditMs: 0 };
  const guard = (q: Queryable): Queryable => ({
    async query<R extends Row = Row>(sql: string, params?: readonly SqlParam[]) {
      fault.statements.push(sql);
      if (sql.includes('INSERT INTO audit_log')) {
        fault.auditWrites++;
        if (fault.failing) throw new Error('injected fault: the audit write failed');
        // A slow audit write (a busy disk): it reaches the database only after this pause.
        if (fault.slowAuditMs > 0) await delay(fault.slowAuditMs);
      }
      return q.query<R>(sql, params);
    },
    exec: (sql) => q.exec(sql),
  });
  const faulty: Store = {
    ...store,
    ...guard(store),
    transaction: (fn) => {
      fault.transactions++;
      return store.transaction((tx) => fn(guard(tx)));
    },
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

    it('a group of concurrent queries is one statement: it reads them and appends their entries (one transaction)', async () => {
      await ask(refs[0] as string); // the server now knows the audit head it wrote
      const before = (await audited()).length;
      fault.statements.length = 0;
      fault.transactions = 0;
      const asked = Array.from({ length: 24 }, (_, i) => refs[i % refs.length] as string);
      const responses = await Promise.all(asked.map(ask));
      expect(responses.map((r) => r.status)).to.deep.equal(asked.map(() => 200));
      const sent = [...fault.statements];
      // Before, a group was two statements (the read, then the audit append): here every
      // statement both reads the people and appends the audit, and none needs a transaction.
      expect(sent.length).to.be.greaterThan(0).and.at.most(2);
      for (const sql of sent) {
        expect(sql).to.include('subject_histories');
        expect(sql).to.include('INSERT INTO audit_log');
      }
      expect(fault.transactions).to.equal(0);
      const entries = (await audited()).slice(before);
      expect(entries.map((e) => e.target).sort()).to.deep.equal([...asked].sort());
      expect(await verifyAudit(db.store)).to.deep.include({ ok: true });
    });

    it('an unknown person in the group gets a 404 and no entry; everyone else theirs, before their answer', async () => {
      const before = (await audited()).length;
      const unknown = randomUUID();
      const asked = [...refs, unknown, ...refs, unknown];
      const seen = await Promise.all(
        asked.map(async (ref) => {
          const response = await ask(ref);
          return { ref, status: response.status, entries: (await audited()).filter((e) => e.target === ref).length };
        }),
      );
      for (const s of seen) {
        expect(s.status).to.equal(s.ref === unknown ? 404 : 200);
        if (s.ref === unknown) expect(s.entries).to.equal(0);
        else expect(s.entries).to.be.at.least(1);
      }
      const entries = (await audited()).slice(before);
      expect(entries.map((e) => e.target).sort()).to.deep.equal(asked.filter((r) => r !== unknown).sort());
      // The next group (the head was left to the fallback's locking append) is one statement again.
      fault.statements.length = 0;
      expect((await ask(refs[1] as string)).status).to.equal(200);
      expect(fault.statements).to.have.length(1);
      expect(await verifyAudit(db.store)).to.deep.include({ ok: true });
    });

    it('no answer goes out before its audit entry is written: a slow audit write holds every answer', async () => {
      await ask(refs[0] as string);
      const before = (await audited()).length;
      fault.slowAuditMs = 150;
      try {
        // A group that carries its audit in its read, then one with an unknown person (the read,
        // then the audit queue's own append).
        for (const asked of [
          [...refs, ...refs],
          [...refs, randomUUID()],
        ]) {
          const started = performance.now();
          const seen = await Promise.all(
            asked.map(async (ref) => {
              const response = await ask(ref);
              const ms = performance.now() - started;
              return { status: response.status, ms, entries: (await audited()).filter((e) => e.target === ref).length };
            }),
          );
          for (const s of seen.filter((x) => x.status === 200)) {
            expect(s.ms).to.be.at.least(145);
            expect(s.entries).to.be.at.least(1);
          }
          expect(seen.filter((x) => x.status === 200)).to.have.length(asked.length - (asked.length === 8 ? 0 : 1));
        }
      } finally {
        fault.slowAuditMs = 0;
      }
      expect((await audited()).length).to.equal(before + 8 + 4);
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

// Two servers on one database, each believing it knows the audit head: one statement per group
// moves the head only if it is still the one that server wrote, so whichever loses appends again
// under the head lock. Nothing is lost, nothing forks.
for (const factory of storeFactories()) {
  describe(`audited state queries from two servers on one database (${factory.name})`, () => {
    const stores = twoServerStores(factory);

    it('interleaved groups from both keep every entry in one verifiable chain', async () => {
      const a = await createTestLedger(stores.first);
      const b = await createTestLedger(stores.second);
      const refs = [await a.enrol('ana@example.com'), await b.enrol('ben@example.com')];
      const ask = (t: TestLedger, ref: string, what: 'state' | 'records') =>
        t.app.request(`/v1/subjects/${ref}/${what}`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
      const asked: string[] = [];
      for (let round = 0; round < 4; round++) {
        const responses = await Promise.all(
          Array.from({ length: 16 }, (_, i) => {
            const ref = refs[i % 2] as string;
            asked.push(ref);
            // Both servers' state groups, and the audit queue's own groups beside them.
            return ask(i % 4 < 2 ? a : b, ref, i % 8 === 7 ? 'records' : 'state');
          }),
        );
        expect(responses.map((r) => r.status)).to.deep.equal(responses.map(() => 200));
      }
      const entries = (await listAudit(stores.first, { limit: 10_000 })).filter((e) => e.action.startsWith('subject.'));
      expect(entries.map((e) => e.target).sort()).to.deep.equal(asked.sort());
      const all = await listAudit(stores.first, { limit: 10_000 });
      expect(all.map((e) => e.seq)).to.deep.equal(all.map((_, i) => i + 1));
      expect(await verifyAudit(stores.first)).to.deep.equal({ ok: true, count: all.length });
    });
  });
}
