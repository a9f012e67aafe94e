/**
 * Kantara Initiative Consent Receipt v1.1 (R1–R7) as an export projection of a ConsentRecord. The
 * record stays the proof (signed, chained); this JSON is what a person or a partner tool that speaks
 * Kantara can read. Validation: kantara-validate.ts; signing: kantara-sign.ts.
 */
import { ConsentError } from '../errors.js';
import {
  effectivePurpose,
  findPurpose,
  type LegalBasis,
  localize,
  type Policy,
  type Purpose,
  type PurposeBasis,
} from '../policy.js';
import { findRecipient, isSensitivePurpose } from '../purpose-traits.js';
import type { ConsentRecord, RecordMethod, RecordSubject } from '../record.js';

export const KANTARA_VERSION = 'KI-CR-v1.1.0';

/** R4. Labels are informative only: parsers key on the number (the Kantara example itself differs). */
export const KANTARA_PURPOSE_CATEGORIES: Readonly<Record<number, string>> = {
  1: 'Core Function',
  2: 'Contracted Service',
  3: 'Delivery',
  4: 'Contact Requested',
  5: 'Personalized Experience',
  6: 'Marketing',
  7: 'Marketing Third Parties',
  8: 'Sharing for Delivery',
  9: 'Sharing for Marketing',
  10: '3rd Party Sharing for Core Function',
  11: '3rd Party Sharing for Others',
  12: 'Legally Required Data Retention',
  13: 'Required by Law Enforcement or Government',
  14: 'Protecting Your Health',
  15: 'Protecting Our Interests',
  16: 'Improve Performance',
};

/** R5, the list of the independent Go implementation (the Kantara example spells 4 differently). */
export const KANTARA_PII_CATEGORIES: Readonly<Record<number, string>> = {
  1: 'Biographical',
  2: 'Contact',
  3: 'Biometric',
  4: 'Social Contact',
  5: 'Network/Service',
  6: 'Health',
  7: 'Financial',
  8: 'Official ID',
  9: 'Social Benefit Data',
  10: 'Judicial Data',
  11: 'Asset Data',
  12: 'HR Data',
  13: 'Mental Health',
  14: 'Membership',
  15: 'Behavioral',
  16: 'Profiling',
};

/** R6 [profile]: our three consent modes; other producers may write any string (e.g. `"N/A"`). */
export type KantaraConsentType = 'EXPLICIT' | 'IMPLIED' | 'OPT-OUT';

export const KANTARA_CONSENT_TYPES = {
  express: 'EXPLICIT',
  implied: 'IMPLIED',
  'opt-out': 'OPT-OUT',
} as const satisfies Record<PurposeBasis, KantaraConsentType>;

/** Our per-purpose extension (R6, R37): the legal basis beside the consent type, never folded into it. */
export type KantaraPurposeExtension = {
  purposeId: string;
  basis: PurposeBasis;
  legalBasis: LegalBasis;
};

export type KantaraPurpose = {
  purpose?: string;
  purposeCategory: string[];
  consentType: string;
  piiCategory: string[];
  primaryPurpose?: boolean;
  termination: string;
  thirdPartyDisclosure: boolean;
  thirdPartyName?: string;
  consentkit?: KantaraPurposeExtension;
};

export type KantaraService = { service: string; purposes: KantaraPurpose[] };

/** R2. `address` is schema.org PostalAddress-shaped, as in the Kantara example. */
export type KantaraPiiController = {
  piiController: string;
  onBehalf?: boolean;
  contact: string;
  address: Record<string, string>;
  email: string;
  phone: string;
  piiControllerUrl?: string;
};

/** Our top-level extension: what ties the receipt back to the signed record and the ledger entry. */
export type KantaraReceiptExtension = {
  recordId: string;
  issuedAt: string;
  policy: { id: string; version: string; digest: string };
  method: RecordMethod;
  /** Purposes this record refused, withdrew or opted out of: listed apart so no reader takes them for consent. */
  declined: string[];
  receivedAt?: string;
  ledgerKid?: string;
  seq?: number;
  recordDigest?: string;
};

export type KantaraReceipt = {
  version: string;
  jurisdiction: string;
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  publicKey?: string;
  language?: string;
  piiPrincipalId: string;
  piiControllers: KantaraPiiController[];
  policyUrl: string;
  services: KantaraService[];
  sensitive: boolean;
  spiCat: string[];
  consentkit?: KantaraReceiptExtension;
};

/** What the ledger adds to a record (its receipt claims), carried in the extension. */
export type LedgerReceiptInfo = {
  receivedAt: string;
  /** The ledger key that signed the receipt (its JWKS kid). */
  kid: string;
  seq?: number;
  digest?: string;
};

