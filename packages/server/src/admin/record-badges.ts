import { GENESIS_HASH, type PublicJwk, utf8Decode, verifyJws, verifyRecord } from '@consentkit/core';
import { hashEntry, receiptMatches, type StoredEntry, toEntry } from '../ledger/entry.js';
import type { Queryable, SqlParam } from '../platform/store/store.js';

/**
 * The three checks the subject lookup shows beside each record, each on its own so a person can
 * see which one failed: the record's own signature, its place in the ledger's hash chain (its
 * hash, and its links to the entries before and after it), and the ledger's receipt for it.
 * The same checks verifyLedger makes over the whole ledger, made here for one person's entries.
 */
export type BadgeResult = { readonly ok: boolean; readonly detail: string };

export type RecordBadges = {
  readonly signature: BadgeResult;
  readonly chain: BadgeResult;
  readonly receipt: BadgeResult;
};

const ALGS = ['ES256', 'EdDSA'] as const;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function signatureBadge(e: StoredEntry): Promise<BadgeResult> {
  try {
    const verified = await verifyRecord(e.jws);
    if (verified.digest !== e.digest || verified.record.id !== e.recordId || verified.header.kid !== e.kid) {
      return { ok: false, detail: 'the stored id, key id or digest does not match the signed record' };
    }
    return { ok: true, detail: `signed by key ${e.kid}` };
  } catch (error) {
    return { ok: false, detail: `signature does not verify: ${message(error)}` };
  }
}

type Link = { seq: number; prev_hash: string; entry_hash: string };

function chainBadge(
  e: StoredEntry,
  hashOk: boolean,
  neighbours: Map<number, Link>,
  head: { seq: number; hash: string },
): BadgeResult {
  if (!hashOk) return { ok: false, detail: 'the entry hash does not match the entry (it was changed)' };
  const before = e.seq === 1 ? GENESIS_HASH : neighbours.get(e.seq - 1)?.entry_hash;
  if (before !== e.prevHash) {
    return { ok: false, detail: `not linked to entry ${e.seq - 1} (deleted, inserted or reordered)` };
  }
  const after = neighbours.get(e.seq + 1);
  const linkedAfter = after ? after.prev_hash === e.entryHash : head.seq === e.seq && head.hash === e.entryHash;
  if (!linkedAfter) return { ok: false, detail: `entry ${e.seq + 1} does not link back to this entry` };
  return { ok: true, detail: `entry ${e.seq}, linked both ways` };
}

async function receiptBadge(
  e: StoredEntry,
  keyOf: (kid: string | undefined) => PublicJwk | undefined,
): Promise<BadgeResult> {
  try {
    const receipt = await verifyJws(e.receipt, { key: async (h) => keyOf(h.kid), algorithms: [...ALGS] });
    if (!receiptMatches(utf8Decode(receipt.payload), e)) {
      return { ok: false, detail: 'the receipt is signed but does not match the entry' };
    }
    return { ok: true, detail: `signed by the ledger key ${receipt.header.kid ?? ''}`.trim() };
  } catch (error) {
    return { ok: false, detail: `receipt does not verify: ${message(error)}` };
  }
}

/** Badges for each entry (same order), reading only the entries' neighbours and the head. */
export async function badgesFor(
  q: Queryable,
  entries: readonly StoredEntry[],
  keys: ReadonlyArray<PublicJwk & { kid: string }>,
): Promise<RecordBadges[]> {
  if (entries.length === 0) return [];
  const wanted = [...new Set(entries.flatMap((e) => [e.seq - 1, e.seq + 1]))].filter((s) => s > 0);
  const params: SqlParam[] = wanted;
  const placeholders = wanted.map((_, i) => `$${i + 1}`).join(',');
  const rows =
    wanted.length === 0
      ? []
      : await q.query<Link>(
          `SELECT seq, prev_hash, entry_hash FROM ledger_entries WHERE seq IN (${placeholders})`,
          params,
        );
  const neighbours = new Map(rows.map((r) => [Number(r.seq), r]));
  const headRow = (
    await q.query<{ seq: number; entry_hash: string }>('SELECT seq, entry_hash FROM ledger_head WHERE id = 1')
  )[0];
  const head = { seq: Number(headRow?.seq ?? 0), hash: headRow?.entry_hash ?? '' };
  const keyMap = new Map(keys.map((k) => [k.kid, k]));
  const keyOf = (kid: string | undefined) => (kid === undefined ? undefined : keyMap.get(kid));
  return Promise.all(
    entries.map(async (e) => ({
      signature: await signatureBadge(e),
      chain: chainBadge(e, (await hashEntry(e.prevHash, toEntry(e))) === e.entryHash, neighbours, head),
      receipt: await receiptBadge(e, keyOf),
    })),
  );
}
