import { createTestSigner } from '@consentkit/test-support/keys';
import {
  createTestLedger,
  postRecords,
  signedRecord,
  storeFactories,
  type TestLedger,
  type TestStore,
  twoServerStores,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import type { IngestResult } from '../ingest/ingest.js';
import type { Queryable, Store } from '../platform/store/store.js';
import { findSubjectByName } from '../subjects/subject-lookup.js';
import { parseHistoryItems, projectionCtes } from './subject-histories.js';

// Every statement under the ledger's head lock is a round trip the lock is held for (on PGlite a
// hand-off to its thread and back), so an append writes its entries, head, the people's histories
// and a placement's people, links, keys and openings in ONE statement. These hold that count, and
// that nothing folded into that statement is lost: the person, their opening and their history
// row are there after the append, on both stores, and two servers on one PostgreSQL still make one
// chain, one entry per record and one person per address.

/** The store, with the statements each transaction ran (BEGIN and COMMIT are the store's own). */
function counting(store: Store): { store: Store; transactions: string[][] } {
  const transactions: string[][] = [];
  const wrap = (q: Queryable, ran: string[]): Queryable => ({
    query: (sql, params, options) => {
      ran.push(sql);
      return q.query(sql, params, options);
    },
    exec: (sql) => {
      ran.push(sql);
      return q.exec(sql);
    },
  });
  return {
    transactions,
    store: {
      ...store,
      transaction: (fn) =>
        store.transaction((tx) => {
          const ran: string[] = [];
          transactions.push(ran);
          return fn(wrap(tx, ran));
        }),
    },
  };
}

/** The transactions that took the head lock since `from`, each as its statements. */
const locked = (transactions: string[][], from: number) =>
  transactions.slice(from).filter((ran) => /FROM ledger_head WHERE id = 1 FOR UPDATE/.test(ran[0] ?? ''));

type Results = { results: IngestResult[] };

for (const factory of storeFactories()) {
  describe(`statements under the head lock (${factory.name})`, () => {
    let db: TestStore;
    let t: TestLedger;
    let transactions: string[][];
    before(async () => {
      db = await factory.create();
      const counted = counting(db.store);
      transactions = counted.transactions;
      t = await createTestLedger(counted.store);
    });
    after(() => db.close());

    const historyOf = async (ref: string) =>
      parseHistoryItems(
        (
          await db.store.query<{ items: string }>('SELECT items FROM subject_histories WHERE subject_ref = $1', [ref])
        )[0]?.items ?? null,
      ).map((item) => item.record.id);

    it('a capture of a new person: the lock, one lookup, one statement for the entry, the person and their history', async () => {
      const signer = await createTestSigner();
      const record = await signedRecord({ signer, policy: t.policy, prev: null, email: 'nadia@example.com' });
      const from = transactions.length;
      const response = await postRecords(t.app, [{ jws: record.jws, opening: record.opening }]);
      expect(response.status).to.equal(200);
      const [lock] = locked(transactions, from);
      expect(locked(transactions, from)).to.have.length(1);
      expect(lock).to.have.length(3);
      expect(lock?.[2])
        .to.match(/INSERT INTO ledger_entries/)
        .and.match(/INSERT INTO subjects/);
      // What that one statement wrote: the person, their opening, their history (the state reads it).
      const subject = await findSubjectByName(db.store, t.context.keyring, 'nadia@example.com');
      if (!subject) throw new Error('the capture made no person');
      const openings = await db.store.query('SELECT 1 FROM openings WHERE record_id = $1', [record.record.id]);
      expect(openings).to.have.length(1);
      expect(await historyOf(subject.ref)).to.deep.equal([record.record.id]);
      expect((await t.context.subjects.stateOf(subject.ref))?.marketing?.recordId).to.equal(record.record.id);
      // A returning person's next record: no new person, the same history row extended.
      const next = await signedRecord({ signer, policy: t.policy, prev: record.digest, email: 'nadia@example.com' });
      await postRecords(t.app, [{ jws: next.jws, opening: next.opening }]);
      expect(await historyOf(subject.ref)).to.deep.equal([record.record.id, next.record.id]);
      expect(await t.context.store.query('SELECT 1 FROM subjects')).to.have.length(1);
    });

    it('a one-click decision: the lock, one read of the people and the last digest, one append', async () => {
      const ref = await t.enrol('omar@example.com');
      const from = transactions.length;
      const { recordId, changed } = await t.context.subjects.recordServerDecision({
        subjectRef: ref,
        decisions: [{ purpose: 'marketing', granted: false }],
        method: 'one-click-email',
        collectionPoint: { flow: 'email-footer' },
        gpc: null,
        locale: 'en',
      });
      expect(changed).to.equal(true);
      const [lock] = locked(transactions, from);
      expect(locked(transactions, from)).to.have.length(1);
      expect(lock).to.have.length(3);
      expect((await historyOf(ref)).at(-1)).to.equal(recordId);
      expect((await t.context.subjects.stateOf(ref))?.marketing).to.include({ status: 'denied', recordId });
      expect((await t.verify()).ok).to.equal(true);
    });

    it('the histories it writes probe the people by key: no scan of every person per append', async () => {
      // Enough people that hashing them all looks cheaper to the planner than 100 probes, as it
      // did at 14,400 (the planner takes a JSON array for 100 rows); on a ledger of a few
      // thousand people a scan would only be slower, not chosen differently.
      await db.store.exec(`INSERT INTO subjects (ref, blind_index, created_at)
        SELECT 'p' || i, NULL, '2026-01-01T00:00:00Z' FROM generate_series(1, 20000) i; ANALYZE subjects`);
      const sql = `WITH ${projectionCtes({ after: '$1', to: '$2', rows: '$3' })}
        SELECT (SELECT count(*) FROM history_moved)::int AS moved`;
      const rows = JSON.stringify([{ subject_ref: 'p7', items: '[]' }]);
      const plan = await db.store.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [1, 2, rows]);
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).to.match(/Index (Only )?Scan using subjects_pkey/);
      expect(text).to.not.match(/Seq Scan on subjects/);
    });
  });
}

