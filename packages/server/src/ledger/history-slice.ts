// One slice of verify's subject histories pass (verify-histories.ts): the people whose refs lie in
// (after, through], each row held to its person's entries. The pass's own thread checks the whole
// ledger as one slice (PGlite, small ledgers); on PostgreSQL the range workers (range-worker.ts)
// check slices of it over their own connections, so this file is what both run.
import { historyItemOf } from './subject-histories.js';

export type HistoryFaultKind = 'differs' | 'missing' | 'no-entry';

export type HistoryFault = {
  readonly subjectRef: string;
  readonly kind: HistoryFaultKind;
  /** The first entry of this person the row does not hold as it is, if any. */
  readonly seq: number | null;
  readonly reason: string;
};

/** A row of `ROWS_SQL`: a person's history row, once per entry of theirs (or once with no entry). */
export type HistoryRow = {
  ref: string;
  items: string;
  seq: number | string | null;
  /** The record JWS's payload (its middle part), all an item is made of. */
  payload: string | null;
  assurance: string | null;
  entry_version: number | null;
};

/**
 * A page of rows in (after, through], each with the entries of its person (of people the ledger
 * knows: erased people keep their entries, not their row), in the database's order of (person,
 * seq). Keyset paging on the histories' primary key, and each person's entries by
 * ledger_entries_subject_seq, so a page costs its own rows whatever the ledger's size. (One merged,
 * ordered UNION of both tables paged with LIMIT was planned as a scan and sort of the whole ledger
 * per page on PostgreSQL: 5.9 s a page at 800,000 entries, quadratic over the walk;
 * docs/benchmarks.md, transparency.) Only the JWS's payload is read: the header and signature
 * were a quarter of its bytes, sent and decoded for nothing. Parameters: after, page size, the
 * histories' end, through.
 */
export const ROWS_SQL = `SELECT h.subject_ref AS ref, h.items, e.seq, split_part(e.jws, '.', 2) AS payload, e.assurance, e.entry_version
  FROM (SELECT subject_ref, items FROM subject_histories
         WHERE ($1::text IS NULL OR subject_ref > $1) AND ($4::text IS NULL OR subject_ref <= $4)
         ORDER BY subject_ref LIMIT $2) h
  LEFT JOIN LATERAL (
    SELECT seq, jws, assurance, entry_version FROM ledger_entries e
     WHERE e.subject_ref = h.subject_ref AND e.seq <= $3
       AND EXISTS (SELECT 1 FROM subjects s WHERE s.ref = h.subject_ref)
  ) e ON true
  ORDER BY h.subject_ref, e.seq`;

/** A slice: the rows with refs in (after, through] (null: unbounded), held to entries up to `upTo`. */
export type HistorySliceTask = {
  readonly after: string | null;
  readonly through: string | null;
  readonly upTo: number;
  /** People per page read. */
  readonly pageSize: number;
  /** How many faults to keep; the rest are counted. */
  readonly limit: number;
};

export type HistorySliceOutcome = {
  readonly task: HistorySliceTask;
  /** People whose rows were compared. */
  readonly people: number;
  /** The slice's first `limit` faults, in the order of people. */
  readonly faults: readonly HistoryFault[];
  /** Faults found past `limit`. */
  readonly more: number;
};

/** Reads one page: ROWS_SQL with (after, pageSize, upTo, through). */
export type ReadHistoryRows = (
  after: string | null,
  pageSize: number,
  upTo: number,
  through: string | null,
) => Promise<HistoryRow[]>;

/**
 * A query asked for ahead of its turn: awaited later, its failure is thrown there; if the pass
 * ends first (an item that would not decode), it is not an unhandled rejection.
 */
export function settledLater<T>(query: Promise<T>): Promise<T> {
  query.catch(() => {});
  return query;
}

/** Checks the slice's rows, page by page, each page asked for before the one before it is checked. */
export async function checkHistorySlice(task: HistorySliceTask, read: ReadHistoryRows): Promise<HistorySliceOutcome> {
  const { pageSize, upTo, through, limit } = task;
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

  // Each page of rows is asked for before the one before it is checked, so the database reads it
  // while this thread recomputes items.
  let next: Promise<HistoryRow[]> | undefined = settledLater(read(task.after, pageSize, upTo, through));
  while (next) {
    const page: HistoryRow[] = await next;
    // A page holds `pageSize` people (and their entries): fewer means the slice's last was read,
    // as does its bound.
    const last = page.at(-1);
    next =
      last && last.ref !== through && new Set(page.map((r) => r.ref)).size >= pageSize
        ? settledLater(read(last.ref, pageSize, upTo, through))
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
      // The same function the appends write with, over the same payload (`split_part` is its
      // `split('.')[1]`, '' when there is none).
      const item = historyItemOf({
        jws: `.${r.payload ?? ''}`,
        assurance: r.assurance ?? '',
        version: Number(r.entry_version),
      });
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
  return { task, people, faults, more };
}
