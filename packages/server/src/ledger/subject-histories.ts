import { type AssuredRecord, ConsentError, type Decision, type RuleItem, type RuleRecord } from '@consentkit/core';
import { type AuditInput, appendAuditAlong } from '../access/audit-log.js';
import type { Queryable, Store } from '../platform/store/store.js';
import { assuredRecordOfPayload } from './stored-payload.js';

/**
 * Subject histories: for each person, what core's rules read of each of their entries (a
 * `RuleItem`: the record cut to `RuleRecord`, with the stored assurance and what it vouches for),
 * in ledger order, one row per person (migration 009), each item a JSON array of its values. The
 * state queries, single and bulk, read that one narrow row and run the rules over it, instead of
 * every entry's whole record JWS: the JSON decode of whole records (wording, collection point,
 * locale and all) was the bulk query's largest cost (bench/benches/senders.mjs), and a person's
 * row is about a quarter of the bytes of their records' payloads.
 *
 * Nothing is decided here: the rules still run at read time, over the policy and context of the
 * read, so expiry, the evaluation time, jurisdiction and GPC mean what they meant before.
 * subject-histories.node.test.ts holds `evaluateConsent` over the items to its answer over the
 * whole records for ≥ 10,000 generated histories and contexts, and, on both stores, the rows
 * appends, erasure and a rebuild leave to the entries themselves.
 *
 * Kept in step by whoever changes what a state rests on, each under the ledger's head lock:
 * every append (ledger.ts writes them in its own statement: `projectionCtes`), erasure and the retention
 * purge (the row goes with the person), and `catchUp`, which builds whatever is behind the ledger
 * from the entries: an upgraded ledger on its first start, entries written past the append path
 * (a bench's generator, an import), or a read that finds the histories behind the head.
 */

/** A stored entry, as much of it as the histories need. */
export type HistoryEntry = {
  readonly seq: number;
  readonly subjectRef: string | null;
  readonly jws: string;
  readonly assurance: string;
  readonly version: number;
};

/** A person the ledger knows, with their history as the rules read it (oldest first). */
export type SubjectHistory = {
  readonly ref: string;
  readonly blindIndex: string | null;
  readonly history: RuleItem[];
};

export type SubjectHistories = {
  /** The people named (by ref or by blind index) that the ledger knows, each with their history. */
  read(names: { readonly refs: readonly string[]; readonly indexes: readonly string[] }): Promise<SubjectHistory[]>;
  /**
   * The people named by ref, read in ONE statement that also appends `audits` (one per asker) to
   * the audit trail, so the read and its audit entries are one transaction (access/audit-log.ts
   * `appendAuditAlong`). The entries are written only if every ref is known and the histories are
   * fresh; `audited` says whether they were, and when not the caller records the audit for the
   * people found itself. `rows` is undefined when the histories were behind (then `read`).
   */
  readAudited(
    refs: readonly string[],
    audits: readonly AuditInput[],
  ): Promise<{ readonly rows: SubjectHistory[] | undefined; readonly audited: boolean }>;
  /** Builds what is behind the ledger's head, under the head lock; the number of entries read. */
  catchUp(): Promise<number>;
  /** Whether the histories end elsewhere than the ledger's head (one read, no lock). */
  behind(): Promise<boolean>;
};

/** What the rules read of an entry (core's `RuleRecord`), and nothing else. */
export function ruleItemOf(item: AssuredRecord): RuleItem {
  const r = item.record;
  const record: RuleRecord = {
    id: r.id,
    issuedAt: r.issuedAt,
    method: r.method,
    gpc: r.gpc,
    subject: { kind: r.subject.kind },
    policy: { id: r.policy.id, version: r.policy.version },
    decisions: r.decisions.map((d) => ({
      purpose: d.purpose,
      granted: d.granted,
      basis: d.basis,
      ...(d.legalBasis === undefined ? {} : { legalBasis: d.legalBasis }),
      ...(d.preChecked === undefined ? {} : { preChecked: d.preChecked }),
      ...(d.interaction === undefined ? {} : { interaction: d.interaction }),
    })),
    ...(r.interaction === undefined ? {} : { interaction: r.interaction }),
    ...(r.context === undefined ? {} : { context: r.context }),
  };
  return { record, assurance: item.assurance, ...(item.vouches ? { vouches: item.vouches } : {}) };
}