export type KantaraReceiptInput = {
  record: ConsentRecord;
  /** The exact policy version the record points at. */
  policy: Policy;
  ledger?: LedgerReceiptInfo;
  /** Overrides the principal id derived from the record subject (needed for `device` subjects). */
  piiPrincipalId?: string;
  /** The Kantara `service` name; defaults to the controller's name. */
  service?: string;
  /** Defaults to the record id, so exporting the same record twice gives the same receipt. */
  receiptId?: string;
};

/**
 * The subject as a principal id. Records never carry a personal identifier in the clear, and
 * neither do receipts: a commitment or an opaque ledger reference stands in for the person.
 */
export function principalIdOf(subject: RecordSubject, override?: string): string {
  if (override !== undefined) return override;
  if (subject.kind === 'commitment') return `commitment:${subject.commitment}`;
  if (subject.kind === 'ref') return `ref:${subject.ref}`;
  throw new ConsentError('invalid-options', 'a device-subject record has no principal id of its own', {
    hint: 'Pass piiPrincipalId (e.g. "device:" + the signing key\'s kid from the record JWS header).',
  });
}

const METHOD_TEXT: Record<RecordMethod, string> = {
  checkbox: 'Web form checkbox',
  'form-submit': 'Web form submission',
  'one-click-email': 'One-click unsubscribe link in an email (RFC 8058)',
  'preference-page': 'Hosted preference page',
  'email-provider': 'Unsubscribe or spam complaint reported by the email provider',
  gpc: 'Global Privacy Control signal',
  api: 'Recorded through the API (written or verbal consent attested by staff)',
  'email-confirmation': 'Confirmed through a link emailed to the person',
};

export function formatKantaraCategory(number: number, kind: 'purpose' | 'pii'): string {
  const labels = kind === 'purpose' ? KANTARA_PURPOSE_CATEGORIES : KANTARA_PII_CATEGORIES;
  const label = labels[number];
  if (label === undefined) {
    throw new ConsentError('invalid-policy', `Kantara ${kind} category ${number} does not exist`, {
      hint: `Use a number from 1 to 16 (docs/requirements.md ${kind === 'purpose' ? 'R4' : 'R5'}).`,
    });
  }
  return `${number} - ${label}`;
}

function collectionMethodOf(record: ConsentRecord): string {
  const point = record.collectionPoint;
  const where = [point.url, point.form && `form "${point.form}"`, point.flow && `flow "${point.flow}"`].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return where.length > 0 ? `${METHOD_TEXT[record.method]} (${where.join(', ')})` : METHOD_TEXT[record.method];
}

function piiNumbersOf(policy: Policy, purpose: Purpose): number[] {
  if (purpose.kantara) return purpose.kantara.piiCategories;
  const numbers = purpose.dataCategories.flatMap(
    (id) => policy.dataCategories.find((c) => c.id === id)?.kantaraPiiCategories ?? [],
  );
  return [...new Set(numbers)];
}

/** Sensitive PII categories (R1 `spiCat`): those of sensitive data categories, or all of a sensitive purpose. */
function sensitiveNumbersOf(policy: Policy, purpose: Purpose): number[] {
  const numbers = purpose.dataCategories.flatMap((id) => {
    const category = policy.dataCategories.find((c) => c.id === id);
    return category?.sensitive ? (category.kantaraPiiCategories ?? []) : [];
  });
  if (purpose.sensitive) numbers.push(...piiNumbersOf(policy, purpose));
  return numbers;
}

/**
 * Projects a record to a Kantara v1.1 receipt. Only the purposes the record grants (for opt-out
 * purposes: left standing) are listed under `services`; Kantara has no field for a refusal, so
 * refusals, withdrawals and opt-outs go to `consentkit.declined` instead of looking like consent.
 */
