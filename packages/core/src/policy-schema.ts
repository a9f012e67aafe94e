/**
 * zod schema for the policy document, with the cross-field rules a policy must keep (unique ids,
 * known recipients, express for sensitive or third-party purposes…). Exported from
 * `@consentkit/core/schema` only, so browser bundles need not carry zod.
 */
import { z } from 'zod';
import { canonicalize } from './canonical-json.js';
import { CONSENT_MODE_TYPES } from './consent-mode-types.js';
import { ConsentError, type ConsentIssue, ConsentValidationError } from './errors.js';
import { isGdprJurisdiction } from './jurisdiction.js';
import type { Policy, Purpose } from './policy.js';
import { compareVersions } from './policy-version.js';
import { isSensitivePurpose, sharesWithThirdParties } from './purpose-traits.js';

/** ISO 8601 duration (`P2Y`, `P6M`, `P1Y6M`, `PT12H`); at least one component, `T` only before time parts. */
export const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const ID = /^[a-z0-9][a-z0-9-]*$/;
const JURISDICTION = /^([A-Z]{2}(-[A-Z0-9]{1,3})?|EU|EEA|GDPR)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const id = z.string().regex(ID, 'use lowercase letters, digits and hyphens (e.g. "partner-sharing")');
const locale = z.string().regex(LOCALE, 'use a BCP 47 tag such as "en" or "fr-CA"');
const duration = z.string().regex(ISO_DURATION, 'use an ISO 8601 duration such as "P2Y" or "P6M"');
const jurisdiction = z.string().regex(JURISDICTION, 'use an ISO 3166 code such as "CA", "DE" or "US-CA", or "GDPR"');

export const localizedTextSchema = z
  .record(locale, z.string().min(1))
  .refine((text) => typeof text.en === 'string', { message: 'English ("en") text is required' });

/** The basis a purpose (or a record's decision) rests on; records use the same two enums. */
export const basisSchema = z.enum(['express', 'implied', 'opt-out']);
export const legalBasisSchema = z.enum([
  'consent',
  'implied-consent',
  'contract',
  'legitimate-interest',
  'soft-opt-in',
  'casl-implied-ebr',
  'legal-obligation',
]);
const kantaraNumber = z.number().int().min(1).max(16);

const recipientSchema = z.strictObject({
  id,
  name: z.string().min(1),
  kind: z.enum(['partner', 'processor', 'credit-agency', 'affiliate', 'authority']),
  audited: z.boolean(),
  description: localizedTextSchema.optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});

const dataCategorySchema = z.strictObject({
  id,
  type: localizedTextSchema,
  collected: z.array(localizedTextSchema).min(1),
  collectedBy: localizedTextSchema,
  purpose: localizedTextSchema,
  usedBy: localizedTextSchema,
  storedIn: localizedTextSchema,
  sharedWith: z.array(id),
  sensitive: z.boolean(),
  kantaraPiiCategories: z.array(kantaraNumber).optional(),
});

const overrideSchema = z.strictObject({
  basis: basisSchema.optional(),
  legalBasis: legalBasisSchema.optional(),
  note: z.string().optional(),
});

const purposeSchema = z.strictObject({
  id,
  title: localizedTextSchema,
  description: localizedTextSchema,
  label: localizedTextSchema.optional(),
  basis: basisSchema,
  legalBasis: legalBasisSchema,
  primary: z.boolean(),
  sensitive: z.boolean(),
  recipients: z.array(id),
  dataCategories: z.array(id),
  retention: duration,
  since: z.string().min(1).optional(),
  gpc: z.enum(['sale', 'sharing', 'targeted-advertising']).optional(),
  assurance: z.enum(['device', 'site', 'inbox']).optional(),
  consentMode: z.array(z.enum(CONSENT_MODE_TYPES)).optional(),
  kantara: z.strictObject({ purposeCategory: kantaraNumber, piiCategories: z.array(kantaraNumber) }).optional(),
  jurisdictions: z.record(jurisdiction, overrideSchema).optional(),
});

const practicesSchema = z.strictObject({
  express: localizedTextSchema,
  implied: localizedTextSchema,
  optOut: localizedTextSchema,
  withdrawal: localizedTextSchema,
  security: localizedTextSchema,
  destruction: localizedTextSchema,
  thirdParties: localizedTextSchema,
});

