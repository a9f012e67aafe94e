import { type Assurance, type AssuredRecord, type ConsentRecord, decodeJws, utf8Decode } from '@consentkit/core';

/**
 * The record inside a stored JWS. Stored records were verified on the way in and the chain
 * proves they are unchanged, so reading them back needs no signature check.
 */
export function decodeRecord(jws: string): ConsentRecord {
  return JSON.parse(utf8Decode(decodeJws(jws).payload)) as ConsentRecord;
}

/**
 * A stored entry as core's rules read it: the record with the assurance stored beside it, and the
 * record it vouches for when it is a confirmation or attestation (only the ledger writes those:
 * ingest refuses records that carry `confirms` or `attests`).
 */
export function assuredRecordOf(entry: {
  readonly jws: string;
  readonly assurance: Assurance | string;
  readonly version?: number;
}): AssuredRecord {
  const record = decodeRecord(entry.jws);
  const assurance: Assurance = entry.assurance === 'inbox' || entry.assurance === 'site' ? entry.assurance : 'device';
  const vouched = record.confirms ?? record.attests;
  return {
    record,
    assurance,
    ...(entry.version === 1 ? { derived: true } : {}),
    ...(vouched === undefined ? {} : { vouches: { recordId: vouched } }),
  };
}
