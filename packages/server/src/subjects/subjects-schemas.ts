import { z } from 'zod';

/**
 * The wire shapes of /v1/subjects/{ref}/state and /records (subjects-routes.ts); the OpenAPI
 * document is generated from them.
 */
export const purposeStateSchema = z
  .object({
    purpose: z.string(),
    status: z.enum(['granted', 'denied', 'needs-consent', 'pending']),
    reason: z.string(),
    basis: z.enum(['express', 'implied', 'opt-out']),
    legalBasis: z.string(),
    recordId: z.string().optional(),
    at: z.string().optional(),
    conflict: z.literal('gpc').optional(),
  })
  .meta({ id: 'PurposeState' });

export const stateResponseSchema = z
  .object({
    subject: z.string().describe('the subject reference'),
    policy: z.object({ id: z.string(), version: z.string(), digest: z.string() }),
    state: z.record(z.string(), purposeStateSchema),
  })
  .meta({ id: 'StateResponse' });

export const subjectRecordsResponseSchema = z
  .object({
    subject: z.string(),
    records: z.array(
      z.object({
        seq: z.number().int(),
        recordId: z.string(),
        digest: z.string(),
        receivedAt: z.string(),
        record: z.record(z.string(), z.unknown()),
        jws: z.string(),
        receipt: z.string(),
      }),
    ),
  })
  .meta({ id: 'SubjectRecordsResponse' });

export const stateQuerySchema = z.object({
  jurisdiction: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$|^(EU|EEA|GDPR)$/)
    .optional(),
  gpc: z.enum(['true', 'false']).optional(),
});
