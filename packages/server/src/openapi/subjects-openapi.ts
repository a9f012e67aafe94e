// The OpenAPI paths of a person (openapi.ts spreads these in): state, history, export, erasure.
import { stateResponseSchema, subjectRecordsResponseSchema } from '../subjects/subjects-schemas.js';
import type { OpenApiDocumentHelpers } from './openapi-helpers.js';

const refParam = {
  name: 'ref',
  in: 'path',
  required: true,
  description: 'the subject reference (UUID) or an email address',
  schema: { type: 'string' },
};

export const subjectsOpenApiPaths = ({ json, problem }: OpenApiDocumentHelpers) => ({
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
});
