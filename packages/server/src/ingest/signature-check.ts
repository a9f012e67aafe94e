import { type ConsentRecord, isConsentError } from '@consentkit/core';
import { parseRecord } from '@consentkit/core/schema';
import { type KeyCache, verifyRecordFast } from './record-verifier.js';

/**
 * What ingest learns from a record's JWS alone (signature, then shape): the record, or why it is
 * refused. Plain data, because the verify pool's workers return it by message.
 */
export type SignatureCheck =
  | { readonly ok: true; readonly record: ConsentRecord; readonly kid: string; readonly digest: string }
  | { readonly ok: false; readonly code: 'invalid-signature' | 'invalid-record'; readonly reason: string };

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The signature and shape checks of one incoming record. The one implementation: ingest runs it in
 * place for small batches and the verify pool's workers run it for large ones (verify-pool.ts).
 */
export async function checkSignedRecord(jws: string, keys: KeyCache): Promise<SignatureCheck> {
  let verified: Awaited<ReturnType<typeof verifyRecordFast>>;
  try {
    verified = await verifyRecordFast(jws, keys);
  } catch (error) {
    const code = isConsentError(error) ? error.code : 'invalid-record';
    const signatureFault = code === 'invalid-signature' || code === 'invalid-key' || code === 'unsupported-algorithm';
    return { ok: false, code: signatureFault ? 'invalid-signature' : 'invalid-record', reason: reasonOf(error) };
  }
  try {
    return { ok: true, record: parseRecord(verified.record), kid: verified.header.kid, digest: verified.digest };
  } catch (error) {
    const issues = isConsentError(error) ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) : [];
    return { ok: false, code: 'invalid-record', reason: issues.length > 0 ? issues.join('; ') : reasonOf(error) };
  }
}
