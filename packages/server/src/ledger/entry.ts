import { createHash } from 'node:crypto';
import { type Assurance, canonicalize, entryHash, type JsonObject, type Signer, signJws } from '@consentkit/core';
import { z } from 'zod';

/**
 * What the chain hashes for each stored record. Every column that gives the entry meaning is in
 * here (including the subject link and the assurance), so a changed column breaks the chain; the
 * receipt is not, because it is made from the hash.
 *
 * Two entry versions (docs/ledger-entry.md): version 1 entries, stored before assurance existed,
 * hash the body without it, so their old hashes still verify; their assurance is derived on upgrade
 * (`derivedAssurance`) and flagged as derived. Version 2 entries hash `assurance` and `"v": 2` too.
 */
export type EntryVersion = 1 | 2;
export const CURRENT_ENTRY_VERSION: EntryVersion = 2;

export type LedgerEntry = {
  readonly seq: number;
  readonly recordId: string;
  readonly kid: string;
  readonly digest: string;
  readonly jws: string;
  readonly subjectRef: string | null;
  readonly receivedAt: string;
  /** How much the ledger knows about who made the record (core's `Assurance`). */
  readonly assurance: Assurance;
  /** 1: stored before assurance, which is derived and outside the hash; 2: assurance is hashed. */
  readonly version: EntryVersion;
};

/**
 * The assurance a version 1 entry gets on upgrade, from what the ledger knows: records its own
 * key signed were made on its hosted pages through a mailed link (`inbox`); anything else came
 * through ingest, where nobody was required to authenticate (`device`). The migration
 * 005-assurance.sql applies the same rule to stored rows.
 */
export function derivedAssurance(kid: string, ledgerKids: ReadonlySet<string>): Assurance {
  return ledgerKids.has(kid) ? 'inbox' : 'device';
}

/**
 * The JSON object whose RFC 8785 bytes the entry hash covers (after the 32 bytes of `prevHash`):
 * version 1 `{digest, jws, kid, prevHash, receivedAt, recordId, seq, subjectRef}`; version 2 adds
 * `assurance` and `v: 2`. This is also the exported chain entry without its `entryHash`.
 */
export function entryBody(prevHash: string, entry: LedgerEntry): JsonObject {
  const { seq, recordId, kid, digest, jws, subjectRef, receivedAt } = entry;
  const body: JsonObject = { seq, recordId, kid, digest, jws, subjectRef, receivedAt, prevHash };
  if (entry.version === 2) {
    body.assurance = entry.assurance;
    body.v = 2;
  }
  return body;
}

export type StoredEntry = LedgerEntry & {
  readonly prevHash: string;
  readonly entryHash: string;
  readonly receipt: string;
};

const text = z.string().min(1);

/** A chain entry as backups and personal exports carry it (core's ChainEntry), checked on the way in. */
export const chainEntryFields = z.strictObject({
  seq: z.number().int().positive(),
  recordId: text,
  kid: text,
  digest: text,
  jws: text,
  subjectRef: text.nullable(),
  receivedAt: text,
  prevHash: text,
  entryHash: text,
  assurance: z.enum(['device', 'site', 'inbox']).optional(),
  v: z.literal(2).optional(),
});

/** A version 2 entry names its assurance; a version 1 entry has neither member. */
export const entryVersionHolds = [
  (e: { v?: 2 | undefined; assurance?: string | undefined }) => (e.v === undefined) === (e.assurance === undefined),
  { message: 'a version 2 entry has both "v": 2 and "assurance"; a version 1 entry has neither' },
] as const;

export const chainEntrySchema = chainEntryFields.refine(...entryVersionHolds);

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
  return entryHash({ prevHash, entry: entryBody(prevHash, entry) });
}

/**
 * The bytes an entry's hash is computed over: the previous hash (32 raw bytes), then the RFC 8785
 * canonical JSON of the entry with `prevHash` (UTF-8). The same bytes are the entry's Merkle leaf
 * input (`leafInput`), so whatever the entry hash covers, the tree covers too.
 */
export function entryHashInput(prevHash: string, entry: LedgerEntry): Buffer {
  return Buffer.concat([Buffer.from(prevHash, 'hex'), Buffer.from(canonicalize(entryBody(prevHash, entry)), 'utf8')]);
}

/** `hashEntry` on node:crypto, synchronous: the same bytes (core's entryHash), no thread-pool hop. */
export function hashEntrySync(prevHash: string, entry: LedgerEntry): string {
  return createHash('sha256').update(entryHashInput(prevHash, entry)).digest('hex');
}

/**
 * An entry's Merkle leaf input (RFC 9162 §2.1.1, docs/transparency.md): exactly the bytes its
 * entry hash is computed over. The one definition: the ledger, the tree builder and exports use it.
 */
export function leafInput(entry: LedgerEntry & { readonly prevHash: string }): Buffer {
  return entryHashInput(entry.prevHash, toEntry(entry));
}

/** The entry as core's chain verifier reads it. */
/** An entry as backups and personal exports carry it: its hashed body plus `entryHash`. */
export type ExportedEntry = Omit<LedgerEntry, 'assurance' | 'version'> & {
  readonly prevHash: string;
  readonly entryHash: string;
  /** Version 2 only (version 1 entries are exported exactly as they were hashed). */
  readonly assurance?: Assurance;
  readonly v?: 2;
};

/** The entry an exported one describes (its `assurance` only matters to the hash in version 2). */
export function fromExported(e: ExportedEntry): LedgerEntry {
  const { seq, recordId, kid, digest, jws, subjectRef, receivedAt } = e;
  const version: EntryVersion = e.v === 2 ? 2 : 1;
  return { seq, recordId, kid, digest, jws, subjectRef, receivedAt, assurance: e.assurance ?? 'device', version };
}

export function toChainEntry(stored: StoredEntry): ExportedEntry {
  const { seq, recordId, kid, digest, jws, subjectRef, receivedAt, prevHash, entryHash: hash } = stored;
  const base = { seq, recordId, kid, digest, jws, subjectRef, receivedAt, prevHash, entryHash: hash };
  return stored.version === 2 ? { ...base, assurance: stored.assurance, v: 2 } : base;
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
  assurance: string;
  entry_version: number;
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
    assurance: row.assurance as Assurance,
    version: Number(row.entry_version) === 2 ? 2 : 1,
    prevHash: row.prev_hash,
    entryHash: row.entry_hash,
    receipt: row.receipt,
  };
}

export function toEntry(stored: LedgerEntry): LedgerEntry {
  const { seq, recordId, kid, digest, jws, subjectRef, receivedAt, assurance, version } = stored;
  return { seq, recordId, kid, digest, jws, subjectRef, receivedAt, assurance, version };
}
