import { z } from 'zod';

/**
 * The wire shapes of POST /v1/records. The route validates with them and /v1/openapi.json is
 * generated from them, so the document cannot drift from what the server accepts.
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
