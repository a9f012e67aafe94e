import type { AssuredRecord, ConsentRecord } from '@consentkit/core';
import { type StoredBeside, withStoredAssurance } from '../ledger/records-of.js';

/**
 * A stored entry as core's rules read it, decoded the fast way: the bulk query reads only the
 * record JWS's payload (its middle part, split off in SQL), and Node's native base64url and
 * `JSON.parse` turn it into the record. This is a twin of the ledger's `assuredRecordOf`, whose
 * strict decoder (core's base64url and JWS checks, written for input from outside) was half of
 * the bulk query's time; stored records were verified on the way in and the chain proves them
 * unchanged, so strictness buys nothing here. stored-records.node.test.ts holds the twins to the
 * same answer over ≥ 10,000 generated records.
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
