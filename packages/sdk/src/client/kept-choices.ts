/**
 * A choice made while the policy could not be loaded (a first visit with the ledger down and no
 * embedded or remembered policy). It cannot be signed yet: the record names the policy it was
 * made under. What the person was shown and did is kept durably in the outbox store instead, with
 * the record id its form already got, and becomes a signed record once the policy loads (R64).
 */
import { type Decision, effectivePurpose, findPurpose, type Policy } from '@consentkit/core';
import type { IdentifierOpening } from '../backend.js';
import type { CaptureDecision, CaptureOptions } from './client-types.js';
import type { PreparedSubject } from './subject.js';

/** The outbox-store meta key the kept choices live under. */
export const KEPT_KEY = 'kept-choices';

export type KeptChoice = Pick<CaptureOptions, 'method' | 'wording' | 'interaction' | 'context'> & {
  /** The record id, assigned at capture (UUIDv7 of `capturedAt`): the form already carries it. */
  id: string;
  /** When the person chose (ms since the epoch): the record's `issuedAt`. */
  capturedAt: number;
  /** As the controls reported them, with the basis each box had when it was shown. */
  decisions: CaptureDecision[];
  locale: string;
  /** The page URL at capture time, merged with the caller's. */
  collectionPoint: NonNullable<CaptureOptions['collectionPoint']>;
  /** The salted commitment and its opening (which the ledger needs), as a queued record holds them. */
  subject: PreparedSubject['subject'];
  opening?: IdentifierOpening;
  gpcKey: string;
};

export function isKeptList(value: unknown): value is KeptChoice[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && typeof v.id === 'string');
}

/**
 * The decisions under the policy's basis (the right basis once it is known). Meaning is kept,
 * never strengthened: a grant counts as express consent only if the box shown was an express box
 * the person ticked; a box shown as opt-out and left alone becomes "no consent" under an express
 * purpose, and an express box left unticked becomes an opt-out under an opt-out purpose.
 */
export function underPolicyBasis(
  decisions: readonly CaptureDecision[],
  policy: Policy,
  jurisdiction: string | undefined,
): CaptureDecision[] {
  return decisions.map((given) => {
    const purpose = findPurpose(policy, given.purpose);
    if (!purpose || given.basis === undefined) return given;
    const basis: Decision['basis'] = effectivePurpose(purpose, jurisdiction ?? policy.jurisdiction).basis;
    if (basis === given.basis) return given;
    return { ...given, basis, granted: basis === 'express' ? false : given.granted };
  });
}