describe('two servers appending to one PostgreSQL', () => {
  const postgres = storeFactories().find((f) => f.name === 'postgres');
  if (!postgres) throw new Error('the PostgreSQL test store is missing');
  // A second pool, as a second process would have: its own connections, its own prepared statements.
  const stores = twoServerStores(postgres);
  let a: TestLedger;
  let b: TestLedger;
  before(async () => {
    if (stores.second === stores.first) throw new Error('the PostgreSQL test store gave no second pool');
    a = await createTestLedger(stores.first);
    b = await createTestLedger(stores.second);
  });

  it('make one chain, one entry per record and one person per address, each history whole', async () => {
    const signers = await Promise.all([0, 1, 2, 3].map(() => createTestSigner()));
    const records = await Promise.all(
      signers.map((signer, i) =>
        signedRecord({ signer, policy: a.policy, prev: null, email: `p${i % 2}@example.com` }),
      ),
    );
    // Every record posted to both servers at once: each is placed once, the repeat a duplicate.
    const posts = records.flatMap((r) =>
      [a, b].map(async (t) => {
        const response = await postRecords(t.app, [{ jws: r.jws, opening: r.opening }]);
        return ((await response.json()) as Results).results[0];
      }),
    );
    const results = await Promise.all(posts);
    expect(results.every((r) => r?.status === 'accepted')).to.equal(true);
    expect(results.filter((r) => r?.status === 'accepted' && !r.duplicate)).to.have.length(records.length);
    const entries = await stores.first.query<{ record_id: string; subject_ref: string }>(
      'SELECT record_id, subject_ref FROM ledger_entries ORDER BY seq',
    );
    expect(entries.map((e) => e.record_id).sort()).to.deep.equal(records.map((r) => r.record.id).sort());
    expect(await stores.first.query('SELECT 1 FROM subjects')).to.have.length(2);
    const rows = await stores.first.query<{ subject_ref: string; items: string }>(
      'SELECT subject_ref, items FROM subject_histories',
    );
    const byRef = new Map(rows.map((r) => [r.subject_ref, parseHistoryItems(r.items).map((i) => i.record.id)]));
    for (const ref of new Set(entries.map((e) => e.subject_ref))) {
      expect(byRef.get(ref)).to.deep.equal(entries.filter((e) => e.subject_ref === ref).map((e) => e.record_id));
    }
    expect((await a.verify()).ok).to.equal(true);
  });
});
