/** The records a client keeps locally so `state()` survives a reload; older ones are in the ledger. */
import type { ConsentRecord } from '@consentkit/core';

export const HISTORY_LIMIT = 500;
/** The outbox meta key the history is stored under. */
export const HISTORY_KEY = 'history';

export function isRecordList(value: unknown): value is ConsentRecord[] {
  return Array.isArray(value);
}

/** `history` with `records` added (by id), oldest first, at most HISTORY_LIMIT. */
export function mergeHistory(history: readonly ConsentRecord[], records: readonly ConsentRecord[]): ConsentRecord[] {
  const known = new Map(history.map((r) => [r.id, r]));
  for (const record of records) known.set(record.id, record);
  // issuedAt then id: UUIDv7 ids sort by time, so ties still come out oldest first.
  return [...known.values()]
    .sort((a, b) => (a.issuedAt < b.issuedAt ? -1 : a.issuedAt > b.issuedAt ? 1 : a.id < b.id ? -1 : 1))
    .slice(-HISTORY_LIMIT);
}
