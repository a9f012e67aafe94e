// Over 400 lines as one concept: the API document, one operation after another, as a reader of it
// would look it up.
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
import {
  consistencyProofSchema,
  consistencyQuerySchema,
  inclusionProofSchema,
  inclusionQuerySchema,
} from '../ledger/log-routes.js';
import { partnerDeliverySchema } from '../partners/partner-deliveries.js';
import { deliveriesResponseSchema, partnersResponseSchema } from '../partners/partners-routes.js';
import { problemSchema } from '../platform/http/errors.js';
import { policyResponseSchema } from '../policy/policy-routes.js';
import { sendersOpenApiPaths } from '../senders/senders-openapi.js';
import { attestationRequestSchema, attestationResponseSchema } from '../subjects/attestations-routes.js';
import { stateResponseSchema, subjectRecordsResponseSchema } from '../subjects/subjects-schemas.js';
import { createSchemaComponents, type JsonSchema } from './schema-components.js';

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

const TAGS = [
  { name: 'policy', description: 'the policy records are made under' },
  { name: 'records', description: 'signed consent records and their standard projections' },
  { name: 'subjects', description: 'a person: state, history, export, erasure' },
  { name: 'email', description: 'unsubscribe and preference links for senders' },
  { name: 'admin', description: 'the /admin dashboard’s API (every answer is audited)' },
  { name: 'partners', description: 'partner webhooks' },
  { name: 'ledger', description: 'the ledger’s public keys' },
  { name: 'log', description: 'the transparency log: signed checkpoints and Merkle proofs (RFC 9162)' },
  { name: 'senders', description: 'bulk state and the suppression feed, for the systems that send mail' },
  { name: 'providers', description: 'email providers’ webhooks: unsubscribes and complaints as opt-outs' },
  { name: 'operations', description: 'probes and metrics for whoever runs the server' },
];

