import type { CommitmentOpening } from '@consentkit/core';
import { createCryptoBox } from '../platform/crypto/crypto-box.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { subjectKeyId } from '../platform/crypto/subject-keys.js';
import type { Queryable } from '../platform/store/store.js';

type OpeningRow = {
  subject_ref: string;
  record_id: string;
  key_id: string;
  sealed: string;
  subject_key: string | null;
};

/**
 * The email address of each of `refs` that still has one: the first of its openings, unsealed
 * with the person's data key (or the ledger-wide opening key for older openings). An erased
 * person has neither key nor opening, and is simply absent from the answer.
 */
export async function emailsOf(q: Queryable, keyring: Keyring, refs: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (refs.length === 0) return found;
  const rows = await q.query<OpeningRow>(
    `SELECT DISTINCT ON (o.subject_ref) o.subject_ref, o.record_id, o.key_id, o.sealed, k.sealed AS subject_key
     FROM openings o LEFT JOIN subject_keys k ON k.subject_ref = o.subject_ref
     WHERE o.subject_ref = ANY(ARRAY(SELECT json_array_elements_text($1::json)))
     ORDER BY o.subject_ref, o.record_id`,
    [JSON.stringify(refs)],
  );
  const wrapping = keyring.openingBox.box;
  for (const row of rows) {
    let box = wrapping;
    if (row.key_id === subjectKeyId(row.subject_ref)) {
      if (row.subject_key === null) continue; // the data key is gone: shredded
      box = createCryptoBox({ key: await wrapping.open(row.subject_key, `subject-key:${row.subject_ref}`) });
    }
    const opening = JSON.parse(
      new TextDecoder().decode(await box.open(row.sealed, `opening:${row.record_id}`)),
    ) as CommitmentOpening;
    found.set(row.subject_ref, opening.identifier);
  }
  return found;
}
