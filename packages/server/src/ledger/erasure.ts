import { appendAudit } from '../audit/audit-log.js';
import type { Ledger } from './ledger.js';
import { findSubject } from './subjects.js';

/**
 * Erasure of one person (issue 7). Deleted: the subject's data key (so any surviving copy of its
 * sealed openings cannot be opened), the openings, the commitment links and the subject row with
 * its blind index. Kept: the ledger entries, which hold no identifier in clear (a salted
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

/** Undefined when no such subject (already erased, or never known). */
export async function eraseSubject(ledger: Ledger, input: EraseInput): Promise<ErasureResult | undefined> {
  // Under the head lock: an ingest for this person cannot add an opening half-way through.
  return ledger.withLock(async (tx) => {
    if (!(await findSubject(tx, input.subjectRef))) return undefined;
    const del = async (sql: string) => (await tx.query(sql, [input.subjectRef])).length;
    const dataKeys = await del('DELETE FROM subject_keys WHERE subject_ref = $1 RETURNING subject_ref');
    const openings = await del('DELETE FROM openings WHERE subject_ref = $1 RETURNING record_id');
    const commitments = await del('DELETE FROM commitments WHERE subject_ref = $1 RETURNING commitment');
    await tx.query('DELETE FROM subjects WHERE ref = $1', [input.subjectRef]);
    const audit = await appendAudit(tx, {
      actor: input.actor,
      action: 'subject.erase',
      target: input.subjectRef,
      ip: input.ip,
      detail: { openings, commitments, dataKeys },
    });
    return { subjectRef: input.subjectRef, openings, commitments, dataKeys, auditSeq: audit.seq };
  });
}
