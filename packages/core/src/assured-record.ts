/**
 * A person's history as the rules read it: each record with the assurance the ledger stored for it
 * (`assurance.ts` says what the levels mean).
 */
import type { Assurance } from './assurance.js';
import type { ConsentRecord } from './record.js';

/**
 * One entry of a person's history as the rules read it: the record, the assurance the ledger
 * stored with it, and, for a confirmation or attestation the ledger made, the record it vouches for.
 */
export type AssuredRecord = {
  readonly record: ConsentRecord;
  readonly assurance: Assurance;
  /** True when the level was derived for an entry stored before assurance existed. */
  readonly derived?: boolean;
  /**
   * This entry confirms (`inbox`) or attests (`site`) an earlier record: that record's grants of
   * the purposes this entry's record restates count at this level.
   */
  readonly vouches?: { readonly recordId: string };
};

/** A bare record is what anybody can sign: `device` level. */
export type HistoryItem = ConsentRecord | AssuredRecord;

export function isAssuredRecord(item: HistoryItem): item is AssuredRecord {
  return 'record' in item && 'assurance' in item;
}

/** The history item as an assured record (a bare record at `device`). */
export function toAssuredRecord(item: HistoryItem): AssuredRecord {
  return isAssuredRecord(item) ? item : { record: item, assurance: 'device' };
}
