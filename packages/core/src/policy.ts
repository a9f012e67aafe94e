/**
 * The policy document: who the controller is, what data is collected, which purposes exist and on
 * which basis. Types only (plus a few pure helpers): the zod schema lives in ./policy-schema.ts so
 * browser bundles that only read a policy do not carry zod.
 */
import type { Assurance } from './assurance.js';
import type { ConsentModeType } from './consent-mode-types.js';
import { ConsentError } from './errors.js';
import { isGdprJurisdiction } from './jurisdiction.js';

/** Text per BCP 47 locale (`{ en: '…', fr: '…' }`); `en` is always present. */
export type LocalizedText = Record<string, string>;

/** The policy's own consent vocabulary (PIPEDA-style), see docs/requirements.md §2.5. */
export type PurposeBasis = 'express' | 'implied' | 'opt-out';

/**
 * The legal ground the processing rests on, kept apart from the consent mode so that reports never
 * present an opt-out as consent (R37).
 */
export type LegalBasis =
  | 'consent' // GDPR 6(1)(a), PIPEDA / CASL express consent
  | 'implied-consent' // PIPEDA 4.3.6 implied consent (not consent under GDPR)
  | 'contract' // GDPR 6(1)(b): steps at the person's request before a contract
  | 'legitimate-interest' // GDPR 6(1)(f) + the Art. 21 right to object
  | 'soft-opt-in' // ePrivacy Art. 13(2) / PECR reg. 22(3) (R29)
  | 'casl-implied-ebr' // CASL s.10(10) existing business relationship, expires (R35)
  | 'legal-obligation'; // GDPR 6(1)(c)

/** Purposes that an opt-out preference signal (GPC, R48–R50) switches off. */
export type GpcCategory = 'sale' | 'sharing' | 'targeted-advertising';

export type RecipientKind = 'partner' | 'processor' | 'credit-agency' | 'affiliate' | 'authority';

export type Recipient = {
  id: string;
  name: string;
  /** A `processor` acts only on the controller's instructions; every other kind is a third party. */
  kind: RecipientKind;
  /** The contract lets the controller audit the recipient's privacy practices. */
  audited: boolean;
  description?: LocalizedText;
  /** ISO 3166-1 alpha-2 country the recipient processes in (transfer notices, R25). */
  country?: string;
};

/** One row of the notice table ("Type of information | What we collect | Who collects it | …"). */
export type DataCategory = {
  id: string;
  type: LocalizedText;
  collected: LocalizedText[];
  collectedBy: LocalizedText;
  purpose: LocalizedText;
  usedBy: LocalizedText;
  storedIn: LocalizedText;
  /** Recipient ids. */
  sharedWith: string[];
  sensitive: boolean;
  /** Kantara v1.1 piiCategory numbers (R5). */
  kantaraPiiCategories?: number[];
};

/** How a purpose differs in one jurisdiction (e.g. GDPR treats an opt-out box as no consent). */
export type JurisdictionOverride = {
  basis?: PurposeBasis;
  legalBasis?: LegalBasis;
  /** Why the override exists, for the privacy team and the notice. */
  note?: string;
};

export type Purpose = {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  /** The words beside the control, whose SHA-256 a record's `wording` carries. */
  label?: LocalizedText;
  basis: PurposeBasis;
  /** The legal basis in the policy's own jurisdiction. */
  legalBasis: LegalBasis;
  /** The primary purpose of the transaction: the only one implied consent can cover. */
  primary: boolean;
  sensitive: boolean;
  /** Recipient ids the data goes to for this purpose. */
  recipients: string[];
  /** DataCategory ids. */
  dataCategories: string[];
  /** How long data kept for this purpose lives: ISO 8601 duration (`P2Y`, `P6M`). */
  retention: string;
  /** The policy version that introduced this purpose; records of older versions never cover it. */
  since?: string;
  /** Marks sale / sharing / targeted advertising: GPC opts the person out of it. */
  gpc?: GpcCategory;
  /**
   * The assurance a grant needs to count: an express grant, and re-granting an opt-out purpose
   * after the person opted out or withdrew. Default `site` (the site's backend vouched, or the
   * person confirmed through a mailed link); `device` takes a browser's word alone.
   */
  assurance?: Assurance;
  consentMode?: ConsentModeType[];
  kantara?: { purposeCategory: number; piiCategories: number[] };
  /**
   * Keyed by ISO 3166 code (`DE`, `US-CA`), country (`US`) or `GDPR` (EU, EEA and UK). The most
   * specific key wins.
   */
  jurisdictions?: Record<string, JurisdictionOverride>;
};

