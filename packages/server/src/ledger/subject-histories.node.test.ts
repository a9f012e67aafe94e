import { evaluateConsent } from '@consentkit/core';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { describeEachStore } from '@consentkit/test-support/server';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  evaluationContext,
  rulePolicies as policies,
  DIFFERENTIAL_RUNS as RUNS,
  storedHistory,
  storedJws,
} from '../../test/support/history-arbitrary.js';
import { type SeededPerson, seedPeople } from '../../test/support/senders-seed.js';
import type { Queryable } from '../platform/store/store.js';
import { eraseSubject } from '../subjects/erasure.js';
import { assuredRecordOf } from './records-of.js';
import {
  catchUpSubjectHistories,
  createSubjectHistories,
  encodeHistoryItem,
  parseHistoryItems,
  ruleItemOf,
} from './subject-histories.js';
import { verifyHistories } from './verify-histories.js';

// The subject histories keep only what the rules read of each entry. Two things make that safe:
// the rules give the same state over the kept parts as over the whole records (≥ 10,000 generated
// histories: every method, basis, level, GPC, EBR context, vouching entries, other policies, from
// the future; contexts of every jurisdiction, GPC and time), and the rows the ledger keeps are
// exactly those parts of its entries, after appends of every kind, erasure and a rebuild.

describe('the rules over the subject histories’ items agree with the rules over the whole records', () => {
  it(`over ${RUNS.toLocaleString('en')} generated histories and contexts`, () => {
    const signature = new Uint8Array(64);
    let decided = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...policies),
        storedHistory(allstreamPolicy),
        evaluationContext,
        (policy, entries, context) => {
          const whole = entries.map((e) =>
            assuredRecordOf({ jws: storedJws(e.record, signature), assurance: e.assurance, version: e.version }),
          );
          // As stored: each item's JSON, joined by commas, read back by the histories' own parser.
          const items = parseHistoryItems(whole.map((a) => encodeHistoryItem(ruleItemOf(a))).join(',') || null);
          const expected = evaluateConsent({ policy, history: whole, context });
          expect(evaluateConsent({ policy, history: items, context })).to.deep.equal(expected);
          if (Object.values(expected).some((s) => s.status !== 'needs-consent')) decided++;
        },
      ),
      { numRuns: RUNS },
    );
    expect(decided).to.be.greaterThan(RUNS / 4);
  });
});