/**
 * An item as the row stores it: a JSON array in a fixed order, not an object, so the row holds the
 * values without their names (about half the bytes to read and parse per person). An absent value
 * is null; stored records hold null nowhere else here (the record schema allows it only in `gpc`).
 */
type StoredDecision = [
  purpose: string,
  granted: boolean,
  basis: Decision['basis'],
  legalBasis: NonNullable<Decision['legalBasis']> | null,
  preChecked: boolean | null,
  interaction: NonNullable<Decision['interaction']> | null,
];
type StoredItem = [
  id: string,
  issuedAt: string,
  method: RuleRecord['method'],
  gpc: RuleRecord['gpc'],
  subjectKind: RuleRecord['subject']['kind'],
  policyId: string,
  policyVersion: string,
  interaction: NonNullable<RuleRecord['interaction']> | null,
  context: NonNullable<RuleRecord['context']> | null,
  assurance: RuleItem['assurance'],
  vouchesFor: string | null,
  decisions: StoredDecision[],
];

/** One item in the row's form (its JSON text). */
export function encodeHistoryItem(item: RuleItem): string {
  const r = item.record;
  const stored: StoredItem = [
    r.id,
    r.issuedAt,
    r.method,
    r.gpc,
    r.subject.kind,
    r.policy.id,
    r.policy.version,
    r.interaction ?? null,
    r.context ?? null,
    item.assurance,
    item.vouches?.recordId ?? null,
    r.decisions.map((d) => [
      d.purpose,
      d.granted,
      d.basis,
      d.legalBasis ?? null,
      d.preChecked ?? null,
      d.interaction ?? null,
    ]),
  ];
  return JSON.stringify(stored);
}

function decodeDecision(d: StoredDecision): Omit<Decision, 'wording'> {
  const decision: Omit<Decision, 'wording'> = { purpose: d[0], granted: d[1], basis: d[2] };
  if (d[3] !== null) decision.legalBasis = d[3];
  if (d[4] !== null) decision.preChecked = d[4];
  if (d[5] !== null) decision.interaction = d[5];
  return decision;
}

function decodeItem(s: StoredItem): RuleItem {
  const record: RuleRecord = {
    id: s[0],
    issuedAt: s[1],
    method: s[2],
    gpc: s[3],
    subject: { kind: s[4] },
    policy: { id: s[5], version: s[6] },
    decisions: s[11].map(decodeDecision),
  };
  if (s[7] !== null) record.interaction = s[7];
  if (s[8] !== null) record.context = s[8];
  return s[10] === null ? { record, assurance: s[9] } : { record, assurance: s[9], vouches: { recordId: s[10] } };
}

/** The items of a stored history row (comma-joined `encodeHistoryItem`s), as the rules take them. */
export function parseHistoryItems(items: string | null): RuleItem[] {
  return items === null ? [] : (JSON.parse(`[${items}]`) as StoredItem[]).map(decodeItem);
}

/**
 * An entry's item exactly as its person's row stores it: what appends write and what `verify`
 * (verify-histories.ts) recomputes to hold each row to the entries.
 */
export function historyItemOf(e: Pick<HistoryEntry, 'jws' | 'assurance' | 'version'>): string {
  return encodeHistoryItem(
    ruleItemOf(
      assuredRecordOfPayload({ payload: e.jws.split('.')[1] ?? '', assurance: e.assurance, version: e.version }),
    ),
  );
}

/** Each person's new items, in ledger order, joined as the row stores them, as the JSON rows `projection` takes. */
export function historyRowsOf(entries: readonly HistoryEntry[]): string {
  const by = new Map<string, string[]>();
  for (const e of entries) {
    if (e.subjectRef === null) continue;
    const list = by.get(e.subjectRef);
    const item = historyItemOf(e);
    if (list) list.push(item);
    else by.set(e.subjectRef, [item]);
  }
  return JSON.stringify([...by].map(([subject_ref, items]) => ({ subject_ref, items: items.join(',') })));
}

/**
 * Adding entries (after..to] to the histories as two data-modifying CTEs, `history_moved` and
 * `history_written`, over the parameters named: the head moves only if the histories end at
 * `after`, and the rows (`historyRowsOf`) are written only if it moved, so they cannot part.
 * People unknown to `subjects` (erased before the entry is projected) get no row; `newPeople`
 * names a sibling CTE returning the `ref` of people inserted in the same statement, which the
 * `subjects` scan cannot see (sibling CTEs all read the snapshot from before the statement).
 * The statement's caller reads `(SELECT count(*) FROM history_moved)`: 0 when the histories were
 * not at `after` (then `catchUpSubjectHistories` builds them).
 */
