import { type Assurance, type AssuredRecord, type ConsentRecord, decodeJws, utf8Decode } from '@consentkit/core';

/**
 * The record inside a stored JWS. Stored records were verified on the way in and the chain
 * proves they are unchanged, so reading them back needs no signature check.
 */
export function decodeRecord(jws: string): ConsentRecord {
  return JSON.parse(utf8Decode(decodeJws(jws).payload)) as ConsentRecord;
}

/**
 * The record inside a stored JWS, read leniently (Node's base64url, JSON.parse), for the one place
 * that must read entries the strict decoder refuses: `consentkit import` stages them (the chain
 * covers them) before `verifyLedger` names them unverifiable and the import refuses or keeps them.
 */
export function readStoredRecordLeniently(jws: string): ConsentRecord {
  try {
    return decodeRecord(jws);
  } catch {
    return JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as ConsentRecord;
  }
}

/**
 * A stored entry as core's rules read it: the record with the assurance stored beside it, and the
 * record it vouches for when it is a confirmation or attestation (only the ledger writes those:
 * ingest refuses records that carry `confirms` or `attests`).
 */
export function assuredRecordOf(entry: StoredBeside & { readonly jws: string }): AssuredRecord {
  return withStoredAssurance(decodeRecord(entry.jws), entry);
}

/** What the ledger stores beside a record's JWS. */
export type StoredBeside = { readonly assurance: Assurance | string; readonly version?: number };

/** A record already decoded, wrapped with what is stored beside it (for readers that decode their own way). */
export function withStoredAssurance(record: ConsentRecord, stored: StoredBeside): AssuredRecord {
  const assurance: Assurance =
    stored.assurance === 'inbox' || stored.assurance === 'site' ? stored.assurance : 'device';
  const vouched = record.confirms ?? record.attests;
  return {
    record,
    assurance,
    ...(stored.version === 1 ? { derived: true } : {}),
    ...(vouched === undefined ? {} : { vouches: { recordId: vouched } }),
  };
}
