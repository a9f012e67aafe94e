// The OpenAPI path of the policy (openapi.ts spreads it in).
import { policyResponseSchema } from '../policy/policy-routes.js';
import type { OpenApiDocumentHelpers } from './openapi-helpers.js';

export const policyOpenApiPaths = ({ json }: OpenApiDocumentHelpers) => ({
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
});
