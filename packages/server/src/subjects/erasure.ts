import { appendAudit } from '../access/audit-log.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Queryable } from '../platform/store/store.js';
import { findSubject } from './subject-lookup.js';

/**
 * Erasure of one person. Deleted: the subject's data key (so any surviving copy of its
 * sealed openings cannot be opened), the openings, the commitment links, the subject's history row
 * (derived from the entries) and the subject row with its blind index. Kept: the ledger entries, which hold no identifier in clear (a salted
 * commitment and the now meaningless subject ref), so the chain still verifies end to end. The
 * audit entry names the ref and counts, never the identifier.
 */
export type ErasureResult = {
  readonly subjectRef: string;
  readonly openings: number;
  readonly commitments: number;
  readonly dataKeys: number;
  readonly auditSeq: number;
};

export type EraseInput = {
  readonly subjectRef: string;
  readonly actor: string;
  readonly ip: string | null;
};

export type ShredCounts = { readonly openings: number; readonly commitments: number; readonly dataKeys: number };

/**
 * The destruction itself, shared by erasure and the retention purge (retention/purge.ts): call it
 * inside a transaction that holds the head lock. Undefined when no such subject.
 */
export async function shredSubject(tx: Queryable, subjectRef: string): Promise<ShredCounts | undefined> {
  if (!(await findSubject(tx, subjectRef))) return undefined;
  const del = async (sql: string) => (await tx.query(sql, [subjectRef])).length;
  const dataKeys = await del('DELETE FROM subject_keys WHERE subject_ref = $1 RETURNING subject_ref');
  const openings = await del('DELETE FROM openings WHERE subject_ref = $1 RETURNING record_id');
  const commitments = await del('DELETE FROM commitments WHERE subject_ref = $1 RETURNING commitment');
  // The person's history as the state queries read it (ledger/subject-histories.ts) goes with them:
  // an erased person is answered as one the ledger does not know.
  await tx.query('DELETE FROM subject_histories WHERE subject_ref = $1', [subjectRef]);
  await tx.query('DELETE FROM subjects WHERE ref = $1', [subjectRef]);
  return { openings, commitments, dataKeys };
}

/** What shredSubject would delete, deleting nothing (`erase --dry-run`, `purge --dry-run`). */
export async function countShreddable(q: Queryable, subjectRef: string): Promise<ShredCounts> {
  const count = async (table: string) =>
    Number(
      (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE subject_ref = $1`, [subjectRef]))[0]
        ?.n ?? 0,
    );
  return {
    dataKeys: await count('subject_keys'),
    openings: await count('openings'),
    commitments: await count('commitments'),
  };
}

/** Undefined when no such subject (already erased, or never known). */
export async function eraseSubject(ledger: Ledger, input: EraseInput): Promise<ErasureResult | undefined> {
  // Under the head lock: an ingest for this person cannot add an opening half-way through.
  return ledger.withLock(async (tx) => {
    const counts = await shredSubject(tx, input.subjectRef);
    if (!counts) return undefined;
    const audit = await appendAudit(tx, {
      actor: input.actor,
      action: 'subject.erase',
      target: input.subjectRef,
      ip: input.ip,
      detail: { ...counts },
    });
    return { subjectRef: input.subjectRef, ...counts, auditSeq: audit.seq };
  });
}
