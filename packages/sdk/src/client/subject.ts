/** Who a record is about: the client's base subject, or a commitment to an identifier the person typed. */
import { createCommitment, normalizeIdentifier, type RecordSubject, sha256Hex } from '@consentkit/core';
import type { IdentifierOpening } from '../backend.js';
import type { IdentifierInput } from './client-types.js';

export type PreparedSubject = {
  subject: RecordSubject;
  opening?: IdentifierOpening;
  /** Names this person for the once-per-subject GPC marker; stable across captures. */
  gpcKey: string;
};

export function subjectKey(subject: RecordSubject): string {
  if (subject.kind === 'commitment') return `commitment:${subject.commitment}`;
  if (subject.kind === 'ref') return `ref:${subject.ref}`;
  return 'device';
}

export async function prepareSubject(
  identifier: IdentifierInput | undefined,
  baseSubject: RecordSubject,
): Promise<PreparedSubject> {
  if (identifier === undefined) return { subject: baseSubject, gpcKey: subjectKey(baseSubject) };
  const value = typeof identifier === 'string' ? identifier : identifier.value;
  const kind = typeof identifier === 'string' ? 'email' : (identifier.kind ?? 'email');
  const { commitment, opening } = await createCommitment({ identifier: value, kind });
  // The GPC marker must not depend on the salt, or every capture would look like a new person.
  const gpcKey = `identifier:${await sha256Hex(`consentkit-gpc:${normalizeIdentifier(value, kind)}`)}`;
  return { subject: { kind: 'commitment', commitment }, opening, gpcKey };
}
