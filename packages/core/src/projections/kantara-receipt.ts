/**
 * Kantara Initiative Consent Receipt v1.1 (R1–R7) as an export projection of a ConsentRecord. The
 * record stays the proof (signed, chained); this JSON is what a person or a partner tool that speaks
 * Kantara can read. The validator is hand-written so that the main entry of core stays zod-free.
 */
import { canonicalize, type JsonValue, parseJson } from '../canonical-json.js';
import { utf8Decode } from '../encoding.js';
import { ConsentError, type ConsentIssue, ConsentValidationError, type Result } from '../errors.js';
import { type JwsHeader, type Signer, signJws, type VerifyJwsOptions, verifyJws } from '../jws.js';
import {
  effectivePurpose,
  findPurpose,
  findRecipient,
  isSensitivePurpose,
  type LegalBasis,
  localize,
  type Policy,
  type Purpose,
  type PurposeBasis,
} from '../policy.js';
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
  gpc: 'Global Privacy Control signal',
  api: 'Recorded through the API (written or verbal consent attested by staff)',
};

export function formatKantaraCategory(number: number, kind: 'purpose' | 'pii'): string {
  const labels = kind === 'purpose' ? KANTARA_PURPOSE_CATEGORIES : KANTARA_PII_CATEGORIES;
  const label = labels[number];
  if (label === undefined) {
    throw new ConsentError('invalid-policy', `Kantara ${kind} category ${number} does not exist`, {
      hint: `Use a number from 1 to 16 (standards.md ${kind === 'purpose' ? 'R4' : 'R5'}).`,
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
        hint: 'Add kantara: { purposeCategory, piiCategories } to the purpose (standards.md R4, R5).',
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

// --- Validation -------------------------------------------------------------------------------

/** R1, in the schema's order. */
export const KANTARA_REQUIRED_KEYS = [
  'version',
  'jurisdiction',
  'consentTimestamp',
  'collectionMethod',
  'consentReceiptID',
  'piiPrincipalId',
  'piiControllers',
  'services',
  'policyUrl',
  'sensitive',
  'spiCat',
] as const;

const CONTROLLER_REQUIRED = ['piiController', 'contact', 'address', 'email', 'phone'] as const;
const PURPOSE_REQUIRED = [
  'consentType',
  'purposeCategory',
  'piiCategory',
  'termination',
  'thirdPartyDisclosure',
] as const;

/**
 * [profile] A timestamp beyond this (year 5138 in seconds) is milliseconds written by mistake, the
 * commonest interop bug with this field (A2).
 */
const MAX_SECONDS = 1e11;

export type KantaraCategory = { number: number; label: string };

/**
 * Parses `"N - Label"` keyed on the number (R4, R5): `"5 - Personalize Experience"` and
 * `"5 - Personalized Experience"` are both 5; numbers outside 1–16 are rejected.
 */
export function parseKantaraCategory(text: unknown, kind: 'purpose' | 'pii'): Result<KantaraCategory> {
  const fail = (message: string): Result<KantaraCategory> => ({
    ok: false,
    error: new ConsentValidationError('invalid-json', message, {
      hint: 'Kantara categories are "N - Label" with N from 1 to 16 (standards.md R4, R5).',
      issues: [{ code: 'invalid-category', path: [], message }],
    }),
  });
  if (typeof text !== 'string') return fail(`${kind} category must be a string, not ${typeOf(text)}`);
  const match = /^\s*(\d{1,3})\s*-\s*(\S.*?)\s*$/.exec(text);
  if (!match) return fail(`${kind} category ${JSON.stringify(text)} is not of the form "N - Label"`);
  const number = Number(match[1]);
  const labels = kind === 'purpose' ? KANTARA_PURPOSE_CATEGORIES : KANTARA_PII_CATEGORIES;
  if (labels[number] === undefined) return fail(`${kind} category ${JSON.stringify(text)}: ${number} is not 1–16`);
  return { ok: true, value: { number, label: match[2] as string } };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a JSON value against the Kantara v1.1 schema's rules (R1–R5) plus our profile: categories
 * keyed on 1–16, timestamps in seconds, and the legal-basis extension on IMPLIED / OPT-OUT purposes
 * (R6). Reports every issue with its path; the message names the first few.
 */
export function validateKantaraReceipt(json: unknown): Result<KantaraReceipt, ConsentValidationError> {
  const issues: ConsentIssue[] = [];
  const add = (path: (string | number)[], code: string, message: string) => {
    issues.push({ code, path, message });
  };
  const expectType = (
    value: unknown,
    path: (string | number)[],
    type: 'string' | 'boolean' | 'array' | 'object',
  ): boolean => {
    const ok = type === 'array' ? Array.isArray(value) : type === 'object' ? isObject(value) : typeof value === type;
    if (!ok)
      add(
        path,
        'invalid-type',
        `${path.join('.')} must be ${type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`}, not ${typeOf(value)}`,
      );
    return ok;
  };
  const checkCategories = (value: unknown, path: (string | number)[], kind: 'purpose' | 'pii') => {
    if (!expectType(value, path, 'array')) return;
    (value as unknown[]).forEach((item, i) => {
      const parsed = parseKantaraCategory(item, kind);
      if (!parsed.ok)
        add([...path, i], 'invalid-category', `${[...path, i].join('.')}: ${parsed.error.issues[0]?.message}`);
    });
  };

  if (!isObject(json)) {
    add([], 'invalid-type', `a Kantara receipt is a JSON object, not ${typeOf(json)}`);
    return failure(issues);
  }
  if ('policyURL' in json) {
    add(
      ['policyURL'],
      'go-dialect',
      'key "policyURL" is the Go consent-receipt-go dialect; Kantara v1.1 spells it "policyUrl" (normalizeKantaraReceipt renames it)',
    );
  }
  for (const key of KANTARA_REQUIRED_KEYS) {
    if (!(key in json) && !(key === 'policyUrl' && 'policyURL' in json)) {
      add([key], 'missing-key', `required key "${key}" is missing`);
    }
  }
  for (const key of [
    'version',
    'jurisdiction',
    'collectionMethod',
    'consentReceiptID',
    'piiPrincipalId',
    'policyUrl',
  ] as const) {
    if (key in json) expectType(json[key], [key], 'string');
  }
  for (const key of ['publicKey', 'language'] as const) {
    if (key in json) expectType(json[key], [key], 'string');
  }
  if ('sensitive' in json) expectType(json.sensitive, ['sensitive'], 'boolean');
  if ('spiCat' in json) checkCategories(json.spiCat, ['spiCat'], 'pii');

  if ('consentTimestamp' in json) {
    const t = json.consentTimestamp;
    if (typeof t !== 'number' || !Number.isInteger(t)) {
      add(
        ['consentTimestamp'],
        'invalid-type',
        `consentTimestamp must be an integer of Unix seconds, not ${JSON.stringify(t)}`,
      );
    } else if (t < 0) {
      add(['consentTimestamp'], 'too-small', `consentTimestamp must be ≥ 0, not ${t}`);
    } else if (t > MAX_SECONDS) {
      add(['consentTimestamp'], 'too-big', `consentTimestamp ${t} looks like milliseconds; Kantara uses Unix seconds`);
    }
  }

  if ('piiControllers' in json && expectType(json.piiControllers, ['piiControllers'], 'array')) {
    (json.piiControllers as unknown[]).forEach((controller, i) => {
      const path = ['piiControllers', i];
      if (!expectType(controller, path, 'object')) return;
      const c = controller as Record<string, unknown>;
      for (const key of CONTROLLER_REQUIRED) {
        if (!(key in c)) add([...path, key], 'missing-key', `required key "${key}" is missing in piiControllers[${i}]`);
        else expectType(c[key], [...path, key], key === 'address' ? 'object' : 'string');
      }
      if ('onBehalf' in c) expectType(c.onBehalf, [...path, 'onBehalf'], 'boolean');
      if ('piiControllerUrl' in c) expectType(c.piiControllerUrl, [...path, 'piiControllerUrl'], 'string');
    });
  }

  if ('services' in json && expectType(json.services, ['services'], 'array')) {
    (json.services as unknown[]).forEach((service, s) => {
      const path = ['services', s];
      if (!expectType(service, path, 'object')) return;
      const sv = service as Record<string, unknown>;
      if (!('service' in sv))
        add([...path, 'service'], 'missing-key', `required key "service" is missing in services[${s}]`);
      else expectType(sv.service, [...path, 'service'], 'string');
      if (!('purposes' in sv)) {
        add([...path, 'purposes'], 'missing-key', `required key "purposes" is missing in services[${s}]`);
        return;
      }
      if (!expectType(sv.purposes, [...path, 'purposes'], 'array')) return;
      (sv.purposes as unknown[]).forEach((purpose, p) => {
        const pp = [...path, 'purposes', p];
        if (!expectType(purpose, pp, 'object')) return;
        const pr = purpose as Record<string, unknown>;
        for (const key of PURPOSE_REQUIRED) {
          if (!(key in pr)) add([...pp, key], 'missing-key', `required key "${key}" is missing in ${pp.join('.')}`);
        }
        if ('consentType' in pr) expectType(pr.consentType, [...pp, 'consentType'], 'string');
        if ('termination' in pr) expectType(pr.termination, [...pp, 'termination'], 'string');
        if ('purpose' in pr) expectType(pr.purpose, [...pp, 'purpose'], 'string');
        if ('primaryPurpose' in pr) expectType(pr.primaryPurpose, [...pp, 'primaryPurpose'], 'boolean');
        if ('purposeCategory' in pr) checkCategories(pr.purposeCategory, [...pp, 'purposeCategory'], 'purpose');
        if ('piiCategory' in pr) checkCategories(pr.piiCategory, [...pp, 'piiCategory'], 'pii');
        if (
          'thirdPartyDisclosure' in pr &&
          expectType(pr.thirdPartyDisclosure, [...pp, 'thirdPartyDisclosure'], 'boolean')
        ) {
          // R3: the schema's oneOf; with `false` a name is allowed but means nothing.
          if (pr.thirdPartyDisclosure === true && typeof pr.thirdPartyName !== 'string') {
            add(
              [...pp, 'thirdPartyName'],
              'missing-key',
              `${pp.join('.')}: thirdPartyDisclosure is true, so thirdPartyName is required`,
            );
          }
        }
        if ('thirdPartyName' in pr) expectType(pr.thirdPartyName, [...pp, 'thirdPartyName'], 'string');
        // R6 [profile]: IMPLIED and OPT-OUT are not consent everywhere; the legal basis must travel with them.
        if (pr.consentType === 'IMPLIED' || pr.consentType === 'OPT-OUT') {
          const ext = pr.consentkit;
          if (!isObject(ext) || typeof ext.legalBasis !== 'string') {
            add(
              [...pp, 'consentkit', 'legalBasis'],
              'missing-key',
              `${pp.join('.')}: consentType ${pr.consentType} needs consentkit.legalBasis (R6)`,
            );
          }
        }
      });
    });
  }

  return issues.length > 0 ? failure(issues) : { ok: true, value: json as unknown as KantaraReceipt };
}

function failure(issues: ConsentIssue[]): Result<never, ConsentValidationError> {
  const shown = issues.slice(0, 3).map((i) => i.message);
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return {
    ok: false,
    error: new ConsentValidationError(
      'invalid-json',
      `not a valid Kantara v1.1 consent receipt: ${shown.join('; ')}${more}`,
      {
        hint: 'See standards.md R1–R6; `issues` lists every problem with its path.',
        issues,
      },
    ),
  };
}

/** Validates and returns the receipt, or throws the ConsentValidationError. */
export function parseKantaraReceipt(json: unknown): KantaraReceipt {
  const result = validateKantaraReceipt(json);
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * Accepts the Go implementation's `policyURL` (A3) by renaming it to `policyUrl`. Both keys with
 * different values is ambiguous and is refused rather than guessed. Returns a new object.
 */
export function normalizeKantaraReceipt(json: unknown): unknown {
  if (!isObject(json) || !('policyURL' in json)) return json;
  const { policyURL, ...rest } = json;
  if ('policyUrl' in rest && rest.policyUrl !== policyURL) {
    throw new ConsentValidationError(
      'invalid-json',
      'receipt has both "policyUrl" and "policyURL" with different values',
      {
        hint: 'Keep only "policyUrl", the Kantara v1.1 key.',
        issues: [{ code: 'go-dialect', path: ['policyURL'], message: 'conflicting policyUrl / policyURL' }],
      },
    );
  }
  return { ...rest, policyUrl: policyURL };
}

// --- Signing (R7) -----------------------------------------------------------------------------

/** [profile] The JWS `typ` of a signed Kantara receipt. */
export const KANTARA_RECEIPT_JWS_TYPE = 'kantara-receipt+jws';

/**
 * Signs a receipt as a compact JWS over its RFC 8785 bytes (R7 [profile]): ES256 or EdDSA, never
 * HS256, because a shared secret proves nothing to the person holding the receipt. The payload is
 * the receipt itself, not a JWT wrapper, so any JOSE library verifies it and reads plain Kantara JSON.
 */
export async function signKantaraReceipt(options: { receipt: KantaraReceipt; signer: Signer }): Promise<string> {
  const checked = parseKantaraReceipt(options.receipt);
  return signJws({
    payload: canonicalize(checked as unknown as JsonValue),
    signer: options.signer,
    header: { typ: KANTARA_RECEIPT_JWS_TYPE, kid: options.signer.kid },
  });
}

/** Verifies a signed receipt and validates what it carries. */
export async function verifyKantaraReceipt(
  jws: string,
  options: VerifyJwsOptions,
): Promise<{ receipt: KantaraReceipt; header: JwsHeader }> {
  const verified = await verifyJws(jws, options);
  if (verified.header.typ !== KANTARA_RECEIPT_JWS_TYPE) {
    throw new ConsentError(
      'invalid-signature',
      `JWS typ is ${JSON.stringify(verified.header.typ)}, not "${KANTARA_RECEIPT_JWS_TYPE}"`,
      {
        hint: 'Sign receipts with signKantaraReceipt().',
      },
    );
  }
  return { receipt: parseKantaraReceipt(parseJson(utf8Decode(verified.payload))), header: verified.header };
}