const baseSchema = z.strictObject({
  id,
  version: z.string().min(1),
  url: z.url(),
  effectiveDate: z.string().regex(DATE, 'use an RFC 3339 full-date such as "2026-01-15"'),
  defaultLocale: locale,
  locales: z.array(locale).min(1),
  controller: z.strictObject({
    name: z.string().min(1),
    contact: z.strictObject({
      email: z.email(),
      phone: z.string().min(1).optional(),
      url: z.url().optional(),
    }),
    address: z.strictObject({
      street: z.string().min(1),
      locality: z.string().min(1),
      region: z.string().min(1).optional(),
      postalCode: z.string().min(1),
      country: z.string().regex(/^[A-Z]{2}$/, 'use an ISO 3166-1 alpha-2 country code'),
    }),
  }),
  jurisdiction,
  dataCategories: z.array(dataCategorySchema).min(1),
  recipients: z.array(recipientSchema),
  purposes: z.array(purposeSchema).min(1),
  recordRetention: duration,
  practices: practicesSchema,
  promises: z.strictObject({
    neverRefuseService: z.boolean(),
    consentBeforeNewPurpose: z.boolean(),
    text: localizedTextSchema,
  }),
});

type Path = (string | number)[];
type AddIssue = (path: Path, message: string) => void;

function checkUnique(items: readonly { id: string }[], field: string, add: AddIssue): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) add([field, i, 'id'], `duplicate id "${item.id}"; every ${field} entry needs its own id`);
    seen.add(item.id);
  });
}

/** The basis / legal-basis pairs a purpose has, in its home jurisdiction and in each override. */
function variants(purpose: Purpose): { key: string | undefined; basis: string; legalBasis: string }[] {
  const out: { key: string | undefined; basis: string; legalBasis: string }[] = [
    { key: undefined, basis: purpose.basis, legalBasis: purpose.legalBasis },
  ];
  for (const [key, override] of Object.entries(purpose.jurisdictions ?? {})) {
    out.push({ key, basis: override.basis ?? purpose.basis, legalBasis: override.legalBasis ?? purpose.legalBasis });
  }
  return out;
}

function crossCheck(policy: Policy, add: AddIssue): void {
  checkUnique(policy.purposes, 'purposes', add);
  checkUnique(policy.recipients, 'recipients', add);
  checkUnique(policy.dataCategories, 'dataCategories', add);

  if (!policy.locales.includes('en')) add(['locales'], 'locales must include "en"');
  if (!policy.locales.includes(policy.defaultLocale)) {
    add(['defaultLocale'], `defaultLocale "${policy.defaultLocale}" is not listed in locales`);
  }

  const recipientIds = new Set(policy.recipients.map((r) => r.id));
  const categoryIds = new Set(policy.dataCategories.map((c) => c.id));
  policy.dataCategories.forEach((category, i) => {
    category.sharedWith.forEach((r, j) => {
      if (!recipientIds.has(r))
        add(['dataCategories', i, 'sharedWith', j], `unknown recipient "${r}"; add it to recipients`);
    });
  });

  const primaries = policy.purposes.filter((p) => p.primary);
  if (primaries.length !== 1) {
    add(
      ['purposes'],
      `exactly one purpose must be primary (found ${primaries.length}); implied consent covers only it`,
    );
  }

  policy.purposes.forEach((purpose, i) => {
    const at = (...rest: Path): Path => ['purposes', i, ...rest];
    purpose.recipients.forEach((r, j) => {
      if (!recipientIds.has(r)) add(at('recipients', j), `unknown recipient "${r}"; add it to recipients`);
    });
    purpose.dataCategories.forEach((c, j) => {
      if (!categoryIds.has(c)) add(at('dataCategories', j), `unknown data category "${c}"; add it to dataCategories`);
    });
    if (purpose.since !== undefined && compareVersions(purpose.since, policy.version) > 0) {
      add(at('since'), `since "${purpose.since}" is later than the policy version "${policy.version}"`);
    }
    if (purpose.primary && purpose.gpc !== undefined) {
      add(at('gpc'), 'the primary purpose cannot be a GPC (sale/sharing/advertising) purpose; split it out');
    }

    const sensitive = isSensitivePurpose(policy, purpose);
    const thirdParty = sharesWithThirdParties(policy, purpose);
    for (const v of variants(purpose)) {
      const where = v.key === undefined ? at('basis') : at('jurisdictions', v.key, 'basis');
      const suffix = v.key === undefined ? '' : ` (override "${v.key}")`;
      if (sensitive && v.basis !== 'express') {
        add(where, `purpose "${purpose.id}" uses sensitive information and must have basis "express"${suffix}`);
      }
      if (thirdParty && v.basis !== 'express') {
        add(where, `purpose "${purpose.id}" shares data with third parties and must have basis "express"${suffix}`);
      }
      if (v.basis === 'implied' && !purpose.primary) {
        add(
          where,
          `implied consent covers only the primary purpose; give "${purpose.id}" basis "express" or "opt-out"${suffix}`,
        );
      }
      const legalWhere = v.key === undefined ? at('legalBasis') : at('jurisdictions', v.key, 'legalBasis');
      if (v.basis === 'express' && v.legalBasis !== 'consent') {
        add(legalWhere, `an express purpose rests on legalBasis "consent"${suffix}`);
      }
      if (v.basis !== 'express' && v.legalBasis === 'consent') {
        add(
          legalWhere,
          `a ${v.basis} purpose is not consent; use "implied-consent", "legitimate-interest", "soft-opt-in" or another basis${suffix} (R37)`,
        );
      }
      const gdpr = v.key !== undefined && (v.key === 'GDPR' || isGdprJurisdiction(v.key));
      if (gdpr && v.basis !== 'express' && v.legalBasis === 'implied-consent') {
        add(
          legalWhere,
          `GDPR has no implied or opt-out consent (R21, R23); in "${v.key}" make "${purpose.id}" express, or use "legitimate-interest", "soft-opt-in" or "contract"`,
        );
      }
    }
  });
}

