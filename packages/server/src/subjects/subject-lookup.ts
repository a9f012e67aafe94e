import { isUuid, normalizeIdentifier, uuidv7 } from '@consentkit/core';
import type { Queryable } from '../platform/store/store.js';

/** A person the ledger knows, by the opaque reference it issued (a UUID). Never an email. */
export type Subject = {
  readonly ref: string;
  readonly createdAt: string;
};

type SubjectRow = { ref: string; created_at: string };

export async function findSubject(q: Queryable, ref: string): Promise<Subject | undefined> {
  const rows = await q.query<SubjectRow>('SELECT ref, created_at FROM subjects WHERE ref = $1', [ref]);
  const row = rows[0];
  return row ? { ref: row.ref, createdAt: row.created_at } : undefined;
}

export async function findSubjectByIndex(q: Queryable, blindIndex: string): Promise<Subject | undefined> {
  const rows = await q.query<SubjectRow>('SELECT ref, created_at FROM subjects WHERE blind_index = $1', [blindIndex]);
  const row = rows[0];
  return row ? { ref: row.ref, createdAt: row.created_at } : undefined;
}

/** The subject for an identifier's blind index, created on first sight (call under the head lock). */
export async function findOrCreateSubject(q: Queryable, blindIndex: string): Promise<Subject> {
  const existing = await findSubjectByIndex(q, blindIndex);
  if (existing) return existing;
  const subject = { ref: uuidv7(), createdAt: new Date().toISOString() };
  await q.query('INSERT INTO subjects (ref, blind_index, created_at) VALUES ($1, $2, $3)', [
    subject.ref,
    blindIndex,
    subject.createdAt,
  ]);
  return subject;
}

export async function subjectOfCommitment(q: Queryable, commitment: string): Promise<string | undefined> {
  const rows = await q.query<{ subject_ref: string }>('SELECT subject_ref FROM commitments WHERE commitment = $1', [
    commitment,
  ]);
  return rows[0]?.subject_ref;
}

export async function linkCommitment(q: Queryable, commitment: string, subjectRef: string): Promise<void> {
  await q.query(
    'INSERT INTO commitments (commitment, subject_ref) VALUES ($1, $2) ON CONFLICT (commitment) DO NOTHING',
    [commitment, subjectRef],
  );
}

/** The blind index of an identifier: HMAC over `kind:normalised`, the same on ingest and lookup. */
export async function blindIndexOf(
  keyring: { blindIndex(text: string): Promise<string> },
  kind: 'email',
  identifier: string,
): Promise<string> {
  return keyring.blindIndex(`${kind}:${normalizeIdentifier(identifier, kind)}`);
}

/**
 * The person a caller names: an email address (looked up by its blind index; the address itself
 * is never stored) or the subject reference the ledger issued (a UUID, any case).
 */
export async function findSubjectByName(
  q: Queryable,
  keyring: { blindIndex(text: string): Promise<string> },
  name: string,
): Promise<Subject | undefined> {
  if (name.includes('@')) return findSubjectByIndex(q, await blindIndexOf(keyring, 'email', name));
  const ref = name.toLowerCase();
  return isUuid(ref) ? findSubject(q, ref) : undefined;
}
