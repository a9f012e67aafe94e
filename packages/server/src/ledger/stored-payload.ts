import type { AssuredRecord, ConsentRecord } from '@consentkit/core';
import { type StoredBeside, withStoredAssurance } from './records-of.js';

/**
 * A stored entry as core's rules read it, decoded the fast way: Node's native base64url and
 * `JSON.parse` turn the record JWS's payload (its middle part) into the record. The subject
 * histories (subject-histories.ts) decode every appended entry with it inside the append's
 * transaction, where the ledger's strict `assuredRecordOf` (core's base64url and JWS checks,
 * written for input from outside) would cost ingest several times as much; the entry was verified
 * on the way in, so strictness buys nothing here. This is a twin of `assuredRecordOf`:
 * stored-payload.node.test.ts holds the two to the same answer over ≥ 10,000 generated records.
 */
export type StoredPayload = StoredBeside & {
  /** The JWS payload, base64url, as stored. */
  readonly payload: string;
};

export function assuredRecordOfPayload(entry: StoredPayload): AssuredRecord {
  return withStoredAssurance(
    JSON.parse(Buffer.from(entry.payload, 'base64url').toString('utf8')) as ConsentRecord,
    entry,
  );
}
