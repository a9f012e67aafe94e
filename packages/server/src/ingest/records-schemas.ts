import { z } from 'zod';

/**
 * The wire shapes of the ledger API. Routes validate with them and /v1/openapi.json is generated
 * from them, so the document cannot drift from what the server accepts.
 */
export const openingSchema = z
  .object({
    salt: z.string().min(1).max(256).describe('base64url salt of the commitment (16 bytes)'),
    identifier: z.string().min(1).max(320).describe('the identifier the commitment hides, e.g. an email'),
    kind: z.literal('email'),
  })
  .strict()
  .meta({ id: 'Opening' });

export const recordsRequestSchema = z
  .object({
    records: z
      .array(
        z
          .object({
            jws: z
              .string()
              .min(1)
              .max(256 * 1024)
              .describe('compact JWS over the RFC 8785 record'),
            opening: openingSchema.optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .meta({ id: 'RecordsRequest' });

export const rejectionCodeSchema = z.enum([
  'invalid-record',
  'invalid-signature',
  'policy-mismatch',
  'chain-broken',
  'commitment-mismatch',
  'unknown-subject',
  'conflict',
]);

export const recordResultSchema = z
  .discriminatedUnion('status', [
    z.object({
      id: z.string().nullable(),
      status: z.literal('accepted'),
      seq: z.number().int(),
      receipt: z.string().describe('JWS by the ledger key over {recordId, digest, seq, receivedAt, entryHash}'),
      duplicate: z.boolean().describe('true when the record was already on file (the original receipt)'),
    }),
    z.object({
      id: z.string().nullable(),
      status: z.literal('rejected'),
      code: rejectionCodeSchema,
      reason: z.string(),
    }),
  ])
  .meta({ id: 'RecordResult' });

export const recordsResponseSchema = z.object({ results: z.array(recordResultSchema) }).meta({ id: 'RecordsResponse' });

export const policyResponseSchema = z
  .object({
    digest: z.string().describe('sha256 hex of the policy in RFC 8785 form; also the ETag'),
    policy: z.record(z.string(), z.unknown()).describe('the policy document'),
  })
  .meta({ id: 'PolicyResponse' });

export const purposeStateSchema = z
  .object({
    purpose: z.string(),
    status: z.enum(['granted', 'denied', 'needs-consent']),
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

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).meta({ id: 'Jwks' });
