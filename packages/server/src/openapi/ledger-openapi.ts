// The OpenAPI paths of the ledger's public side (openapi.ts spreads these in): the transparency
// log's checkpoints and Merkle proofs, and the ledger's public keys.
import { jwksSchema } from '../ledger/jwks-routes.js';
import {
  consistencyProofSchema,
  consistencyQuerySchema,
  inclusionProofSchema,
  inclusionQuerySchema,
} from '../ledger/log-routes.js';
import type { OpenApiDocumentHelpers } from './openapi-helpers.js';

export const ledgerOpenApiPaths = ({ json, problem, queryParameters }: OpenApiDocumentHelpers) => ({
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
  '/.well-known/jwks.json': {
    get: {
      operationId: 'getJwks',
      tags: ['ledger'],
      summary: 'The ledger public keys (receipts, checkpoints)',
      responses: { 200: { description: 'JWKS', content: json(jwksSchema) } },
    },
  },
});