export type Controller = {
  name: string;
  contact: { email: string; phone?: string; url?: string };
  address: { street: string; locality: string; region?: string; postalCode: string; country: string };
};

/** The explanations the notice shows; each is required so no notice can skip them (R19, R25). */
export type PolicyPractices = {
  express: LocalizedText;
  implied: LocalizedText;
  optOut: LocalizedText;
  withdrawal: LocalizedText;
  security: LocalizedText;
  destruction: LocalizedText;
  thirdParties: LocalizedText;
};

/** Machine-readable commitments; the widget and rules rely on them, not just the prose. */
export type PolicyPromises = {
  /** Declining optional information never blocks the service (R20): optional controls are never required. */
  neverRefuseService: boolean;
  /** A new purpose needs consent before use: consent never carries over to a purpose added later (R24). */
  consentBeforeNewPurpose: boolean;
  text: LocalizedText;
};

export type Policy = {
  id: string;
  version: string;
  url: string;
  /** RFC 3339 full-date. */
  effectiveDate: string;
  defaultLocale: string;
  locales: string[];
  controller: Controller;
  /** ISO 3166 code of the policy's home jurisdiction (`CA`). */
  jurisdiction: string;
  dataCategories: DataCategory[];
  recipients: Recipient[];
  purposes: Purpose[];
  /** How long consent records themselves are kept after the relationship ends (ISO 8601 duration). */
  recordRetention: string;
  practices: PolicyPractices;
  promises: PolicyPromises;
};

/** What a record points at: enough to find the exact policy text the person saw. */
export type PolicyRef = { id: string; version: string; digest: string };

export function findPurpose(policy: Policy, purposeId: string): Purpose | undefined {
  return policy.purposes.find((p) => p.id === purposeId);
}

/**
 * The error for a purpose id the policy does not have (a typo, a purpose from another policy, or
 * one a later version adds): names the ids it does have, so the fix is in the message.
 */
export function unknownPurposeError(policy: Policy, purposeId: string): ConsentError {
  return new ConsentError(
    'unknown-purpose',
    `purpose "${purposeId}" is not in policy ${policy.id}@${policy.version} (${policy.purposes.map((p) => p.id).join(', ')})`,
    { hint: 'Use one of those ids, or publish a policy version that adds the purpose.' },
  );
}

/**
 * Picks the text for `locale`: exact tag, then its language (`fr-CA` → `fr`), then the fallback
 * locale and its language, then English, then any text at all (a notice must never be blank).
 */
export function localize(text: LocalizedText, locale: string, fallbackLocale = 'en'): string {
  return localizeWithLocale(text, locale, fallbackLocale).text;
}

/**
 * `localize`, also saying which of the text's locales was picked: a record names the language
 * of the words shown, which is the policy's when it has no translation into the reader's (R17).
 */
export function localizeWithLocale(
  text: LocalizedText,
  locale: string,
  fallbackLocale = 'en',
): { text: string; locale: string } {
  const candidates = [locale, languageOf(locale), fallbackLocale, languageOf(fallbackLocale), 'en'];
  for (const candidate of candidates) {
    const key =
      text[candidate] !== undefined
        ? candidate
        : Object.keys(text).find((k) => k.toLowerCase() === candidate.toLowerCase());
    if (key !== undefined) return { text: text[key] as string, locale: key };
  }
  const [first] = Object.entries(text);
  return first ? { text: first[1], locale: first[0] } : { text: '', locale: fallbackLocale };
}

function languageOf(locale: string): string {
  return locale.split('-')[0] ?? locale;
}

/** A purpose's basis and legal basis as they apply in `jurisdiction`. */
export type EffectivePurpose = {
  basis: PurposeBasis;
  legalBasis: LegalBasis;
  /** The override key that applied, if any. */
  override?: string;
};

/**
 * Resolves the per-jurisdiction override: exact code (`US-CA`), then country (`US`), then `GDPR`
 * for EU/EEA/UK codes. Without a jurisdiction the policy's own values apply.
 */
export function effectivePurpose(purpose: Purpose, jurisdiction?: string): EffectivePurpose {
  const base: EffectivePurpose = { basis: purpose.basis, legalBasis: purpose.legalBasis };
  if (!jurisdiction || !purpose.jurisdictions) return base;
  const code = jurisdiction.toUpperCase();
  const keys = [code, code.split('-')[0] ?? code];
  if (isGdprJurisdiction(code)) keys.push('GDPR');
  for (const key of keys) {
    const override = purpose.jurisdictions[key];
    if (override) {
      return {
        basis: override.basis ?? base.basis,
        legalBasis: override.legalBasis ?? base.legalBasis,
        override: key,
      };
    }
  }
  return base;
}
