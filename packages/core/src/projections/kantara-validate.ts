/**
 * Validation of Kantara Consent Receipt v1.1 JSON (R1–R5): hand-written so that the main entry of
 * core stays zod-free. Categories are keyed on their leading number, not on label text (R4).
 */
import { type ConsentIssue, ConsentValidationError, type Result } from '../errors.js';
import { KANTARA_PII_CATEGORIES, KANTARA_PURPOSE_CATEGORIES, type KantaraReceipt } from './kantara-receipt.js';

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
      hint: 'Kantara categories are "N - Label" with N from 1 to 16 (docs/requirements.md R4, R5).',
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
        hint: 'See docs/requirements.md R1–R6; `issues` lists every problem with its path.',
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