export const policySchema = baseSchema.superRefine((value, ctx) => {
  crossCheck(value as Policy, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
});

export function toIssues(error: z.ZodError): ConsentIssue[] {
  return error.issues.map((issue) => ({
    code: issue.code,
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }));
}

/** Formats the first few issues as `path: message` so the error says where to look. */
export function describeIssues(issues: readonly ConsentIssue[], max = 5): string {
  const shown = issues.slice(0, max).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return `${shown.join('; ')}${more}`;
}

/**
 * Parses with a schema or throws `ConsentValidationError(code)` carrying zod-shaped issues and a
 * message that lists the first few, so every parser reports problems the same way.
 */
export function parseWith<T>(
  schema: z.ZodType,
  value: unknown,
  failure: { code: 'invalid-policy' | 'invalid-record'; what: string; hint: string },
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = toIssues(result.error);
    throw new ConsentValidationError(failure.code, `${failure.what} is invalid: ${describeIssues(issues)}`, {
      issues,
      hint: failure.hint,
    });
  }
  // zod types absent optionals as `T | undefined`; the parsed value never holds explicit undefined.
  return result.data as T;
}

/** Validates a policy document; throws `ConsentValidationError('invalid-policy')` with zod-shaped issues. */
export function parsePolicy(value: unknown): Policy {
  const hint = 'Fix the listed fields in the policy JSON (see examples/policies/allstream.json).';
  const policy = parseWith<Policy>(policySchema, value, { code: 'invalid-policy', what: 'policy', hint });
  // The digest needs RFC 8785 form: text zod accepts but JCS refuses (a lone surrogate, an explicit
  // undefined from code) must fail here, as a policy error, not later when the digest is taken.
  try {
    canonicalize(policy);
  } catch (error) {
    if (!(error instanceof ConsentError)) throw error;
    const message = error.reason;
    throw new ConsentValidationError('invalid-policy', `policy is invalid: ${message}`, {
      cause: error,
      issues: [{ code: 'invalid_string', path: [], message }],
      hint,
    });
  }
  return policy;
}

// Compile-time guard: every value of the `Policy` type is something the schema describes.
type Accepts<T extends z.input<typeof baseSchema>> = T;
export type PolicySchemaAcceptsPolicy = Accepts<Policy>;
