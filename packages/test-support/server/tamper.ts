/**
 * Tampering that a tamper-evidence suite does to a ledger's database, as an insider with SQL
 * access would: a forged entry slipped in at `seq` with its hashes recomputed to fit the chain
 * (only its receipt, borrowed from the entry before, cannot be forged), or an entry rewritten
 * with the chain rehashed over it.
 */
import type { Policy } from '@consentkit/core';
import { type EntryRow, fromRow, hashEntry, toEntry } from '../../server/src/ledger/entry.js';
import type { Queryable } from '../../server/src/platform/store/store.js';
import { createTestSigner } from '../keys.js';
import { signedRecord } from './ledger.js';

export async function insertForgedEntry(q: Queryable, options: { seq: number; policy: Policy }): Promise<void> {
  const { seq } = options;
  const signer = await createTestSigner();
  const forged = await signedRecord({ signer, policy: options.policy, prev: null });
  // Make room: every entry from `seq` on moves one place up.
  await q.exec(`UPDATE ledger_entries SET seq = seq + 1000 WHERE seq >= ${seq}`);
  await q.exec(`UPDATE ledger_entries SET seq = seq - 999 WHERE seq >= ${seq + 1000}`);
  const [before] = await q.query<{ entry_hash: string; receipt: string }>(
    'SELECT entry_hash, receipt FROM ledger_entries WHERE seq = $1',
    [seq - 1],
  );
  const prevHash = before?.entry_hash ?? '';
  const entry = {
    seq,
    recordId: forged.record.id,
    kid: signer.kid,
    digest: forged.digest,
    jws: forged.jws,
    subjectRef: null,
    receivedAt: new Date().toISOString(),
    assurance: 'device',
    version: 2,
  } as const;
  await q.query(
    `INSERT INTO ledger_entries (seq, record_id, kid, digest, jws, subject_ref, received_at, prev_hash, entry_hash, receipt,
       assurance, entry_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'device', 2)`,
    [
      seq,
      entry.recordId,
      entry.kid,
      entry.digest,
      entry.jws,
      null,
      entry.receivedAt,
      prevHash,
      await hashEntry(prevHash, entry),
      before?.receipt ?? '',
    ],
  );
}

/**
 * Rewrites entry `seq` (its receipt time) and rehashes the chain from it to the head: every link
 * holds, while its leaf, its receipt and the checkpoints over it no longer do.
 */
export async function rewriteEntryRehashed(q: Queryable, seq: number): Promise<void> {
  await q.query("UPDATE ledger_entries SET received_at = '2020-01-01T00:00:00.000Z' WHERE seq = $1", [seq]);
  const rows = await q.query<EntryRow>('SELECT * FROM ledger_entries WHERE seq >= $1 ORDER BY seq', [seq]);
  let prevHash = (
    await q.query<{ entry_hash: string }>('SELECT entry_hash FROM ledger_entries WHERE seq = $1', [seq - 1])
  )[0]?.entry_hash as string;
  for (const row of rows) {
    const entryHash = await hashEntry(prevHash, toEntry(fromRow(row)));
    await q.query('UPDATE ledger_entries SET prev_hash = $1, entry_hash = $2 WHERE seq = $3', [
      prevHash,
      entryHash,
      row.seq,
    ]);
    prevHash = entryHash;
  }
  await q.query('UPDATE ledger_head SET entry_hash = $1 WHERE id = 1', [prevHash]);
}
