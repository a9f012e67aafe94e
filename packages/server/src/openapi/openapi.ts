import { Hono } from 'hono';
import { z } from 'zod';
import {
  collectionPointsResponseSchema,
  ledgerStatusResponseSchema,
  purposeStatsResponseSchema,
  subjectLookupRequestSchema,
  subjectLookupResponseSchema,
} from '../admin/admin-schemas.js';
import { linksRequestSchema, linksResponseSchema } from '../email/links-routes.js';
import { healthOpenApiPaths } from '../health/health-openapi.js';
import { recordsRequestSchema, recordsResponseSchema } from '../ingest/records-schemas.js';
import { jwksSchema } from '../ledger/jwks-routes.js';
import { partnerDeliverySchema } from '../partners/partner-deliveries.js';
import { deliveriesResponseSchema, partnersResponseSchema } from '../partners/partners-routes.js';
import { problemSchema } from '../platform/http/errors.js';
import { policyResponseSchema } from '../policy/policy-routes.js';
import { sendersOpenApiPaths } from '../senders/senders-openapi.js';
import { stateResponseSchema, subjectRecordsResponseSchema } from '../subjects/subjects-schemas.js';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'output' }) } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const refParam = {
  name: 'ref',
  in: 'path',
  required: true,
  description: 'the subject reference (UUID) or an email address',
  schema: { type: 'string' },
};

