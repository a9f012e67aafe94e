// verify's subject histories pass in slices on the range workers (history-slice.ts,
// verify-histories.ts, range-walk.ts) over the throwaway PostgreSQL: the slices tile the rows, and
// the pass answers exactly as the one-thread pass does, sound and with rows tampered in slices
// other than the first (just past a slice's start, at a slice's end, in the last, unbounded
// slice), so a slice skipped or cut short would leave a fault unnamed.
import { createTestDatabase, createTestLedger, type TestLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { type SeededPerson, seedPeople } from '../../test/support/senders-seed.js';
import { createPostgresStore } from '../platform/store/postgres-store.js';
import type { Store } from '../platform/store/store.js';
import type { HistorySliceOutcome } from './history-slice.js';
import { createRangeWalker, type RangeWalker } from './range-walk.js';
import { verifyHistories } from './verify-histories.js';
import { verifyLedger } from './verify-ledger.js';

/** People per slice: 25 people make slices of 4, 4, 4, 4, 4, 4 and 1. */
const SLICE = 4;
const PEOPLE = 25;

describe('verify: the subject histories in slices on the range workers (PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: Store;
  let t: TestLedger;
  let walker: RangeWalker;
  let people: SeededPerson[] = [];
  let head = 0;

  before(async () => {
    db = await createTestDatabase();
    store = createPostgresStore({ connectionString: db.url });
    t = await createTestLedger(store, { checkpointEvery: 10 });
    people = await seedPeople(t, PEOPLE, 'slices');
    head = Number((await store.query<{ seq: number }>('SELECT seq FROM ledger_head'))[0]?.seq);
    walker = createRangeWalker({ databaseUrl: db.url, threads: 2 });
  });
  after(async () => {
    await walker?.close();
    await store?.close();
    await db?.drop();
  });

  /** The real workers, with every slice they answered kept, in order. */
  function watched(): { workers: RangeWalker; seen: HistorySliceOutcome[] } {
    const seen: HistorySliceOutcome[] = [];
    return {
      seen,
      workers: {
        ...walker,
        async *slices(taskAt) {
          for await (const outcome of walker.slices(taskAt)) {
            seen.push(outcome);
            yield outcome;
          }
        },
      },
    };
  }

  /** Rows rewritten (committed), `fn` run, the rows put back. */
  async function withRows<T>(edits: ReadonlyArray<[ref: string, items: string]>, fn: () => Promise<T>): Promise<T> {
    const saved = await store.query<{ subject_ref: string; items: string }>(
      'SELECT subject_ref, items FROM subject_histories WHERE subject_ref = ANY($1::text[])',
      [`{${edits.map(([ref]) => ref).join(',')}}`],
    );
    for (const [ref, items] of edits) {
      await store.query('UPDATE subject_histories SET items = $1 WHERE subject_ref = $2', [items, ref]);
    }
    try {
      return await fn();
    } finally {
      for (const row of saved) {
        await store.query('UPDATE subject_histories SET items = $1 WHERE subject_ref = $2', [
          row.items,
          row.subject_ref,
        ]);
      }
    }
  }

  it('cuts the rows into slices that tile them, and answers a sound ledger as the one-thread pass does', async () => {
    const oneThread = await verifyHistories({ store, verifiedUpTo: head, pageSize: SLICE });
    expect(oneThread).to.deep.include({ ahead: false, faults: [], more: 0, people: PEOPLE });
    const { workers, seen } = watched();
    expect(await verifyHistories({ store, verifiedUpTo: head, pageSize: SLICE, workers })).to.deep.equal(oneThread);
    // Each slice starts where the one before it ended; the last is unbounded; every person is in one.
    const refs = (
      await store.query<{ subject_ref: string }>('SELECT subject_ref FROM subject_histories ORDER BY subject_ref')
    ).map((r) => r.subject_ref);
    expect(seen.map((s) => [s.task.after, s.task.through, s.people])).to.deep.equal([
      [null, refs[3], 4],
      [refs[3], refs[7], 4],
      [refs[7], refs[11], 4],
      [refs[11], refs[15], 4],
      [refs[15], refs[19], 4],
      [refs[19], refs[23], 4],
      [refs[23], null, 1],
    ]);
  });

  it('names rows tampered in slices other than the first, in the order of people, as the one-thread pass does', async () => {
    const refs = (
      await store.query<{ subject_ref: string }>('SELECT subject_ref FROM subject_histories ORDER BY subject_ref')
    ).map((r) => r.subject_ref);
    // The first person of the second slice, the last of the third (its bound), the one of the last.
    const tampered = [refs[4], refs[11], refs[24]].map((ref) => ref ?? '');
    const firstSeq = async (ref: string) =>
      Number(
        (
          await store.query<{ seq: number }>('SELECT min(seq) AS seq FROM ledger_entries WHERE subject_ref = $1', [ref])
        )[0]?.seq,
      );
    await withRows(
      tampered.map((ref) => [ref, '[1]']),
      async () => {
        const oneThread = await verifyHistories({ store, verifiedUpTo: head, pageSize: SLICE });
        const expected = await Promise.all(tampered.map(async (ref) => [ref, 'differs', await firstSeq(ref)]));
        expect(oneThread.faults.map((f) => [f.subjectRef, f.kind, f.seq])).to.deep.equal(expected);
        const { workers, seen } = watched();
        expect(await verifyHistories({ store, verifiedUpTo: head, pageSize: SLICE, workers })).to.deep.equal(oneThread);
        // Each fault was found by the worker that read its slice.
        expect(seen.map((s) => s.faults.map((f) => f.subjectRef))).to.deep.equal([
          [],
          [tampered[0]],
          [tampered[1]],
          [],
          [],
          [],
          [tampered[2]],
        ]);
        // Past the limit the rest are counted, across slices as in one pass.
        const cut = await verifyHistories({ store, verifiedUpTo: head, pageSize: SLICE, limit: 2, workers });
        expect(cut).to.deep.equal(await verifyHistories({ store, verifiedUpTo: head, pageSize: SLICE, limit: 2 }));
        expect(cut.faults.map((f) => f.subjectRef)).to.deep.equal(tampered.slice(0, 2));
        expect(cut.more).to.equal(1);
      },
    );
  });

  it('verifyLedger on PostgreSQL checks the histories on its range workers and names a tampered row', async () => {
    const keys = await t.context.keyring.publicJwks();
    const ref = people[PEOPLE - 1]?.ref ?? '';
    const options = { store, ledger: t.context.ledger, keys };
    const sound = await verifyLedger(options);
    expect(sound).to.deep.include({ ok: true });
    const inWorkers = { ...options, databaseUrl: db.url, rangesFrom: 1, rangeThreads: 2, rangeSize: 7 };
    const phases: string[] = [];
    expect(await verifyLedger({ ...inWorkers, onPhase: (p) => phases.push(p) })).to.deep.equal(sound);
    expect(phases).to.deep.equal(['prepare', 'ranges-first', 'ranges', 'pages', 'head', 'histories']);
    await withRows([[ref, '[1]']], async () => {
      const expected = await verifyLedger(options);
      expect(expected).to.deep.include({ ok: false });
      expect(expected.histories?.faults.map((f) => f.subjectRef)).to.deep.equal([ref]);
      expect(await verifyLedger(inWorkers)).to.deep.equal(expected);
    });
  });

  it('workers that cannot connect: the pass checks every row itself, to the same answer', async () => {
    const refs = (
      await store.query<{ subject_ref: string }>('SELECT subject_ref FROM subject_histories ORDER BY subject_ref')
    ).map((r) => r.subject_ref);
    const broken = createRangeWalker({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', threads: 2 });
    try {
      await withRows([[refs[9] ?? '', '[1]']], async () => {
        const expected = await verifyHistories({ store, verifiedUpTo: head, pageSize: SLICE });
        expect(expected.faults.map((f) => f.subjectRef)).to.deep.equal([refs[9]]);
        expect(await verifyHistories({ store, verifiedUpTo: head, pageSize: SLICE, workers: broken })).to.deep.equal(
          expected,
        );
      });
    } finally {
      await broken.close();
    }
  });
});