export function projectionCtes(p: { after: string; to: string; rows: string; newPeople?: string }): string {
  // OFFSET 0 keeps the EXISTS a probe of the primary key per row. As a join, the planner (taking
  // json_to_recordset for its default 100 rows) hashed the whole table: a sequential scan of every
  // person on each append, 1.6 of a one-click group's 3.4 ms at 14,400 people (EXPLAIN ANALYZE).
  const known = `EXISTS (SELECT 1 FROM subjects s WHERE s.ref = x.subject_ref OFFSET 0)${
    p.newPeople === undefined ? '' : ` OR x.subject_ref IN (SELECT ref FROM ${p.newPeople})`
  }`;
  return `history_moved AS (
       UPDATE subject_history_head SET seq = ${p.to} WHERE id = 1 AND seq = ${p.after} RETURNING seq
     ), history_written AS (
       INSERT INTO subject_histories (subject_ref, items)
       SELECT x.subject_ref, x.items FROM json_to_recordset(${p.rows}::json) AS x(subject_ref text, items text)
       WHERE EXISTS (SELECT 1 FROM history_moved) AND (${known})
       ON CONFLICT (subject_ref) DO UPDATE SET items = subject_histories.items || ',' || excluded.items
       RETURNING 1
     )`;
}

const PROJECT_SQL = `WITH ${projectionCtes({ after: '$1', to: '$2', rows: '$3' })}
  SELECT (SELECT count(*) FROM history_moved)::int AS moved`;

/** `projectionCtes` on its own, for entries already stored; false when the histories were not at `after`. */
async function project(tx: Queryable, after: number, to: number, entries: readonly HistoryEntry[]): Promise<boolean> {
  const rows = await tx.query<{ moved: number }>(PROJECT_SQL, [after, to, historyRowsOf(entries)]);
  return Number(rows[0]?.moved ?? 0) === 1;
}

const PAGE = 2000;

/**
 * Builds the histories up to the ledger's head from the entries. Call it holding the head lock.
 * Histories ahead of the head (a ledger replaced under them) are dropped and built again;
 * `ledgerSeq` is the head to judge that by when the caller has already moved it (an append).
 */
export async function catchUpSubjectHistories(tx: Queryable, ledgerSeq?: number): Promise<number> {
  const heads = await tx.query<{ at: number; ledger: number }>(
    `SELECT p.seq AS at, l.seq AS ledger FROM subject_history_head p, ledger_head l WHERE p.id = 1 AND l.id = 1
     FOR UPDATE OF p`,
  );
  const head = heads[0];
  if (!head) {
    throw new ConsentError('storage', 'the subject history head row is missing', {
      hint: 'The migrations run at start; was this database made by another tool?',
    });
  }
  let after = Number(head.at);
  if (after > (ledgerSeq ?? Number(head.ledger))) {
    await tx.exec('DELETE FROM subject_histories; UPDATE subject_history_head SET seq = 0 WHERE id = 1');
    after = 0;
  }
  let read = 0;
  for (;;) {
    const rows = await tx.query<{
      seq: number;
      subject_ref: string | null;
      jws: string;
      assurance: string;
      entry_version: number;
    }>(
      'SELECT seq, subject_ref, jws, assurance, entry_version FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, PAGE],
    );
    const last = rows.at(-1);
    if (!last) return read;
    const entries = rows.map((r) => ({
      seq: Number(r.seq),
      subjectRef: r.subject_ref,
      jws: r.jws,
      assurance: r.assurance,
      version: Number(r.entry_version),
    }));
    if (!(await project(tx, after, Number(last.seq), entries))) {
      throw new ConsentError('storage', 'the subject histories moved while they were being built', {
        hint: 'Build them holding the ledger head lock.',
      });
    }
    after = Number(last.seq);
    read += rows.length;
  }
}

/**
 * The append's part (ledger.ts, in its transaction, under the head lock), after its statement ran
 * `projectionCtes` with `after` the head before it: when that moved nothing, the histories were
 * behind (or ahead), and they are built from the entries, these included (already inserted).
 */
export async function afterProjection(tx: Queryable, firstSeq: number, moved: boolean): Promise<void> {
  // The append has already moved the ledger's head: "ahead" is judged against the head before it.
  if (!moved) await catchUpSubjectHistories(tx, firstSeq - 1);
}

