// The OpenAPI paths of the records (openapi.ts spreads these in): ingest, a site's attestation,
// and a stored record's standard projections.
import { recordsRequestSchema, recordsResponseSchema } from '../ingest/records-schemas.js';
import { attestationRequestSchema, attestationResponseSchema } from '../subjects/attestations-routes.js';
import type { OpenApiDocumentHelpers } from './openapi-helpers.js';

export const recordsOpenApiPaths = ({ json, body, problem }: OpenApiDocumentHelpers) => ({
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
});
