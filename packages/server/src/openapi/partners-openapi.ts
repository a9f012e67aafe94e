// The OpenAPI paths of the partner webhooks (openapi.ts spreads these in): the partners, their
// deliveries and a failed delivery's retry.
import { z } from 'zod';
import { partnerDeliverySchema } from '../partners/partner-deliveries.js';
import { deliveriesResponseSchema, partnersResponseSchema } from '../partners/partners-routes.js';
import type { OpenApiDocumentHelpers } from './openapi-helpers.js';

export const partnersOpenApiPaths = ({ json, problem }: OpenApiDocumentHelpers) => ({
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
});
