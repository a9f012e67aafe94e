/**
 * Assurance: how much the ledger knows about who made a record (docs/decisions/0002). A signature
 * proves what was said; assurance says who could have said it.
 *
 * - `device`: a browser's key, nobody authenticated. Anyone can make one for anybody.
 * - `site`: the site's backend vouched with an API key (it posted the record, or attested it).
 * - `inbox`: the person acted through a link the ledger mailed them (the unsubscribe, preference
 *   or confirmation page), so they control the address.
 *
 * The server sets it when it stores an entry (never from what the record claims); core's rules
 * take it with each history item.
 */
import type { ConsentRecord } from './record.js';

export type Assurance = 'device' | 'site' | 'inbox';

export const ASSURANCE_LEVELS: readonly Assurance[] = ['device', 'site', 'inbox'];

/** What an express grant (and an opt-out purpose's re-grant) needs unless the policy says otherwise. */
export const DEFAULT_REQUIRED_ASSURANCE: Assurance = 'site';

const RANK: Record<Assurance, number> = { device: 0, site: 1, inbox: 2 };

/** Whether `level` is at least `required` (device < site < inbox). */
export function meetsAssurance(level: Assurance, required: Assurance): boolean {
  return RANK[level] >= RANK[required];
}

/** The higher of two levels. */
export function maxAssurance(a: Assurance, b: Assurance): Assurance {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * One entry of a person's history as the rules read it: the record, the assurance the ledger
 * stored with it, and, for a confirmation or attestation the ledger made, the record it vouches for.
 */
export type AssuredRecord = {
  readonly record: ConsentRecord;
  readonly assurance: Assurance;
  /** True when the level was derived for an entry stored before assurance existed. */
  readonly derived?: boolean;
  /** This entry confirms (`inbox`) or attests (`site`) an earlier record: that record counts at this level. */
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
