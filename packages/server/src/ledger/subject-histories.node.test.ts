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
import { eraseSubject } from '../subjects/erasure.js';
import { assuredRecordOf } from './records-of.js';
import {
  catchUpSubjectHistories,
  createSubjectHistories,
  encodeHistoryItem,
  parseHistoryItems,
  ruleItemOf,
} from './subject-histories.js';

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
  const rowsOf = async () =>
    new Map(
      (
        await s.t.context.store.query<{ subject_ref: string; items: string }>(
          'SELECT subject_ref, items FROM subject_histories',
        )
      ).map((r) => [r.subject_ref, parseHistoryItems(r.items)]),
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

  it('loses the row with the person on erasure, and keeps the others', async () => {
    const gone = people[1]?.ref ?? '';
    await eraseSubject(s.t.context.ledger, { subjectRef: gone, actor: 'test', ip: null });
    expect((await rowsOf()).has(gone)).to.equal(false);
    expect(await s.t.context.subjects.stateOf(gone)).to.equal(undefined);
    await expectRowsMatchEntries();
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