/** The OpenAPI 3.1 document, assembled by hand around JSON Schemas generated from the route schemas. */
export function buildOpenApiDocument(options: { readonly serverUrl?: string } = {}) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ConsentKit ledger',
      version: '1',
      description: 'Signed consent records, receipts, per-purpose state. Errors are RFC 9457 problem documents.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: {
      schemas: { Problem: z.toJSONSchema(problemSchema) },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'a scoped key from `consentkit keys api create` (ingest, read, admin, suppressions) or CONSENTKIT_API_KEY (admin)',
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'CONSENTKIT_METRICS_TOKEN (GET /metrics only)' },
      },
    },
    paths: {
      ...healthOpenApiPaths,
      '/v1/policy': {
        get: {
          summary: 'The current policy with its digest (ETag, If-None-Match → 304)',
          responses: {
            200: { description: 'the policy', content: json(policyResponseSchema) },
            304: { description: 'unchanged' },
          },
        },
      },
      '/v1/records': {
        post: {
          summary: 'Submit a batch of signed records (idempotent by record id)',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: z.toJSONSchema(recordsRequestSchema, { io: 'input' }) } },
          },
          responses: {
            200: { description: 'one result per record, in order', content: json(recordsResponseSchema) },
            400: problem('the body is not a records batch'),
            401: problem('only with CONSENTKIT_INGEST_REQUIRES_KEY: missing, unknown or revoked key'),
            403: problem('only with CONSENTKIT_INGEST_REQUIRES_KEY: the key lacks scope ingest'),
            413: problem('the body or the batch is too large'),
            415: problem('the body is not JSON'),
          },
        },
      },
      '/v1/subjects/{ref}/state': {
        get: {
          summary: 'Per-purpose consent state of a subject',
          security: [{ apiKey: [] }],
          parameters: [
            refParam,
            { name: 'jurisdiction', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'gpc', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
          ],
          responses: {
            200: { description: 'the state', content: json(stateResponseSchema) },
            401: problem('missing, unknown or revoked API key'),
            403: problem('the key lacks scope read'),
            404: problem('no such subject'),
          },
        },
      },
      '/v1/subjects/{ref}': {
        delete: {
          summary: 'Erase a subject (crypto-shredding): data key, openings, blind index; the ledger still verifies',
          security: [{ apiKey: [] }],
          parameters: [refParam],
          responses: {
            200: { description: 'erased; counts of what was deleted and the audit entry' },
            401: problem('missing, unknown or revoked API key'),
            403: problem('the key lacks scope admin'),
            404: problem('no such subject (never known, or already erased)'),
          },
        },
      },
      '/v1/subjects/{ref}/records': {
        get: {
          summary: 'The history of a subject, oldest first, with receipts',
          security: [{ apiKey: [] }],
          parameters: [refParam],
          responses: {
            200: { description: 'the history', content: json(subjectRecordsResponseSchema) },
            401: problem('missing, unknown or revoked API key'),
            403: problem('the key lacks scope read'),
            404: problem('no such subject'),
          },
        },
      },
      // The /admin dashboard's API (admin/admin-routes.ts); every answer is written to the audit trail.
      '/v1/admin/stats/purposes': {
        get: {
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
          summary: 'A subject by email or ref, its history with verification badges (POST: no email in a URL)',
          security: [{ apiKey: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: z.toJSONSchema(subjectLookupRequestSchema, { io: 'input' }) } },
          },
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
      '/v1/subjects/{ref}/export': {
        get: {
          summary:
            'A person’s history (records, receipts, every key needed) as one JWS signed by the ledger key; verify offline with `consentkit verify --bundle` or any JOSE library (audited)',
          security: [{ apiKey: [] }],
          parameters: [refParam],
          responses: {
            200: {
              description: 'the bundle, a compact JWS (typ consentkit-export+jws), as a download',
              content: { 'application/jose': { schema: { type: 'string' } } },
            },
            401: problem('missing, unknown or revoked API key'),
            403: problem('the key lacks scope read'),
            404: problem('no such subject'),
          },
        },
      },
      ...Object.fromEntries(
        (
          [
            ['kantara', 'Kantara Consent Receipt v1.1 (`?signed=true`: as a JWS by the ledger key)', 'signed'],
            ['iso-27560', 'ISO/IEC TS 27560 consent record (`?receipt=true`: wrapped in a 27560 receipt)', 'receipt'],
          ] as const
        ).map(([format, summary, flag]) => [
          `/v1/records/{id}/${format}`,
          {
            get: {
              summary: `A stored record as a ${summary} (audited)`,
              security: [{ apiKey: [] }],
              parameters: [
                {
                  name: 'id',
                  in: 'path',
                  required: true,
                  description: 'the record id (UUIDv7)',
                  schema: { type: 'string' },
                },
                { name: flag, in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
              ],
              responses: {
                200: { description: 'the projection (JSON, or application/jose when signed)' },
                400: problem('not a UUID, or an unknown query parameter'),
                401: problem('missing, unknown or revoked API key'),
                403: problem('the key lacks scope read'),
                404: problem('no such record'),
              },
            },
          },
        ]),
      ),
      '/v1/links': {
        post: {
          summary: 'Unsubscribe and preference URLs plus List-Unsubscribe headers for an address (RFC 8058)',
          security: [{ apiKey: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: z.toJSONSchema(linksRequestSchema, { io: 'input' }) } },
          },
          responses: {
            200: { description: 'the links and header lines', content: json(linksResponseSchema) },
            400: problem('not an email, or a purpose the policy lacks'),
            401: problem('missing, unknown or revoked API key'),
            403: problem('the key lacks scope read'),
          },
        },
      },
      '/v1/partners': {
        get: {
          summary: 'The registered partners (policy recipients that receive webhooks); never their secrets',
          security: [{ apiKey: [] }],
          responses: {
            200: { description: 'the partners', content: json(partnersResponseSchema) },
            401: problem('missing, unknown or revoked API key'),
            403: problem('the key lacks scope admin'),
          },
        },
      },
      '/v1/partners/deliveries': {
        get: {
          summary: 'Partner webhook deliveries (opt-outs and withdrawals sent to partners), newest first',
          security: [{ apiKey: [] }],
          parameters: [
            {
              name: 'status',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
            },
            { name: 'partner', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } },
          ],
          responses: {
            200: { description: 'the deliveries', content: json(deliveriesResponseSchema) },
            400: problem('an unknown status or a limit outside 1–1000'),
            401: problem('missing, unknown or revoked API key'),
            403: problem('the key lacks scope admin'),
          },
        },
      },
      '/v1/partners/deliveries/{id}/retry': {
        post: {
          summary: 'Re-queue a failed delivery with a fresh attempt budget (audited)',
          security: [{ apiKey: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            200: {
              description: 'the re-queued delivery',
              content: json(z.object({ delivery: partnerDeliverySchema })),
            },
            400: problem('the id is not a UUID'),
            401: problem('missing, unknown or revoked API key'),
            403: problem('the key lacks scope admin'),
            404: problem('no such delivery'),
            409: problem('the delivery is pending or delivered, not failed'),
          },
        },
      },
      '/.well-known/jwks.json': {
        get: {
          summary: 'The ledger public keys (receipts, checkpoints)',
          responses: { 200: { description: 'JWKS', content: json(jwksSchema) } },
        },
      },
      ...sendersOpenApiPaths,
    },
  };
}

export function createOpenApiRoutes(options: { readonly serverUrl?: string } = {}): Hono {
  const document = JSON.stringify(buildOpenApiDocument(options));
  const app = new Hono();
  app.get('/v1/openapi.json', (c) => c.body(document, 200, { 'content-type': 'application/json' }));
  return app;
}
