/**
 * Tampering that a tamper-evidence suite does to a ledger's database, as an insider with SQL
 * access would: here, a forged entry slipped in at `seq` with its hashes recomputed to fit the
 * chain (only its receipt, borrowed from the entry before, cannot be forged).
 */
import type { Policy } from '@consentkit/core';
import { hashEntry } from '../../server/src/ledger/entry.js';
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