describeEachStore('subject histories in the ledger', (s) => {
  let people: SeededPerson[] = [];
  const rowsOf = async (q: Queryable = s.t.context.store) =>
    new Map(
      (await q.query<{ subject_ref: string; items: string }>('SELECT subject_ref, items FROM subject_histories')).map(
        (r) => [r.subject_ref, parseHistoryItems(r.items)],
      ),
    );
  /** Every known person's row against the rule parts of their entries, decoded strictly. */
  const expectRowsMatchEntries = async () => {
    const rows = await rowsOf();
    const subjects = await s.t.context.store.query<{ ref: string }>('SELECT ref FROM subjects');
    for (const { ref } of subjects) {
      const entries = await s.t.context.ledger.historyOf(s.t.context.store, ref);
      const expected = entries.map((e) => ruleItemOf(assuredRecordOf(e)));
      expect(rows.get(ref) ?? [], ref).to.deep.equal(JSON.parse(JSON.stringify(expected)));
    }
    // No row for anyone the ledger does not know (erased people included).
    expect([...rows.keys()].every((ref) => subjects.some((x) => x.ref === ref))).to.equal(true);
    const heads = await s.t.context.store.query<{ at: number; ledger: number }>(
      'SELECT p.seq AS at, l.seq AS ledger FROM subject_history_head p, ledger_head l',
    );
    expect(Number(heads[0]?.at)).to.equal(Number(heads[0]?.ledger));
  };

  before(async () => {
    // Ingest (form records, one-click, preference page, GPC: the ledger's own records) ...
    people = await seedPeople(s.t, 25, `histories-${s.store}`);
    // ... and a confirmation the ledger appends for an earlier grant.
    const [first] = await s.t.context.store.query<{ record_id: string }>(
      'SELECT record_id FROM ledger_entries WHERE subject_ref = $1 ORDER BY seq LIMIT 1',
      [people[0]?.ref ?? ''],
    );
    await s.t.context.subjects.vouch({ recordId: first?.record_id ?? '', kind: 'attests' });
  });

  it('holds, for every person, the rule parts of their entries in ledger order, and the single query reads them', async () => {
    await expectRowsMatchEntries();
    for (const p of people) {
      const whole = (await s.t.context.ledger.historyOf(s.t.context.store, p.ref)).map(assuredRecordOf);
      const now = new Date();
      for (const context of [{ now }, { now, gpc: true }, { now, jurisdiction: 'DE' }]) {
        expect(await s.t.context.subjects.stateOf(p.ref, context), p.route).to.deep.equal(
          evaluateConsent({ policy: s.t.policy, history: whole, context }),
        );
      }
    }
  });

  it('verify finds every row as the entries say, and names an edit at the person’s entry it changed', async () => {
    // PGlite has one connection, busy inside a transaction: reads there go through `tx`.
    const head = async (q: Queryable = s.t.context.store) =>
      Number((await q.query<{ seq: number }>('SELECT seq FROM ledger_head'))[0]?.seq);
    const sound = await verifyHistories({ store: s.t.context.store, verifiedUpTo: await head(), pageSize: 7 });
    expect(sound).to.deep.include({ ahead: false, faults: [], more: 0 });
    expect(sound.people).to.equal(people.length);
    // A person with several entries: their second item is rewritten in place.
    const [multi] = await s.t.context.store.query<{ subject_ref: string; second: number }>(
      `SELECT subject_ref, (array_agg(seq ORDER BY seq))[2] AS second FROM ledger_entries
        WHERE subject_ref IS NOT NULL GROUP BY subject_ref HAVING count(*) >= 2 ORDER BY subject_ref LIMIT 1`,
    );
    if (!multi) throw new Error('the seed gave no one two entries');
    const row = (await rowsOf()).get(multi.subject_ref) ?? [];
    const edited = row.map((item, i) =>
      i === 1 ? { ...item, record: { ...item.record, issuedAt: '2001-01-01T00:00:00.000Z' } } : item,
    );
    await s.t.context.store
      .transaction(async (tx) => {
        await tx.query('UPDATE subject_histories SET items = $1 WHERE subject_ref = $2', [
          edited.map(encodeHistoryItem).join(','),
          multi.subject_ref,
        ]);
        const found = await verifyHistories({ store: tx, verifiedUpTo: await head(tx), pageSize: 7 });
        expect(found.faults).to.deep.equal([
          {
            subjectRef: multi.subject_ref,
            kind: 'differs',
            seq: Number(multi.second),
            reason: `the row's item for entry ${Number(multi.second)} is not what the entry says (edited, dropped or reordered)`,
          },
        ]);
        // Histories behind the ledger are held to the entries up to where they end: the last
        // entry dropped from its row with the head moved back is sound, not a fault.
        await tx.query('UPDATE subject_histories SET items = $1 WHERE subject_ref = $2', [
          row.map(encodeHistoryItem).join(','),
          multi.subject_ref,
        ]);
        const [last] = await tx.query<{ seq: number; subject_ref: string }>(
          'SELECT seq, subject_ref FROM ledger_entries WHERE subject_ref IS NOT NULL ORDER BY seq DESC LIMIT 1',
        );
        const lastRow = (await rowsOf(tx)).get(last?.subject_ref ?? '') ?? [];
        await tx.query('UPDATE subject_histories SET items = $1 WHERE subject_ref = $2', [
          lastRow.slice(0, -1).map(encodeHistoryItem).join(','),
          last?.subject_ref ?? '',
        ]);
        await tx.query('UPDATE subject_history_head SET seq = $1', [Number(last?.seq) - 1]);
        expect(await verifyHistories({ store: tx, verifiedUpTo: await head(tx) })).to.deep.include({
          upTo: Number(last?.seq) - 1,
          faults: [],
        });
        // ... but a row that holds less than where the histories end is named.
        await tx.query('UPDATE subject_history_head SET seq = $1', [Number(last?.seq)]);
        expect((await verifyHistories({ store: tx, verifiedUpTo: await head(tx) })).faults[0]).to.include({
          subjectRef: last?.subject_ref,
          seq: Number(last?.seq),
        });
        // Ahead of the ledger: every read drops and rebuilds them, so nothing is answered from them.
        await tx.exec(
          "INSERT INTO subject_histories VALUES ('x', '[]'); UPDATE subject_history_head SET seq = 1000000",
        );
        expect(await verifyHistories({ store: tx, verifiedUpTo: await head(tx) })).to.deep.include({
          ahead: true,
          faults: [],
        });
        throw new Error('rollback');
      })
      .catch((error: unknown) => {
        if ((error as Error).message !== 'rollback') throw error;
      });
    expect((await verifyHistories({ store: s.t.context.store, verifiedUpTo: await head() })).faults).to.deep.equal([]);
  });

  it('verify, reading the next page while it checks one, names every bad row in the order of people, then the people with no row', async () => {
    const { store } = s.t.context;
    const head = Number((await store.query<{ seq: number }>('SELECT seq FROM ledger_head'))[0]?.seq);
    const saved = await store.query<{ subject_ref: string; items: string }>(
      'SELECT subject_ref, items FROM subject_histories ORDER BY subject_ref',
    );
    const refAt = (i: number) => saved[i]?.subject_ref ?? '';
    const firstSeq = async (ref: string) =>
      Number(
        (
          await store.query<{ seq: number }>('SELECT min(seq) AS seq FROM ledger_entries WHERE subject_ref = $1', [ref])
        )[0]?.seq,
      );
    // Pages of 4 people: a row in the first page and one in the last are edited, one in between deleted.
    const [early, late, gone] = [refAt(1), refAt(saved.length - 2), refAt(10)];
    await store.query("UPDATE subject_histories SET items = '[1]' WHERE subject_ref = $1", [early]);
    await store.query("UPDATE subject_histories SET items = '[1]' WHERE subject_ref = $1", [late]);
    await store.query('DELETE FROM subject_histories WHERE subject_ref = $1', [gone]);
    try {
      // On PostgreSQL through the pool: the next page and the people with no row are read over
      // other connections while a page is checked.
      const found = await verifyHistories({ store, verifiedUpTo: head, pageSize: 4 });
      expect(found.people).to.equal(saved.length);
      expect(found.faults.map((f) => [f.subjectRef, f.kind, f.seq])).to.deep.equal([
        [early, 'differs', await firstSeq(early)],
        [late, 'differs', await firstSeq(late)],
        [gone, 'missing', await firstSeq(gone)],
      ]);
      // Past the limit, the rest are counted: the first two in order, one more.
      const cut = await verifyHistories({ store, verifiedUpTo: head, pageSize: 4, limit: 2 });
      expect(cut.faults.map((f) => f.subjectRef)).to.deep.equal([early, late]);
      expect(cut.more).to.equal(1);
    } finally {
      for (const row of saved.filter((r) => [early, late, gone].includes(r.subject_ref))) {
        await store.query(
          'INSERT INTO subject_histories (subject_ref, items) VALUES ($1, $2) ON CONFLICT (subject_ref) DO UPDATE SET items = $2',
          [row.subject_ref, row.items],
        );
      }
    }
    expect((await verifyHistories({ store, verifiedUpTo: head, pageSize: 4 })).faults).to.deep.equal([]);
  });

  it('loses the row with the person on erasure, and keeps the others', async () => {
    const gone = people[1]?.ref ?? '';
    await eraseSubject(s.t.context.ledger, { subjectRef: gone, actor: 'test', ip: null });
    expect((await rowsOf()).has(gone)).to.equal(false);
    expect(await s.t.context.subjects.stateOf(gone)).to.equal(undefined);
    await expectRowsMatchEntries();
    // The erased person's entries stay in the ledger, without a row: verify expects none.
    const head = Number((await s.t.context.store.query<{ seq: number }>('SELECT seq FROM ledger_head'))[0]?.seq);
    expect((await verifyHistories({ store: s.t.context.store, verifiedUpTo: head })).faults).to.deep.equal([]);
  });

  it('is built again from the entries when it is behind the ledger (an upgrade, entries written past the append)', async () => {
    const before = await rowsOf();
    await s.t.context.store.exec('DELETE FROM subject_histories; UPDATE subject_history_head SET seq = 0');
    const histories = createSubjectHistories({ store: s.t.context.store, withLock: s.t.context.ledger.withLock });
    // A read finds it behind and builds it before answering.
    const [read] = await histories.read({ refs: [people[2]?.ref ?? ''], indexes: [] });
    expect(read?.history).to.deep.equal(before.get(people[2]?.ref ?? ''));
    expect(await rowsOf()).to.deep.equal(before);
    // Ahead of the ledger (a ledger replaced under it): dropped and built again.
    await s.t.context.store.exec('UPDATE subject_history_head SET seq = seq + 1000');
    await s.t.context.ledger.withLock((tx) => catchUpSubjectHistories(tx));
    expect(await rowsOf()).to.deep.equal(before);
    // An append that finds it behind builds what is missing first, then adds its own entry.
    await s.t.context.store.exec('DELETE FROM subject_histories; UPDATE subject_history_head SET seq = 0');
    await s.t.context.subjects.recordServerDecision({
      subjectRef: people[3]?.ref ?? '',
      decisions: [{ purpose: 'loyalty-programme', granted: false }],
      method: 'preference-page',
      collectionPoint: { flow: 'preference-page' },
      gpc: null,
      locale: 'en',
    });
    await expectRowsMatchEntries();
  });
});
