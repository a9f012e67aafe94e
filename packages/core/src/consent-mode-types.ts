/**
 * Google Consent Mode v2's vocabulary, apart from the policy's types: only the record path and
 * policy validation read the list at run time, so the drop-in's entry does not carry it.
 */

/** Every Google Consent Mode v2 type (R51): the ones a purpose may map to, in gtag's order. */
export const CONSENT_MODE_TYPES = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
] as const;

/** A Google Consent Mode v2 type (R51) a purpose maps to. */
export type ConsentModeType = (typeof CONSENT_MODE_TYPES)[number];
