import type { Queryable } from '../platform/store/store.js';
import { historyItemOf } from './subject-histories.js';

/**
 * Holds the subject histories (subject-histories.ts) to the entries, for `verify`. The state and
 * bulk queries answer "may we mail X?" from a person's history row, not from their entries, so an
 * edited row changes answers while the chain, the tree and every signature still hold. The rows
 * are derived data, never signed: the only proof of a row is the entries it is derived from. So
 * after the walk has verified the entries, every row is recomputed from them (the same
 * `historyItemOf` the appends write with) and compared byte for byte.
 *
 * One streaming pass over the rows, each with its person's entries in order, in pages of people;
 * then one pass over the entries for people who have entries and no row. The database reads the
 * next page (and the people with no row) while this thread checks one: memory holds two pages of
 * 2,500 people, what one page of 5,000 held before they overlapped.
 *
 * Histories behind the ledger (an upgrade, entries written past the append path) are checked up
 * to where they end: a read builds the rest from the entries before it answers, on top of these
 * rows. Histories ahead of the ledger are not answered from at all (a read finds them ahead,
 * drops them and builds them again), so there is nothing to check.
 */

export type HistoryFaultKind = 'differs' | 'missing' | 'no-entry';

export type HistoryFault = {
  readonly subjectRef: string;
  readonly kind: HistoryFaultKind;
  /** The first entry of this person the row does not hold as it is, if any. */
  readonly seq: number | null;
  readonly reason: string;
};

export type HistoryCheck = {
  /** People whose rows were compared (with a row, with entries, or both). */
  readonly people: number;
  /** The last entry the histories hold; 0 when they were not checked (ahead of the ledger). */
  readonly upTo: number;
  readonly ahead: boolean;
  /** The first `limit` faults: the rows' in the database's order of people, then people with no row. */
  readonly faults: readonly HistoryFault[];
  /** Faults found past `limit`. */
  readonly more: number;
};

export type VerifyHistoriesOptions = {
  readonly store: Queryable;
  /** The last entry the walk verified: histories claiming more are not checked (see above). */
  readonly verifiedUpTo: number;
  readonly pageSize?: number;
  /** How many faults to keep; the rest are counted. Default 100. */
  readonly limit?: number;
};

type Row = {
  ref: string;
  items: string;
  seq: number | null;
  jws: string | null;
  assurance: string | null;
  entry_version: number | null;
};

/**
 * A page of rows, each with the entries of its person (of people the ledger knows: erased people
 * keep their entries, not their row), in the database's order of (person, seq). Keyset paging on
 * the histories' primary key, and each person's entries by ledger_entries_subject_seq, so a page
 * costs its own rows whatever the ledger's size. (One merged, ordered UNION of both tables paged
 * with LIMIT was planned as a scan and sort of the whole ledger per page on PostgreSQL: 5.9 s a
 * page at 800,000 entries, quadratic over the walk; docs/benchmarks.md, transparency.)
 */
const ROWS_SQL = `SELECT h.subject_ref AS ref, h.items, e.seq, e.jws, e.assurance, e.entry_version
  FROM (SELECT subject_ref, items FROM subject_histories
         WHERE $1::text IS NULL OR subject_ref > $1 ORDER BY subject_ref LIMIT $2) h
  LEFT JOIN LATERAL (
    SELECT seq, jws, assurance, entry_version FROM ledger_entries e
     WHERE e.subject_ref = h.subject_ref AND e.seq <= $3
       AND EXISTS (SELECT 1 FROM subjects s WHERE s.ref = h.subject_ref)
  ) e ON true
  ORDER BY h.subject_ref, e.seq`;

/** People the ledger knows with entries up to `$1` and no row: one pass over the entries. */
const MISSING_SQL = `SELECT e.subject_ref AS ref, min(e.seq) AS first, count(*) AS n, count(*) OVER () AS people
  FROM ledger_entries e
 WHERE e.subject_ref IS NOT NULL AND e.seq <= $1
   AND EXISTS (SELECT 1 FROM subjects s WHERE s.ref = e.subject_ref)
   AND NOT EXISTS (SELECT 1 FROM subject_histories h WHERE h.subject_ref = e.subject_ref)
 GROUP BY e.subject_ref
 ORDER BY e.subject_ref
 LIMIT $2`;

