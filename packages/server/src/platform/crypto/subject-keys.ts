import type { Queryable } from '../store/store.js';
import { type CryptoBox, createCryptoBox } from './crypto-box.js';

/**
 * Per-subject data keys (crypto-shredding). Each person's openings are sealed with a key of their
 * own; that key is stored sealed by the ledger's opening key (itself sealed under the master key).
 * Erasure deletes the row: every opening sealed with it becomes unreadable, wherever a copy of the
 * ciphertext survives (a backup, a WAL segment).
 */
export type SubjectKey = { readonly keyId: string; readonly box: CryptoBox };

/** What `openings.key_id` holds for a per-subject key (ledger-wide keys use their kid). */
export const subjectKeyId = (subjectRef: string) => `subject:${subjectRef}`;

const aad = (subjectRef: string) => `subject-key:${subjectRef}`;

/** The subject's data key, created on first use (call under the head lock, like the subject itself). */
export async function subjectKeyFor(q: Queryable, wrapping: CryptoBox, subjectRef: string): Promise<SubjectKey> {
  const rows = await q.query<{ sealed: string }>('SELECT sealed FROM subject_keys WHERE subject_ref = $1', [
    subjectRef,
  ]);
  let raw: Uint8Array;
  if (rows[0]) {
    raw = await wrapping.open(rows[0].sealed, aad(subjectRef));
  } else {
    raw = crypto.getRandomValues(new Uint8Array(32));
    await q.query('INSERT INTO subject_keys (subject_ref, sealed, created_at) VALUES ($1, $2, $3)', [
      subjectRef,
      await wrapping.seal(raw, aad(subjectRef)),
      new Date().toISOString(),
    ]);
  }
  return { keyId: subjectKeyId(subjectRef), box: createCryptoBox({ key: raw }) };
}
