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
 * One streaming pass, in the database's order of (person, seq): each person's row arrives just
 * before their entries (a row sorts as seq 0), so memory holds one page and one person's row,
 * whatever the ledger's size.
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
  /** The first `limit` faults, in the database's order of people. */
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
  seq: number;
  jws: string | null;
  assurance: string | null;
  entry_version: number | null;
  items: string | null;
};

/**
 * Each row (seq 0) and the entries of people the ledger knows (erased people keep their entries,
 * not their row), merged in one order by the database, so the walk only ever compares refs for
 * equality. Keyset paging on (ref, seq), which both sides have an index in that order for
 * (ledger_entries_subject_seq, and the histories' primary key). Its time over the 1M-entry bench
 * ledger has not been measured yet.
 */
const PAGE_SQL = `SELECT ref, seq, jws, assurance, entry_version, items FROM (
    SELECT e.subject_ref AS ref, e.seq, e.jws, e.assurance, e.entry_version, NULL::text AS items
      FROM ledger_entries e
     WHERE e.subject_ref IS NOT NULL AND e.seq <= $3
       AND EXISTS (SELECT 1 FROM subjects s WHERE s.ref = e.subject_ref)
    UNION ALL
    SELECT h.subject_ref, 0::bigint, NULL, NULL, NULL, h.items FROM subject_histories h
  ) x
  WHERE (ref, seq) > ($1, $2)
  ORDER BY ref, seq
  LIMIT $4`;

export async function verifyHistories(options: VerifyHistoriesOptions): Promise<HistoryCheck> {
  const { store } = options;
  const pageSize = options.pageSize ?? 5000;
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
  // The person being compared: their stored row (null: none), how far into it the entries so far
  // matched, and the first entry that did not (then the rest of their entries are skipped).
  let ref: string | undefined;
  let row: string | null = null;
  let at = 0;
  let entries = 0;
  let firstSeq = 0;
  let lastSeq = 0;
  let broken = false;

  const finish = () => {
    if (ref === undefined || broken) return;
    if (row === null) {
      if (entries > 0) {
        report({
          subjectRef: ref,
          kind: 'missing',
          seq: firstSeq,
          reason: `no history row, but ${entries} entr${entries === 1 ? 'y' : 'ies'} (the person would be answered as unknown or as having no consent)`,
        });
      }
    } else if (entries === 0) {
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

  let after: [string, number] = ['', -1];
  for (;;) {
    const page = await store.query<Row>(PAGE_SQL, [after[0], after[1], upTo, pageSize]);
    for (const r of page) {
      const seq = Number(r.seq);
      if (r.ref !== ref) {
        finish();
        ref = r.ref;
        row = null;
        at = 0;
        entries = 0;
        firstSeq = 0;
        lastSeq = 0;
        broken = false;
        people++;
      }
      if (seq === 0) {
        row = r.items;
        continue;
      }
      entries++;
      if (entries === 1) firstSeq = seq;
      if (broken || row === null) continue;
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
    const last = page.at(-1);
    if (!last || page.length < pageSize) break;
    after = [last.ref, Number(last.seq)];
  }
  finish();
  return { people, upTo, ahead: false, faults, more };
}