/** The head lock the histories are built under (the ledger's `withLock`). */
type WithLock = <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;

type HistoryRow = { ref: string; blind_index: string | null; items: string | null };
const historyOfRow = (r: HistoryRow): SubjectHistory => ({
  ref: r.ref,
  blindIndex: r.blind_index,
  history: parseHistoryItems(r.items),
});

export function createSubjectHistories(options: { readonly store: Store; readonly withLock: WithLock }) {
  const { store, withLock } = options;
  const histories: SubjectHistories = {
    async read(names) {
      if (names.refs.length + names.indexes.length === 0) return [];
      // A history behind the head (entries written past the append path, or by a server from
      // before this table) is built before it is answered from: at most twice, then it is an error.
      for (let attempt = 0; ; attempt++) {
        const rows = await store.query<{
          ref: string;
          blind_index: string | null;
          items: string | null;
          fresh: boolean;
        }>(
          `SELECT s.ref, s.blind_index, h.items,
             (SELECT p.seq = l.seq FROM subject_history_head p, ledger_head l WHERE p.id = 1 AND l.id = 1) AS fresh
           FROM subjects s LEFT JOIN subject_histories h ON h.subject_ref = s.ref
           WHERE s.ref = ANY(ARRAY(SELECT json_array_elements_text($1::json)))
              OR s.blind_index = ANY(ARRAY(SELECT json_array_elements_text($2::json)))`,
          [JSON.stringify(names.refs), JSON.stringify(names.indexes)],
        );
        if (rows.every((r) => r.fresh) || attempt === 2) {
          if (!rows.every((r) => r.fresh)) {
            throw new ConsentError('storage', 'the subject histories stay behind the ledger', {
              hint: 'Is a server of an older version appending to this database? Upgrade every instance.',
            });
          }
          return rows.map(historyOfRow);
        }
        await histories.catchUp();
      }
    },
    async readAudited(refs, audits) {
      const unique = [...new Set(refs)];
      const { value: rows, entries } = await appendAuditAlong(
        store,
        // Entries only for a group whose every person is known (no entry for a 404) and whose
        // histories are current (else the rows are not the answer).
        { inputs: audits, first: 3, gate: '(SELECT ok FROM fresh) AND (SELECT count(*) FROM found) = $2' },
        async (audit) => {
          const found = `found AS (
             SELECT s.ref, s.blind_index, h.items
             FROM subjects s LEFT JOIN subject_histories h ON h.subject_ref = s.ref
             WHERE s.ref = ANY(ARRAY(SELECT json_array_elements_text($1::json)))
           ), fresh AS (
             SELECT p.seq = l.seq AS ok FROM subject_history_head p, ledger_head l WHERE p.id = 1 AND l.id = 1
           )`;
          // Without an append to carry, the same read (the one-row subquery keeps a row for "none found").
          const appended = audit ? '(SELECT count(*) FROM audit_added)' : '0';
          const rows = await store.query<
            Omit<HistoryRow, 'ref'> & { ref: string | null; fresh: boolean; appended: number }
          >(
            `WITH ${found}${audit ? `, ${audit.ctes}` : ''}
             SELECT f.ref, f.blind_index, f.items, (SELECT ok FROM fresh) AS fresh, a.appended
             FROM (SELECT ${appended}::int AS appended) a LEFT JOIN found f ON true`,
            audit ? [JSON.stringify(unique), unique.length, ...audit.params] : [JSON.stringify(unique)],
            // Each variant's text never changes: on PostgreSQL parsed and planned once per connection.
            { prepare: audit ? 'subject-histories-read-audited' : 'subject-histories-read-refs' },
          );
          return { value: rows, appended: Number(rows[0]?.appended ?? 0) };
        },
      );
      const known = rows.flatMap((r) => (r.ref === null ? [] : [{ ...r, ref: r.ref }]));
      return {
        rows: rows[0]?.fresh ? known.map(historyOfRow) : undefined,
        audited: entries !== undefined,
      };
    },
    catchUp: () => withLock((tx) => catchUpSubjectHistories(tx)),
    async behind() {
      const rows = await store.query<{ fresh: boolean }>(
        'SELECT p.seq = l.seq AS fresh FROM subject_history_head p, ledger_head l WHERE p.id = 1 AND l.id = 1',
      );
      return rows[0]?.fresh !== true;
    },
  };
  return histories;
}