/** The OpenAPI 3.1 document, assembled by hand around JSON Schemas generated from the route schemas. */
export function buildOpenApiDocument(options: { readonly serverUrl?: string } = {}) {
  const components = createSchemaComponents();
  const json = (schema: z.ZodType) => ({ 'application/json': { schema: components.schema(schema, 'output') } });
  const body = (schema: z.ZodType) => ({
    required: true,
    content: { 'application/json': { schema: components.schema(schema, 'input') } },
  });
  components.schema(problemSchema, 'output');
  /** Query parameters from a zod object schema (its properties, each with its description). */
  const queryParameters = (schema: z.ZodType) => {
    const described = components.schema(schema, 'input') as {
      properties?: Record<string, JsonSchema & { description?: string }>;
      required?: string[];
    };
    return Object.entries(described.properties ?? {}).map(([name, property]) => ({
      name,
      in: 'query',
      required: described.required?.includes(name) ?? false,
      ...(property.description ? { description: property.description } : {}),
      schema: property,
    }));
  };
  const paths = {
    ...healthOpenApiPaths,
    ...sendersOpenApiPaths({ json, body, problem }),
    '/v1/attestations': {
      post: {
        operationId: 'attestRecord',
        tags: ['records'],
        summary:
          "The site's backend vouches for a record it received; the ledger appends a signed attestation (site assurance)",
        security: [{ apiKey: [] }],
        requestBody: body(attestationRequestSchema),
        responses: {
          201: { description: 'the attestation entry', content: json(attestationResponseSchema) },
          400: problem('not a record id, or a record that grants nothing'),
          401: problem('missing, unknown or revoked API key'),
          403: problem('the key lacks scope attest'),
          404: problem('no such record'),
        },
      },
    },
    '/v1/log/checkpoint': {
      get: {
        operationId: 'getLogCheckpoint',
        tags: ['log'],
        summary: 'The signed checkpoint of the current head (C2SP tlog-checkpoint note, text/plain)',
        description:
          "After the log's own signature line, one line per witness that cosigned this tree size and root (C2SP tlog-cosignature/v1, signed-note extra signatures), each verified against the witness key configured (CONSENTKIT_WITNESS_KEYS) when it was received. A verifier that does not know a witness's key ignores its line.",
        responses: {
          200: {
            description: 'the note, with any witness cosignature lines',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          429: problem('rate limited'),
        },
      },
    },
    '/v1/log/key': {
      get: {
        operationId: 'getLogKey',
        tags: ['log'],
        summary: 'The checkpoint verifier key (C2SP signed-note: name+keyhash+base64(0x01 || Ed25519 key))',
        responses: {
          200: { description: 'the key', content: { 'text/plain': { schema: { type: 'string' } } } },
          429: problem('rate limited'),
        },
      },
    },
    '/v1/log/inclusion': {
      get: {
        operationId: 'getInclusionProof',
        tags: ['log'],
        summary: 'An inclusion proof (RFC 9162 §2.1.3) for a record id or leaf index at a tree size',
        parameters: queryParameters(inclusionQuerySchema),
        responses: {
          200: { description: 'the proof', content: json(inclusionProofSchema) },
          400: problem('neither or both of record and index, or a size past the signed head'),
          404: problem('no such record'),
          429: problem('rate limited'),
        },
      },
    },
    '/v1/log/consistency': {
      get: {
        operationId: 'getConsistencyProof',
        tags: ['log'],
        summary: 'A consistency proof (RFC 9162 §2.1.4) between two tree sizes',
        parameters: queryParameters(consistencyQuerySchema),
        responses: {
          200: { description: 'the proof', content: json(consistencyProofSchema) },
          400: problem('sizes out of order or past the signed head'),
          429: problem('rate limited'),
        },
      },
    },
    '/v1/policy': {
      get: {
        operationId: 'getPolicy',
        tags: ['policy'],
        summary: 'The current policy with its digest (ETag, If-None-Match → 304)',
        responses: {
          200: { description: 'the policy', content: json(policyResponseSchema) },
          304: { description: 'unchanged' },
        },
      },
    },
    '/v1/records': {
      post: {
        operationId: 'submitRecords',
        tags: ['records'],
        summary: 'Submit a batch of signed records (idempotent by record id)',
        requestBody: body(recordsRequestSchema),
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
        operationId: 'getSubjectState',
        tags: ['subjects'],
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
        operationId: 'eraseSubject',
        tags: ['subjects'],
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
        operationId: 'getSubjectRecords',
        tags: ['subjects'],
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
    '/v1/subjects/{ref}/export': {
      get: {
        operationId: 'exportSubject',
        tags: ['subjects'],
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
          [
            'kantara',
            'Kantara Consent Receipt v1.1 (`?signed=true`: as a JWS by the ledger key)',
            'signed',
            'getRecordKantara',
          ],
          [
            'iso-27560',
            'ISO/IEC TS 27560 consent record (`?receipt=true`: wrapped in a 27560 receipt)',
            'receipt',
            'getRecordIso27560',
          ],
        ] as const
      ).map(([format, summary, flag, operationId]) => [
        `/v1/records/{id}/${format}`,
        {
          get: {
            operationId,
            tags: ['records'],
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
        operationId: 'createLinks',
        tags: ['email'],
        summary: 'Unsubscribe and preference URLs plus List-Unsubscribe headers for an address (RFC 8058)',
        security: [{ apiKey: [] }],
        requestBody: body(linksRequestSchema),
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
        operationId: 'listPartners',
        tags: ['partners'],
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
        operationId: 'listPartnerDeliveries',
        tags: ['partners'],
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
        operationId: 'retryPartnerDelivery',
        tags: ['partners'],
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
        operationId: 'getJwks',
        tags: ['ledger'],
        summary: 'The ledger public keys (receipts, checkpoints)',
        responses: { 200: { description: 'JWKS', content: json(jwksSchema) } },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'ConsentKit ledger',
      version: '1',
      description: 'Signed consent records, receipts, per-purpose state. Errors are RFC 9457 problem documents.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: TAGS,
    paths,
    // After paths: the schemas are collected while the operations are described.
    components: {
      schemas: components.schemas,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'a scoped key from `consentkit keys api create` (ingest, read, attest, admin, suppressions) or CONSENTKIT_API_KEY (admin)',
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'CONSENTKIT_METRICS_TOKEN (GET /metrics only)' },
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
