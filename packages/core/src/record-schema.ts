/**
 * zod schema for a consent record (docs/decisions/0002), for the server, which must not trust what
 * clients sign. Exported from `@consentkit/core/schema` only.
 */
import { z } from 'zod';
import { basisSchema, legalBasisSchema, parseWith } from './policy-schema.js';
import { type ConsentRecord, RECORD_SCHEMA } from './record.js';
import { isUuid } from './uuid.js';

const HEX64 = /^[0-9a-f]{64}$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const JURISDICTION = /^([A-Z]{2}(-[A-Z0-9]{1,3})?|EU|EEA)$/;

const digest = z.string().regex(HEX64, 'use a lowercase hex SHA-256 digest (64 characters)');
const interaction = z.enum(['pointer', 'keyboard', 'programmatic', 'none']);
const timestamp = z.iso.datetime({ offset: false, precision: 3 });

const decisionSchema = z.strictObject({
  purpose: z.string().min(1),
  granted: z.boolean(),
  basis: basisSchema,
  legalBasis: legalBasisSchema.optional(),
  wording: z.strictObject({ sha256: digest, text: z.string().optional() }).optional(),
  preChecked: z.boolean().optional(),
  interaction: interaction.optional(),
});

export const recordSchema = z.strictObject({
  schema: z.literal(RECORD_SCHEMA),
  id: z.string().refine(isUuid, 'use a lowercase UUIDv7'),
  issuedAt: timestamp,
  subject: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('commitment'), commitment: digest }),
    z.strictObject({ kind: z.literal('device') }),
    z.strictObject({ kind: z.literal('ref'), ref: z.string().min(1).max(200) }),
  ]),
  policy: z.strictObject({ id: z.string().min(1), version: z.string().min(1), digest }),
  decisions: z.array(decisionSchema).min(1),
  method: z.enum([
    'checkbox',
    'form-submit',
    'one-click-email',
    'preference-page',
    'gpc',
    'api',
    'email-provider',
    'email-confirmation',
  ]),
  interaction: interaction.optional(),
  collectionPoint: z.strictObject({
    url: z.url().optional(),
    form: z.string().optional(),
    element: z.string().optional(),
    flow: z.string().optional(),
  }),
  locale: z.string().regex(LOCALE, 'use a BCP 47 tag such as "en" or "fr-CA"'),
  jurisdiction: z.string().regex(JURISDICTION, 'use an ISO 3166 code such as "CA", "DE" or "US-CA"').optional(),
  gpc: z.boolean().nullable(),
  prev: digest.nullable(),
  context: z
    .strictObject({
      saleRef: z.string().min(1).optional(),
      relationshipStart: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
      relationship: z.enum(['contract', 'inquiry']).optional(),
    })
    .optional(),
  confirms: z.string().refine(isUuid, 'use the UUID of the confirmed record').optional(),
  attests: z.string().refine(isUuid, 'use the UUID of the attested record').optional(),
  identifierVerified: z.boolean().optional(),
});

/** Validates a record; throws `ConsentValidationError('invalid-record')` with zod-shaped issues. */
export function parseRecord(value: unknown): ConsentRecord {
  return parseWith<ConsentRecord>(recordSchema, value, {
    code: 'invalid-record',
    what: 'record',
    hint: 'Build records with createRecord() from @consentkit/core.',
  });
}

// Compile-time guard: every `ConsentRecord` value is something the schema describes.
type Accepts<T extends z.input<typeof recordSchema>> = T;
export type RecordSchemaAcceptsRecord = Accepts<ConsentRecord>;
