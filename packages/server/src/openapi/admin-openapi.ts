// The OpenAPI paths of the /admin dashboard's API (admin/admin-routes.ts; openapi.ts spreads these
// in). Every answer is written to the audit trail.
import {
  collectionPointsResponseSchema,
  ledgerStatusResponseSchema,
  purposeStatsResponseSchema,
  subjectLookupRequestSchema,
  subjectLookupResponseSchema,
} from '../admin/admin-schemas.js';
import type { OpenApiDocumentHelpers } from './openapi-helpers.js';

export const adminOpenApiPaths = ({ json, body, problem }: OpenApiDocumentHelpers) => ({
  '/v1/admin/stats/purposes': {
    get: {
      operationId: 'getPurposeStats',
      tags: ['admin'],
      summary: 'Per purpose, per UTC day: people granted / opted out / withdrawn by their latest decision',
      security: [{ apiKey: [] }],
      parameters: [
        { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'bucket', in: 'query', schema: { type: 'string', enum: ['day'] } },
      ],
      responses: {
        200: { description: 'one entry per day', content: json(purposeStatsResponseSchema) },
        400: problem('a malformed day, from after to, more than 366 days, or another bucket'),
        401: problem('missing, unknown or revoked API key'),
        403: problem('the key lacks scope read'),
      },
    },
  },
  '/v1/admin/stats/collection-points': {
    get: {
      operationId: 'getCollectionPointStats',
      tags: ['admin'],
      summary: 'Opt-out rate per collection point (page URL, form, flow)',
      security: [{ apiKey: [] }],
      responses: {
        200: { description: 'the collection points', content: json(collectionPointsResponseSchema) },
        401: problem('missing, unknown or revoked API key'),
        403: problem('the key lacks scope read'),
      },
    },
  },
  '/v1/admin/ledger-status': {
    get: {
      operationId: 'getLedgerStatus',
      tags: ['admin'],
      summary: 'The result of verifying the whole ledger (cached while the head does not move, at most 60 s)',
      security: [{ apiKey: [] }],
      responses: {
        200: { description: 'ok or the first fault', content: json(ledgerStatusResponseSchema) },
        401: problem('missing, unknown or revoked API key'),
        403: problem('the key lacks scope read'),
      },
    },
  },
  '/v1/admin/subject-lookup': {
    post: {
      operationId: 'lookUpSubject',
      tags: ['admin'],
      summary: 'A subject by email or ref, its history with verification badges (POST: no email in a URL)',
      security: [{ apiKey: [] }],
      requestBody: body(subjectLookupRequestSchema),
      responses: {
        200: { description: 'the subject and its history', content: json(subjectLookupResponseSchema) },
        400: problem('neither an email address nor a subject reference'),
        401: problem('missing, unknown or revoked API key'),
        403: problem('the key lacks scope read'),
        404: problem('no such subject'),
        415: problem('the body is not application/json'),
      },
    },
  },
});
