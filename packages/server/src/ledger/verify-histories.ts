import type { Queryable } from '../platform/store/store.js';
import {
  checkHistorySlice,
  type HistoryFault,
  type HistoryRow,
  type HistorySliceOutcome,
  type HistorySliceTask,
  ROWS_SQL,
  settledLater,
} from './history-slice.js';

export type { HistoryFault, HistoryFaultKind } from './history-slice.js';

/**
 * Holds the subject histories (subject-histories.ts) to the entries, for `verify`. The state and
 * bulk queries answer "may we mail X?" from a person's history row, not from their entries, so an
 * edited row changes answers while the chain, the tree and every signature still hold. The rows
 * are derived data, never signed: the only proof of a row is the entries it is derived from. So
 * after the walk has verified the entries, every row is recomputed from them (the same
 * `historyItemOf` the appends write with) and compared byte for byte.
 *
 * One streaming pass over the rows, each with its person's entries in order, in pages of people
 * (history-slice.ts); then one pass over the entries for people who have entries and no row. The
 * database reads the next page (and the people with no row) while a page is checked: memory holds
 * two pages of 2,500 people, what one page of 5,000 held before they overlapped.
 *
 * On PostgreSQL, with the walk's range workers at hand (range-walk.ts), the rows are cut into
 * slices of 1,000 people, each read and checked by a worker over its own connection, and their
 * outcomes taken in the order of people: the same faults, in the same order, as one pass. Profiled
 * at 1,000,000 entries (500,000 people), the one-thread pass took ≈ 20 s of CPU, half on its own
 * thread (of ≈ 12 s: the record's base64url and JSON.parse 6.3, the item's JSON 1.6, cutting it to
 * the rule parts 0.5, the compare and loop 2.3, the driver's rows 1, GC 1) and half in PostgreSQL
 * (the lateral join, ≈ 1.6 KB sent per entry); each side waited for the other part of the time,
 * and the pass used one core and a third of two. On the workers every core does both.
 *
 * Histories behind the ledger (an upgrade, entries written past the append path) are checked up
 * to where they end: a read builds the rest from the entries before it answers, on top of these
 * rows. Histories ahead of the ledger are not answered from at all (a read finds them ahead,
 * drops them and builds them again), so there is nothing to check.
 */

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
  /** People per page read (default 2,500), and per slice on the workers (default 1,000). */
  readonly pageSize?: number;
  /** How many faults to keep; the rest are counted. Default 100. */
  readonly limit?: number;
  /**
   * Workers that check slices of the rows over connections of their own (the range workers on
   * PostgreSQL); without them, or when they fail, this thread reads every row itself.
   */
  readonly workers?: HistorySliceWorkers;
};

/** Runs slice tasks on workers; outcomes in the order the tasks were made. */
export type HistorySliceWorkers = {
  slices(taskAt: (k: number) => Promise<HistorySliceTask | undefined>): AsyncGenerator<HistorySliceOutcome>;
};

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
 * Where a slice of `size` people after `after` ends: the ref of its last person (an index-only
 * walk of the histories' primary key), or none when fewer are left (the last slice, unbounded).
 */
const SLICE_END_SQL = `SELECT subject_ref AS ref FROM subject_histories
 WHERE $1::text IS NULL OR subject_ref > $1 ORDER BY subject_ref OFFSET $2 LIMIT 1`;

export async function verifyHistories(options: VerifyHistoriesOptions): Promise<HistoryCheck> {
  const { store } = options;
  const pageSize = options.pageSize ?? 2500;
  const limit = options.limit ?? 100;
  const head = (await store.query<{ seq: number }>('SELECT seq FROM subject_history_head WHERE id = 1'))[0];
  const upTo = Number(head?.seq ?? 0);
  if (upTo > options.verifiedUpTo) return { people: 0, upTo: 0, ahead: true, faults: [], more: 0 };

  // People with entries and no row (below) are found by a query of its own, independent of the
  // rows: asked now, the database answers it while the rows are checked.
  const missingQuery = settledLater(
    store.query<{ ref: string; first: number; n: number; people: number }>(MISSING_SQL, [upTo, limit + 1]),
  );
  // The whole ledger as one slice: on the workers, cut into slices of `pageSize` people.
  const whole: HistorySliceTask = { after: null, through: null, upTo, pageSize, limit };
  // Slices are smaller than the pages: each worker holds its slice's rows and their garbage (with
  // slices of 2,500 the peak RSS was 654 MB against 605, one run each at 1,000,000 entries).
  const sliced: HistorySliceTask = { ...whole, pageSize: options.pageSize ?? 1000 };
  const tally =
    (options.workers ? await inSlices(options.workers, store, sliced) : undefined) ??
    add(
      newTally(limit),
      await checkHistorySlice(whole, (after, size, end, through) =>
        store.query<HistoryRow>(ROWS_SQL, [after, size, end, through]),
      ),
    );
  const { faults } = tally;
  let { people, more } = tally;
  const report = (fault: HistoryFault) => {
    if (faults.length < limit) faults.push(fault);
    else more++;
  };

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

/** The outcomes of the slices so far, folded in the order of people. */
type Tally = { limit: number; people: number; faults: HistoryFault[]; more: number };

function newTally(limit: number): Tally {
  return { limit, people: 0, faults: [], more: 0 };
}

/** A slice's outcome after those before it: its faults past the first `limit` of all are counted. */
function add(tally: Tally, outcome: HistorySliceOutcome): Tally {
  tally.people += outcome.people;
  for (const fault of outcome.faults) {
    if (tally.faults.length < tally.limit) tally.faults.push(fault);
    else tally.more++;
  }
  tally.more += outcome.more;
  return tally;
}

/**
 * The rows checked in slices of `pageSize` people on the workers, folded as they come (memory
 * holds the slices in flight, a few pages). Undefined when the workers fail: the caller then checks
 * every row itself, from the first (any fault in the store shows there again).
 */
async function inSlices(
  workers: HistorySliceWorkers,
  store: Queryable,
  slice: HistorySliceTask,
): Promise<Tally | undefined> {
  const { pageSize } = slice;
  let after: string | null = null;
  let done = false;
  const taskAt = async (): Promise<HistorySliceTask | undefined> => {
    if (done) return undefined;
    const end = (await store.query<{ ref: string }>(SLICE_END_SQL, [after, pageSize - 1]))[0];
    const task: HistorySliceTask = { ...slice, after, through: end?.ref ?? null };
    if (end) after = end.ref;
    else done = true;
    return task;
  };
  const tally = newTally(slice.limit);
  try {
    for await (const outcome of workers.slices(taskAt)) add(tally, outcome);
  } catch {
    return undefined;
  }
  return tally;
}
