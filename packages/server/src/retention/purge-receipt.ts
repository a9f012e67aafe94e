import {
  ConsentError,
  canonicalize,
  type PublicJwk,
  type Signer,
  signJws,
  utf8Decode,
  verifyJws,
} from '@consentkit/core';
import type { Queryable } from '../platform/store/store.js';

/**
 * The deletion receipt a purge leaves: the ledger's JWS over what was destroyed, when,
 * under which policy version and by which rule. Any JOSE library verifies it with the ledger's
 * published JWKS; it names subjects by their (now meaningless) refs and never by an identifier.
 */
export const DELETION_RECEIPT_TYP = 'consent-deletion-receipt+jws';

export type DeletedSubject = {
  readonly subjectRef: string;
  /** When the proof had to be kept until (the rule's answer for this person). */
  readonly keepUntil: string;
  readonly records: number;
  readonly openings: number;
  readonly commitments: number;
  readonly dataKeys: number;
};

export type PurgeCriteria = {
  readonly rule: string;
  readonly recordRetention: string;
  /** Retention period per purpose id, as the policy states it. */
  readonly purposes: Readonly<Record<string, string>>;
};

export type DeletionReceiptClaims = {
  readonly receiptId: string;
  readonly purgedAt: string;
  readonly policy: { readonly id: string; readonly version: string; readonly digest: string };
  readonly criteria: PurgeCriteria;
  /** The chain head when the purge ran: the records kept stand where they stood. */
  readonly ledgerHead: { readonly seq: number; readonly entryHash: string };
  readonly subjects: readonly DeletedSubject[];
  readonly counts: {
    readonly examined: number;
    readonly ongoing: number;
    readonly retained: number;
    readonly destroyed: number;
    readonly openings: number;
    readonly commitments: number;
    readonly dataKeys: number;
    readonly records: number;
  };
};

export type StoredReceipt = {
  readonly id: string;
  readonly purgedAt: string;
  readonly subjects: number;
  readonly auditSeq: number;
  readonly jws: string;
};

export function signDeletionReceipt(signer: Signer, claims: DeletionReceiptClaims): Promise<string> {
  return signJws({
    payload: canonicalize(claims),
    signer,
    header: { typ: DELETION_RECEIPT_TYP },
  });
}

export async function storeDeletionReceipt(
  q: Queryable,
  receipt: { id: string; purgedAt: string; subjects: number; jws: string; auditSeq: number },
): Promise<void> {
  await q.query(
    'INSERT INTO purge_receipts (id, purged_at, subjects, jws, audit_seq, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [receipt.id, receipt.purgedAt, receipt.subjects, receipt.jws, receipt.auditSeq, new Date().toISOString()],
  );
}

type ReceiptRow = { id: string; purged_at: string; subjects: number; audit_seq: number; jws: string };

/** Newest first. */
export async function listDeletionReceipts(q: Queryable, options: { limit?: number } = {}): Promise<StoredReceipt[]> {
  const rows = await q.query<ReceiptRow>(
    'SELECT id, purged_at, subjects, audit_seq, jws FROM purge_receipts ORDER BY purged_at DESC, id DESC LIMIT $1',
    [options.limit ?? 100],
  );
  return rows.map((r) => ({
    id: r.id,
    purgedAt: r.purged_at,
    subjects: Number(r.subjects),
    auditSeq: Number(r.audit_seq),
    jws: r.jws,
  }));
}

/** Verifies a receipt against the ledger's JWKS; throws (core's ConsentError) when it does not hold. */
export async function verifyDeletionReceipt(
  jws: string,
  keys: ReadonlyArray<PublicJwk & { kid: string }>,
): Promise<DeletionReceiptClaims> {
  const verified = await verifyJws(jws, {
    key: async (header) => keys.find((k) => k.kid === header.kid),
    algorithms: ['ES256', 'EdDSA'],
  });
  if (verified.header.typ !== DELETION_RECEIPT_TYP) {
    throw new ConsentError('invalid-token', `not a deletion receipt (typ ${String(verified.header.typ)})`);
  }
  return JSON.parse(utf8Decode(verified.payload)) as DeletionReceiptClaims;
}
