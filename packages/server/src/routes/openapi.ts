import { Hono } from 'hono';
import { z } from 'zod';
import { linksRequestSchema, linksResponseSchema } from './links.js';
import {
  jwksSchema,
  policyResponseSchema,
  problemSchema,
  recordsRequestSchema,
  recordsResponseSchema,
  stateResponseSchema,
  subjectRecordsResponseSchema,
} from './schemas.js';

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
            'a scoped key from `consentkit keys api create` (ingest, read, admin) or CONSENTKIT_API_KEY (admin)',
        },
      },
    },
    paths: {
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
      '/.well-known/jwks.json': {
        get: {
          summary: 'The ledger public keys (receipts, checkpoints)',
          responses: { 200: { description: 'JWKS', content: json(jwksSchema) } },
        },
      },
    },
  };
}

export function createOpenApiRoutes(options: { readonly serverUrl?: string } = {}): Hono {
  const document = JSON.stringify(buildOpenApiDocument(options));
  const app = new Hono();
  app.get('/v1/openapi.json', (c) => c.body(document, 200, { 'content-type': 'application/json' }));
  return app;
}
