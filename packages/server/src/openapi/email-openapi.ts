// The OpenAPI path of the senders' links (openapi.ts spreads it in): unsubscribe and preference
// URLs with their List-Unsubscribe headers.
import { linksRequestSchema, linksResponseSchema } from '../email/links-routes.js';
import type { OpenApiDocumentHelpers } from './openapi-helpers.js';

export const emailOpenApiPaths = ({ json, body, problem }: OpenApiDocumentHelpers) => ({
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
});
