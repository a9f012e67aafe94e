/**
 * The W3C Data Privacy Vocabulary terms our exports use (R12, R13): consent statuses, which of them
 * allow processing, and the DPV legal basis of a decision.
 */
import type { LegalBasis, PurposeBasis } from '../policy.js';

/** DPV 2.x namespace; values below are CURIEs in it (`dpv:ConsentGiven`). */
export const DPV_NAMESPACE = 'https://w3id.org/dpv#';

/** R12: the statuses DPV defines for consent. */
export type DpvConsentStatus =
  | 'ConsentGiven'
  | 'RenewedConsentGiven'
  | 'ConsentRequested'
  | 'ConsentRequestDeferred'
  | 'ConsentRefused'
  | 'ConsentWithdrawn'
  | 'ConsentRevoked'
  | 'ConsentExpired'
  | 'ConsentInvalidated'
  | 'ConsentUnknown';

/** R12 `ConsentStatusValidForProcessing`: the only two statuses that allow processing. */
export const DPV_VALID_STATUSES = [
  'ConsentGiven',
  'RenewedConsentGiven',
] as const satisfies readonly DpvConsentStatus[];

/** R12 `ConsentStatusInvalidForProcessing`. */
export const DPV_INVALID_STATUSES = [
  'ConsentRequested',
  'ConsentRequestDeferred',
  'ConsentRefused',
  'ConsentWithdrawn',
  'ConsentRevoked',
  'ConsentExpired',
  'ConsentInvalidated',
  'ConsentUnknown',
] as const satisfies readonly DpvConsentStatus[];

/** True only for ConsentGiven / RenewedConsentGiven (with or without the `dpv:` prefix); anything else denies. */
export function isValidForProcessing(status: string): boolean {
  const name = status.startsWith('dpv:') ? status.slice(4) : status;
  return (DPV_VALID_STATUSES as readonly string[]).includes(name);
}

/** R13 consent types and the DPV legal bases our LegalBasis maps to. */
export type DpvLegalBasis =
  | 'dpv:ExpressedConsent'
  | 'dpv:ExplicitlyExpressedConsent'
  | 'dpv:ImpliedConsent'
  | 'dpv:Contract'
  | 'dpv:LegitimateInterest'
  | 'dpv:LegalObligation';

export type DpvLegalBasisInput = {
  basis: PurposeBasis;
  legalBasis: LegalBasis;
  /** The control's action conveys the consent decision and nothing else (a standalone consent checkbox). */
  consentOnly?: boolean;
};

/**
 * Maps a decision to its DPV legal basis (R13, §2.5, A9). Only an express decision resting on
 * consent is `ExpressedConsent`; an opt-out or implied choice is at most `ImpliedConsent`, so a
 * report can never present an opt-out as expressed consent (R37). Non-consent bases map to
 * themselves; soft opt-in is the ePrivacy exception whose GDPR ground is legitimate interest
 * (Rec. 47) **[verify]**.
 */
export function dpvLegalBasis(input: DpvLegalBasisInput): DpvLegalBasis {
  switch (input.legalBasis) {
    case 'contract':
      return 'dpv:Contract';
    case 'legitimate-interest':
    case 'soft-opt-in':
      return 'dpv:LegitimateInterest';
    case 'legal-obligation':
      return 'dpv:LegalObligation';
    case 'consent':
    case 'implied-consent':
    case 'casl-implied-ebr':
      if (input.basis !== 'express' || input.legalBasis !== 'consent') return 'dpv:ImpliedConsent';
      return input.consentOnly ? 'dpv:ExplicitlyExpressedConsent' : 'dpv:ExpressedConsent';
  }
}
