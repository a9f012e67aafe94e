import { createHash } from 'node:crypto';
import { canonicalize, entryHash, type Signer, signJws } from '@consentkit/core';
import { z } from 'zod';

/**
 * What the chain hashes for each stored record. Every column that gives the entry meaning is in
 * here (including the subject link), so a changed column breaks the chain; the receipt is not,
 * because it is made from the hash.
 */
export type LedgerEntry = {
  readonly seq: number;
  readonly recordId: string;
  readonly kid: string;
  readonly digest: string;
  readonly jws: string;
  readonly subjectRef: string | null;
  readonly receivedAt: string;
};

export type StoredEntry = LedgerEntry & {
  readonly prevHash: string;
  readonly entryHash: string;
  readonly receipt: string;
};

const text = z.string().min(1);

/** A chain entry as backups and personal exports carry it (core's ChainEntry), checked on the way in. */
export const chainEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  recordId: text,
  kid: text,
  digest: text,
  jws: text,
  subjectRef: text.nullable(),
  receivedAt: text,
  prevHash: text,
  entryHash: text,
});

/** The receipt payload (DESIGN.md): the ledger vouches it took this record at this place. */
export type ReceiptClaims = {
  readonly recordId: string;
  readonly digest: string;
  readonly seq: number;
  readonly receivedAt: string;
  readonly entryHash: string;
};

export type CheckpointClaims = { readonly seq: number; readonly entryHash: string; readonly signedAt: string };

export const RECEIPT_TYP = 'consent-receipt+jws';
export const CHECKPOINT_TYP = 'consent-checkpoint+jws';

/**
 * The hash covers the entry and its `prevHash` (core's `ChainEntry` body), so an exported entry
 * `{ ...entry, prevHash, entryHash }` checks with core's `verifyChain` as it stands.
 */
export function hashEntry(prevHash: string, entry: LedgerEntry): Promise<string> {
  return entryHash({ prevHash, entry: { ...entry, prevHash } });
}

/** `hashEntry` on node:crypto, synchronous: the same bytes (core's entryHash), no thread-pool hop. */
export function hashEntrySync(prevHash: string, entry: LedgerEntry): string {
  return createHash('sha256')
    .update(Buffer.from(prevHash, 'hex'))
    .update(canonicalize({ ...entry, prevHash }), 'utf8')
    .digest('hex');
}

/** The entry as core's chain verifier reads it. */
export function toChainEntry(stored: StoredEntry) {
  return { ...toEntry(stored), prevHash: stored.prevHash, entryHash: stored.entryHash };
}

/** What an entry's receipt says: the claims the ledger signed when it took the record. */
export function receiptClaimsOf(entry: ReceiptClaims): ReceiptClaims {
  const { recordId, digest, seq, receivedAt, entryHash } = entry;
  return { recordId, digest, seq, receivedAt, entryHash };
}

/** Whether a verified receipt's payload is exactly the receipt of this entry (RFC 8785 bytes). */
export function receiptMatches(payload: string, entry: ReceiptClaims): boolean {
  return payload === canonicalize({ ...receiptClaimsOf(entry) });
}

export function signReceipt(signer: Signer, claims: ReceiptClaims): Promise<string> {
  return signJws({ payload: canonicalize({ ...claims }), signer, header: { typ: RECEIPT_TYP } });
}

export function signCheckpoint(signer: Signer, claims: CheckpointClaims): Promise<string> {
  return signJws({ payload: canonicalize({ ...claims }), signer, header: { typ: CHECKPOINT_TYP } });
}

export type EntryRow = {
  seq: number;
  record_id: string;
  kid: string;
  digest: string;
  jws: string;
  subject_ref: string | null;
  received_at: string;
  prev_hash: string;
  entry_hash: string;
  receipt: string;
};

export function fromRow(row: EntryRow): StoredEntry {
  return {
    seq: Number(row.seq),
    recordId: row.record_id,
    kid: row.kid,
    digest: row.digest,
    jws: row.jws,
    subjectRef: row.subject_ref,
    receivedAt: row.received_at,
    prevHash: row.prev_hash,
    entryHash: row.entry_hash,
    receipt: row.receipt,
  };
}

export function toEntry(stored: StoredEntry): LedgerEntry {
  const { seq, recordId, kid, digest, jws, subjectRef, receivedAt } = stored;
  return { seq, recordId, kid, digest, jws, subjectRef, receivedAt };
}
