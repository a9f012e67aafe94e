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
 * take it with each history item (`assured-record.ts`). This file imports nothing, so the policy
 * and the record can both name a level without an import cycle.
 */
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
