import { type ConsentRecord, decodeJws, utf8Decode } from '@consentkit/core';

/**
 * The record inside a stored JWS. Stored records were verified on the way in and the chain
 * proves they are unchanged, so reading them back needs no signature check.
 */
export function decodeRecord(jws: string): ConsentRecord {
  return JSON.parse(utf8Decode(decodeJws(jws).payload)) as ConsentRecord;
}
