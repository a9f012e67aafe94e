import { z } from 'zod';
import { purposeStateSchema } from '../subjects/subjects-schemas.js';

/**
 * The /v1/admin/* request and response shapes (admin-routes.ts); the OpenAPI document is
 * generated from these, so the documentation cannot drift from what is validated. The response
 * types at the end are what the dashboard (packages/admin) reads, exported as types only.
 */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const isRealDay = (day: string) => {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
};

const dayString = z
  .string()
  .regex(DAY, 'use a UTC day as YYYY-MM-DD, e.g. 2026-01-31')
  .refine(isRealDay, 'not a calendar day');

export const purposesQuerySchema = z
  .object({
    from: dayString.optional().describe('first UTC day (default: 29 days before `to`)'),
    to: dayString.optional().describe('last UTC day (default: today); at most 366 days after `from`'),
    bucket: z.literal('day', { message: 'only bucket=day is supported' }).optional(),
  })
  .strict();

export const noQuerySchema = z.object({}).strict();

export const subjectLookupRequestSchema = z
  .object({
    query: z
      .string()
      .trim()
      .min(1, 'give an email address or a subject reference')
      .max(320, 'an email address has at most 320 characters')
      .describe('an email address or a subject reference (UUID)'),
  })
  .strict();

const counts = z.object({
  granted: z.number().int().describe('people whose latest decision grants the purpose'),
  optedOut: z.number().int().describe('people whose latest decision refuses it under an opt-out basis'),
  withdrawn: z.number().int().describe('people whose latest decision refuses it under an express or implied basis'),
  decisions: z.number().int().describe('decisions on the purpose recorded that day'),
});

export const purposeStatsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  bucket: z.literal('day'),
  throughSeq: z.number().int().describe('the last ledger entry counted'),
  days: z.array(z.object({ day: z.string(), purposes: z.record(z.string(), counts) })),
});

export const collectionPointsResponseSchema = z.object({
  throughSeq: z.number().int(),
  collectionPoints: z.array(
    z.object({
      key: z.string(),
      url: z.string().nullable().describe('page URL without query or fragment'),
      form: z.string().nullable(),
      flow: z.string().nullable(),
      records: z.number().int(),
      optOutDecisions: z.number().int().describe('decisions on opt-out purposes made here'),
      optedOut: z.number().int(),
      optOutRate: z.number().nullable().describe('optedOut / optOutDecisions; null when none were offered'),
    }),
  ),
});

export const ledgerStatusResponseSchema = z.object({
  ok: z.boolean(),
  entriesChecked: z.number().int().describe('entries that verified before the first fault (all of them when ok)'),
  checkpoints: z.number().int().nullable(),
  headSeq: z.number().int(),
  lastCheckpoint: z
    .object({ seq: z.number().int(), signedAt: z.string() })
    .nullable()
    .describe('the last signed checkpoint, if any'),
  checkedAt: z.string().describe('when this verification ran'),
  durationMs: z.number().describe('how long it took'),
  cached: z.boolean().describe('true when this answer is a cached run'),
  fault: z
    .object({ seq: z.number().int(), recordId: z.string().nullable(), reason: z.string() })
    .nullable()
    .describe('the first fault, when not ok'),
  witnesses: z
    .object({
      cosigned: z
        .array(z.object({ witness: z.string(), size: z.number().int(), cosignedAt: z.string() }))
        .describe('per witness (by its key name), the largest tree size whose cosignature verified and was kept'),
      refusals: z
        .array(z.object({ target: z.string(), size: z.number().int(), reason: z.string(), refusedAt: z.string() }))
        .describe(
          'per witness (its URL without credentials or query), the latest checkpoint it refused as inconsistent with one it cosigned: a truncation or fork to investigate',
        ),
    })
    .optional()
    .describe('what the witnesses the server publishes to have answered (always present from this server)'),
});

const badge = z.object({ ok: z.boolean(), detail: z.string() });

export const subjectLookupResponseSchema = z.object({
  subject: z.string(),
  createdAt: z.string(),
  state: z.record(z.string(), purposeStateSchema),
  records: z.array(
    z.object({
      seq: z.number().int(),
      recordId: z.string(),
      receivedAt: z.string(),
      issuedAt: z.string(),
      method: z.string(),
      collectionPoint: z.object({ url: z.string(), form: z.string(), flow: z.string() }).partial().loose(),
      decisions: z.array(z.object({ purpose: z.string(), granted: z.boolean(), basis: z.string() })),
      badges: z.object({ signature: badge, chain: badge, receipt: badge }),
    }),
  ),
});

// --- The dashboard's wire types (types only: nothing here reaches the admin bundle) -----------

export type AdminPurposeStats = z.infer<typeof purposeStatsResponseSchema>;
export type AdminPurposeDay = AdminPurposeStats['days'][number];
export type AdminPurposeCounts = z.infer<typeof counts>;
export type AdminCollectionPointStats = z.infer<typeof collectionPointsResponseSchema>;
export type AdminCollectionPoint = AdminCollectionPointStats['collectionPoints'][number];
export type AdminLedgerStatus = z.infer<typeof ledgerStatusResponseSchema>;
export type AdminSubjectLookup = z.infer<typeof subjectLookupResponseSchema>;
export type AdminSubjectRecord = AdminSubjectLookup['records'][number];
export type AdminRecordBadge = z.infer<typeof badge>;
