// The signature checks of verify (verify-ledger.ts): what the ledger key signed (receipts,
// checkpoints), each record's strict form, and, with `--signatures`, each record's own signature and
// signer chain. Kept apart from the walk, which only decides when each check is due.
import { decodeJws, type PublicJwk, utf8Decode } from '@consentkit/core';
import { createKeyCache, hasStrictForm, verifyCompactWith, verifyRecordFast } from '../ingest/record-verifier.js';
import { receiptMatches } from './entry.js';
import type { Row } from './entry-text.js';

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export type SignatureChecks = {
  /** Verifies a JWS made by the ledger key; the payload, or the reason it fails. */
  ledgerSigned(jws: string): string | { reason: string };
  /** Why the entry's receipt does not hold, or undefined. */
  receiptFault(e: Row): string | undefined;
  /**
   * Why core's strict decoder refuses the stored record, or undefined. Every record the product
   * writes has the strict form, proven cheaply; anything else gets core's full verdict.
   */
  strictFault(e: Row): Promise<string | undefined>;
  /** Why the record's signature or its place in its signer's chain does not hold, or undefined. */
  recordFault(e: Row): Promise<string | undefined>;
  /**
   * Each signer's last digest, the `prev` its next record must name. The walk sets it past an
   * entry it reports as unverifiable, so the chain continues from the digest stored for it.
   */
  readonly signerHeads: Map<string, string>;
};

export function createSignatureChecks(keys: ReadonlyArray<PublicJwk & { kid: string }>): SignatureChecks {
  const jwks = new Map(keys.map((k) => [k.kid, k]));
  const keyCache = createKeyCache();

  function ledgerSigned(jws: string): string | { reason: string } {
    try {
      const decoded = decodeJws(jws);
      const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
      const jwk = kid === undefined ? undefined : jwks.get(kid);
      if (!jwk || kid === undefined) return { reason: 'no key is known for this JWS' };
      verifyCompactWith(decoded.header, decoded.signingInput, decoded.signature, keyCache.known(kid, jwk));
      return utf8Decode(decoded.payload);
    } catch (error) {
      return { reason: errorText(error) };
    }
  }

  function receiptFault(e: Row): string | undefined {
    if (e.receipt === undefined) return 'receipt: missing';
    const payload = ledgerSigned(e.receipt);
    if (typeof payload !== 'string') return `receipt: ${payload.reason}`;
    const entry = {
      recordId: e.record_id,
      digest: e.digest,
      seq: Number(e.seq),
      receivedAt: e.received_at,
      entryHash: e.entry_hash,
    };
    return receiptMatches(payload, entry) ? undefined : 'the receipt does not match the entry';
  }

  async function strictFault(e: Row): Promise<string | undefined> {
    if (hasStrictForm(e.jws)) return undefined;
    try {
      await verifyRecordFast(e.jws, keyCache);
      return undefined;
    } catch (error) {
      return errorText(error);
    }
  }

  const signerHeads = new Map<string, string>();
  async function recordFault(e: Row): Promise<string | undefined> {
    let verified: Awaited<ReturnType<typeof verifyRecordFast>>;
    try {
      verified = await verifyRecordFast(e.jws, keyCache);
    } catch (error) {
      return `record signature: ${errorText(error)}`;
    }
    if (verified.digest !== e.digest || verified.record.id !== e.record_id || verified.header.kid !== e.kid) {
      return 'the stored id, kid or digest does not match the signed record';
    }
    if (verified.record.prev !== (signerHeads.get(e.kid) ?? null)) return `signer chain of key ${e.kid} is broken`;
    signerHeads.set(e.kid, e.digest);
    return undefined;
  }

  return { ledgerSigned, receiptFault, strictFault, recordFault, signerHeads };
}
