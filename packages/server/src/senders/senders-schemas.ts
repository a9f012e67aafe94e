import { z } from 'zod';
import { purposeStateSchema } from '../subjects/subjects-schemas.js';
import { MAX_SUBJECTS } from './bulk-state.js';
import { MAX_FEED_LIMIT } from './suppression-feed.js';

/** The wire shapes of POST /v1/senders/state and GET /v1/senders/suppressions (senders-routes.ts). */
export const bulkStateRequestSchema = z
  .object({
    subjects: z
      .array(z.string().min(1).max(320))
      .min(1)
      .max(MAX_SUBJECTS)
      .describe(`email addresses or subject references, at most ${MAX_SUBJECTS}`),
    purposes: z.array(z.string().min(1).max(200)).min(1).max(100).describe('purpose ids of the current policy'),
    jurisdiction: z
      .string()
      .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$|^(EU|EEA|GDPR)$/)
      .optional(),
    gpc: z.boolean().optional().describe('the GPC signal where the mail is read, when known'),
  })
  .strict()
  .meta({ id: 'BulkStateRequest' });

export const bulkStateResponseSchema = z
  .object({
    policy: z.object({ id: z.string(), version: z.string(), digest: z.string() }),
    answers: z.array(
      z.object({
        subject: z.string().describe('as asked'),
        ref: z.string().nullable().describe('the subject reference; null for a person the ledger does not know'),
        known: z.boolean(),
        state: z.record(z.string(), purposeStateSchema),
      }),
    ),
  })
  .meta({ id: 'BulkStateResponse' });

export const suppressionsQuerySchema = z
  .object({
    purpose: z.string().min(1).max(200),
    cursor: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_FEED_LIMIT).optional(),
    identifiers: z.enum(['email', 'sha256']).optional(),
  })
  .strict();

export const feedChangeSchema = z
  .object({
    seq: z.number().int().describe('the ledger entry that made the change'),
    subject: z.string(),
    change: z.enum(['suppress', 'allow']),
    status: z.enum(['granted', 'denied', 'needs-consent', 'pending']),
    reason: z.string(),
    recordId: z.string(),
    at: z.string().nullable(),
    email: z.string().nullable().optional().describe('only for a key with scope suppressions (or admin)'),
    emailSha256: z.string().nullable().describe('SHA-256 (hex) of the normalised address; null once erased'),
  })
  .meta({ id: 'SuppressionChange' });

export const suppressionsResponseSchema = z
  .object({
    purpose: z.string(),
    changes: z.array(feedChangeSchema),
    cursor: z.string().describe('opaque; pass it back to continue (or resume later) after this page'),
    more: z.boolean(),
  })
  .meta({ id: 'SuppressionsResponse' });
