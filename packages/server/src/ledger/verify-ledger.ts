import { canonicalize, GENESIS_HASH, type PublicJwk, utf8Decode, verifyJws, verifyRecord } from '@consentkit/core';
import type { Queryable } from '../store/store.js';
import { type CheckpointClaims, hashEntry, type ReceiptClaims, type StoredEntry, toEntry } from './entry.js';
import type { Ledger } from './ledger.js';

/**
 * Walks the whole ledger and names the first entry that does not hold up: the hash chain (a
 * changed, deleted, inserted or reordered row), each record's signature and signer chain, each
 * receipt, and the signed checkpoints and head (a dropped tail, R72).
 */
export type LedgerFault = { readonly seq: number; readonly recordId?: string; readonly reason: string };
export type LedgerVerification =
  | { readonly ok: true; readonly count: number; readonly checkpoints: number; readonly headSeq: number }
  | ({ readonly ok: false; readonly count: number } & LedgerFault);

export type VerifyLedgerOptions = {
  readonly store: Queryable;
  readonly ledger: Ledger;
  /** The ledger's public keys (JWKS), for receipts and checkpoints. */
  readonly keys: ReadonlyArray<PublicJwk & { kid: string }>;
  readonly pageSize?: number;
};

const ALGS = ['ES256', 'EdDSA'] as const;

async function checkEntry(
  e: StoredEntry,
  expect: { seq: number; prevHash: string },
  signerHeads: Map<string, string>,
  keyOf: (kid: string | undefined) => PublicJwk | undefined,
): Promise<string | undefined> {
  if (e.seq !== expect.seq)
    return `expected entry ${expect.seq} here, found ${e.seq} (an entry is missing or was inserted)`;
  if (e.prevHash !== expect.prevHash)
    return 'prevHash does not match the previous entry (deleted, inserted or reordered)';
  if ((await hashEntry(e.prevHash, toEntry(e))) !== e.entryHash) return 'entryHash does not match the entry (changed)';
  let verified: Awaited<ReturnType<typeof verifyRecord>>;
  try {
    verified = await verifyRecord(e.jws);
  } catch (error) {
    return `record signature: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (verified.digest !== e.digest || verified.record.id !== e.recordId || verified.header.kid !== e.kid) {
    return 'the stored id, kid or digest does not match the signed record';
  }
  if (verified.record.prev !== (signerHeads.get(e.kid) ?? null)) return `signer chain of key ${e.kid} is broken`;
  signerHeads.set(e.kid, e.digest);
  try {
    const receipt = await verifyJws(e.receipt, { key: async (h) => keyOf(h.kid), algorithms: [...ALGS] });
    const claims: ReceiptClaims = {
      recordId: e.recordId,
      digest: e.digest,
      seq: e.seq,
      receivedAt: e.receivedAt,
      entryHash: e.entryHash,
    };
    if (utf8Decode(receipt.payload) !== canonicalize({ ...claims })) return 'the receipt does not match the entry';
  } catch (error) {
    return `receipt: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

export async function verifyLedger(options: VerifyLedgerOptions): Promise<LedgerVerification> {
  const { store, ledger } = options;
  const pageSize = options.pageSize ?? 500;
  const keys = new Map(options.keys.map((k) => [k.kid, k]));
  const keyOf = (kid: string | undefined) => (kid === undefined ? undefined : keys.get(kid));
  const hashes = new Map<number, string>();
  const signerHeads = new Map<string, string>();
  let expect = { seq: 1, prevHash: GENESIS_HASH };
  let count = 0;
  for (let after = 0; ; ) {
    const page = await ledger.page(store, after, pageSize);
    if (page.length === 0) break;
    for (const e of page) {
      const reason = await checkEntry(e, expect, signerHeads, keyOf);
      if (reason) return { ok: false, count, seq: expect.seq, recordId: e.recordId, reason };
      hashes.set(e.seq, e.entryHash);
      expect = { seq: e.seq + 1, prevHash: e.entryHash };
      count++;
      after = e.seq;
    }
  }
  const lastSeq = expect.seq - 1;

  const checkpoints = await store.query<{ seq: number; entry_hash: string; jws: string }>(
    'SELECT seq, entry_hash, jws FROM checkpoints ORDER BY seq',
  );
  for (const cp of checkpoints) {
    const seq = Number(cp.seq);
    try {
      const verified = await verifyJws(cp.jws, { key: async (h) => keyOf(h.kid), algorithms: [...ALGS] });
      const claims = JSON.parse(utf8Decode(verified.payload)) as CheckpointClaims;
      if (claims.seq !== seq || claims.entryHash !== cp.entry_hash) throw new Error('does not match its row');
    } catch (error) {
      return {
        ok: false,
        count,
        seq,
        reason: `checkpoint ${seq}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (seq > lastSeq)
      return {
        ok: false,
        count,
        seq,
        reason: `checkpoint ${seq} is past the last entry ${lastSeq} (the tail was dropped)`,
      };
    if (hashes.get(seq) !== cp.entry_hash)
      return { ok: false, count, seq, reason: `entry ${seq} differs from its signed checkpoint` };
  }
  const head = (
    await store.query<{ seq: number; entry_hash: string }>('SELECT seq, entry_hash FROM ledger_head WHERE id = 1')
  )[0];
  const headSeq = Number(head?.seq ?? 0);
  if (headSeq !== lastSeq || (lastSeq > 0 && head?.entry_hash !== hashes.get(lastSeq))) {
    return {
      ok: false,
      count,
      seq: Math.min(headSeq, lastSeq + 1),
      reason: `the head (${headSeq}) does not match the last entry (${lastSeq})`,
    };
  }
  return { ok: true, count, checkpoints: checkpoints.length, headSeq };
}