/**
 * A query asked for ahead of its turn: awaited later, its failure is thrown there; if the pass
 * ends first (an item that would not decode), it is not an unhandled rejection.
 */
function settledLater<T>(query: Promise<T>): Promise<T> {
  query.catch(() => {});
  return query;
}

export async function verifyHistories(options: VerifyHistoriesOptions): Promise<HistoryCheck> {
  const { store } = options;
  const pageSize = options.pageSize ?? 2500;
  const limit = options.limit ?? 100;
  const head = (await store.query<{ seq: number }>('SELECT seq FROM subject_history_head WHERE id = 1'))[0];
  const upTo = Number(head?.seq ?? 0);
  if (upTo > options.verifiedUpTo) return { people: 0, upTo: 0, ahead: true, faults: [], more: 0 };

  const faults: HistoryFault[] = [];
  let more = 0;
  const report = (fault: HistoryFault) => {
    if (faults.length < limit) faults.push(fault);
    else more++;
  };

  let people = 0;
  let ref: string | undefined;
  let row = '';
  let at = 0;
  let entries = 0;
  let lastSeq = 0;
  let broken = false;

  const finish = () => {
    if (ref === undefined || broken) return;
    if (entries === 0) {
      report({
        subjectRef: ref,
        kind: 'no-entry',
        seq: null,
        reason: 'a history row for a person with no entry in the ledger up to where the histories end',
      });
    } else if (at !== row.length + 1) {
      report({
        subjectRef: ref,
        kind: 'differs',
        seq: lastSeq,
        reason: `the row holds more than the person's entries: something follows the item of entry ${lastSeq}`,
      });
    }
  };

  // People with entries and no row (below) are found by a query of its own, independent of the
  // rows: asked now, the database answers it while this thread checks the rows.
  const missingQuery = settledLater(
    store.query<{ ref: string; first: number; n: number; people: number }>(MISSING_SQL, [upTo, limit + 1]),
  );
  // Each page of rows is asked for before the one before it is checked, so the database reads it
  // while this thread recomputes items. Taking turns, each was idle about half of the pass: the
  // two took about equal CPU (bench/benches/verify.mjs times the pass).
  let next: Promise<Row[]> | undefined = settledLater(store.query<Row>(ROWS_SQL, [null, pageSize, upTo]));
  while (next) {
    const page: Row[] = await next;
    // A page holds `pageSize` rows (and their entries): fewer people means the last one was read.
    const last = page.at(-1);
    next =
      last && new Set(page.map((r) => r.ref)).size >= pageSize
        ? settledLater(store.query<Row>(ROWS_SQL, [last.ref, pageSize, upTo]))
        : undefined;
    for (const r of page) {
      if (r.ref !== ref) {
        finish();
        ref = r.ref;
        row = r.items;
        at = 0;
        entries = 0;
        lastSeq = 0;
        broken = false;
        people++;
      }
      // A row with no entry behind it comes once, with no entry columns.
      if (r.seq === null) continue;
      const seq = Number(r.seq);
      entries++;
      if (broken) continue;
      const item = historyItemOf({ jws: r.jws ?? '', assurance: r.assurance ?? '', version: Number(r.entry_version) });
      // Items are joined by commas; `at` is where this one must start.
      const end = at + item.length;
      if (row.startsWith(item, at) && (end === row.length || row[end] === ',')) {
        at = end + 1;
        lastSeq = seq;
        continue;
      }
      broken = true;
      report({
        subjectRef: r.ref,
        kind: 'differs',
        seq,
        reason:
          at >= row.length
            ? `the row ends before entry ${seq} (the entry is missing from it)`
            : `the row's item for entry ${seq} is not what the entry says (edited, dropped or reordered)`,
      });
    }
  }
  finish();

  // People with entries and no row: the state queries would answer them as unknown.
  const missing = await missingQuery;
  const missingPeople = Number(missing[0]?.people ?? 0);
  people += missingPeople;
  for (const m of missing.slice(0, limit)) {
    const n = Number(m.n);
    report({
      subjectRef: m.ref,
      kind: 'missing',
      seq: Number(m.first),
      reason: `no history row, but ${n} entr${n === 1 ? 'y' : 'ies'} (the person would be answered as unknown or as having no consent)`,
    });
  }
  more += Math.max(0, missingPeople - Math.min(missing.length, limit));
  return { people, upTo, ahead: false, faults, more };
}
