/**
 * A person's history as the rules read it: each record with the assurance the ledger stored for it
 * (`assurance.ts` says what the levels mean).
 */
import type { Assurance } from './assurance.js';
import type { ConsentRecord, Decision, RecordSubject } from './record.js';

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

/**
 * The parts of a record the rules (rules.ts) read, and nothing else: what a stored projection of a
 * person's history keeps (the server's subject histories), so reading it back skips the wording,
 * the collection point and the signature. A whole record is one too.
 */
export type RuleRecord = Pick<ConsentRecord, 'id' | 'issuedAt' | 'method' | 'interaction' | 'gpc' | 'context'> & {
  readonly subject: { readonly kind: RecordSubject['kind'] };
  readonly policy: { readonly id: string; readonly version: string };
  readonly decisions: readonly Omit<Decision, 'wording'>[];
};

/** A history item with only what the rules read of its record (`AssuredRecord` is one too). */
export type RuleItem = Omit<AssuredRecord, 'record'> & { readonly record: RuleRecord };

/** A history as the rules take it: whole records, assured records or their rule parts. */
export type RuleHistoryItem = HistoryItem | RuleItem;

export function isAssuredRecord(item: HistoryItem): item is AssuredRecord {
  return 'record' in item && 'assurance' in item;
}

/** The history item as an assured record (a bare record at `device`). */
export function toAssuredRecord(item: HistoryItem): AssuredRecord {
  return isAssuredRecord(item) ? item : { record: item, assurance: 'device' };
}

/** `toAssuredRecord` for the rules' wider input: a rule item stays as it is. */
export function toRuleItem(item: RuleHistoryItem): RuleItem {
  return 'record' in item && 'assurance' in item ? item : { record: item, assurance: 'device' };
}