export function toKantaraReceipt(input: KantaraReceiptInput): KantaraReceipt {
  const { record, policy } = input;
  if (record.policy.id !== policy.id || record.policy.version !== policy.version) {
    throw new ConsentError(
      'policy-mismatch',
      `record ${record.id} points at policy ${record.policy.id}@${record.policy.version}, not ${policy.id}@${policy.version}`,
      { hint: 'Project each record with the policy version it was made under.' },
    );
  }
  const jurisdiction = record.jurisdiction ?? policy.jurisdiction;
  const purposes: KantaraPurpose[] = [];
  const declined: string[] = [];
  const spi = new Set<number>();
  let sensitive = false;

  for (const decision of record.decisions) {
    const purpose = findPurpose(policy, decision.purpose);
    if (!purpose) {
      throw new ConsentError(
        'invalid-record',
        `purpose "${decision.purpose}" is not in policy ${policy.id}@${policy.version}`,
      );
    }
    if (!decision.granted) {
      declined.push(decision.purpose);
      continue;
    }
    if (!purpose.kantara) {
      throw new ConsentError('invalid-policy', `purpose "${purpose.id}" has no Kantara categories`, {
        hint: 'Add kantara: { purposeCategory, piiCategories } to the purpose (docs/requirements.md R4, R5).',
      });
    }
    const legalBasis = decision.legalBasis ?? effectivePurpose(purpose, jurisdiction).legalBasis;
    const thirdParties = purpose.recipients
      .map((id) => ({ id, recipient: findRecipient(policy, id) }))
      // Processors act on our instructions and are not third parties; an unknown id is treated as one.
      .filter((r) => r.recipient?.kind !== 'processor')
      .map((r) => r.recipient?.name ?? r.id);
    const entry: KantaraPurpose = {
      purpose: localize(purpose.description, record.locale, policy.defaultLocale),
      purposeCategory: [formatKantaraCategory(purpose.kantara.purposeCategory, 'purpose')],
      consentType: KANTARA_CONSENT_TYPES[decision.basis],
      piiCategory: piiNumbersOf(policy, purpose).map((n) => formatKantaraCategory(n, 'pii')),
      primaryPurpose: purpose.primary,
      termination: `On withdrawal or opt-out; data for this purpose is kept at most ${purpose.retention} (ISO 8601 duration)`,
      thirdPartyDisclosure: thirdParties.length > 0,
      consentkit: { purposeId: purpose.id, basis: decision.basis, legalBasis },
    };
    // R3: the name is required exactly when disclosure is true.
    if (thirdParties.length > 0) entry.thirdPartyName = thirdParties.join(', ');
    purposes.push(entry);
    for (const n of sensitiveNumbersOf(policy, purpose)) spi.add(n);
    if (isSensitivePurpose(policy, purpose)) sensitive = true;
  }

  const controller = policy.controller;
  const address: Record<string, string> = {
    streetAddress: controller.address.street,
    addressLocality: controller.address.locality,
    postalCode: controller.address.postalCode,
    addressCountry: controller.address.country,
  };
  if (controller.address.region !== undefined) address.addressRegion = controller.address.region;
  const piiController: KantaraPiiController = {
    piiController: controller.name,
    contact: `${controller.name} privacy office`,
    address,
    email: controller.contact.email,
    // Kantara requires the key; an empty string says "none published" without inventing a number.
    phone: controller.contact.phone ?? '',
  };
  if (controller.contact.url !== undefined) piiController.piiControllerUrl = controller.contact.url;

  const extension: KantaraReceiptExtension = {
    recordId: record.id,
    issuedAt: record.issuedAt,
    policy: { ...record.policy },
    method: record.method,
    declined,
  };
  if (input.ledger) {
    extension.receivedAt = input.ledger.receivedAt;
    extension.ledgerKid = input.ledger.kid;
    if (input.ledger.seq !== undefined) extension.seq = input.ledger.seq;
    if (input.ledger.digest !== undefined) extension.recordDigest = input.ledger.digest;
  }

  return {
    version: KANTARA_VERSION,
    jurisdiction,
    // R1/A2: Unix seconds of the person's act (the record's issuedAt); the ledger's time is in the extension.
    consentTimestamp: toUnixSeconds(record.issuedAt),
    collectionMethod: collectionMethodOf(record),
    consentReceiptID: input.receiptId ?? record.id,
    language: record.locale,
    piiPrincipalId: principalIdOf(record.subject, input.piiPrincipalId),
    piiControllers: [piiController],
    policyUrl: policy.url,
    services: [{ service: input.service ?? controller.name, purposes }],
    sensitive,
    spiCat: [...spi].sort((a, b) => a - b).map((n) => formatKantaraCategory(n, 'pii')),
    consentkit: extension,
  };
}

/** RFC 3339 → whole Unix seconds (floor), the unit Kantara's example and schema use. */
export function toUnixSeconds(time: string | Date): number {
  const ms = typeof time === 'string' ? Date.parse(time) : time.getTime();
  if (!Number.isFinite(ms)) {
    throw new ConsentError('invalid-record', `"${String(time)}" is not a valid time`, {
      hint: 'Times are RFC 3339 UTC strings (docs/decisions/0002).',
    });
  }
  return Math.floor(ms / 1000);
}
