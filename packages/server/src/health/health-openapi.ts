/** The probes and /metrics in the OpenAPI document (openapi/openapi.ts spreads these in). */
const checks = {
  type: 'object',
  properties: Object.fromEntries(
    ['store', 'migrations', 'keys', 'policy', 'serving'].map((k) => [k, { type: 'string', enum: ['ok', 'failing'] }]),
  ),
};

export const healthOpenApiPaths = {
  '/healthz': {
    get: {
      summary: 'Liveness: the process answers (no store access; never rate-limited)',
      responses: {
        200: {
          description: 'alive',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { status: { type: 'string', const: 'ok' } } },
            },
          },
        },
      },
    },
  },
  '/readyz': {
    get: {
      summary:
        'Readiness: the store answers, migrations are done, keys are loaded, the policy parsed, and the server is not draining',
      responses: {
        200: {
          description: 'ready for traffic',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { status: { type: 'string', const: 'ready' }, checks } },
            },
          },
        },
        503: {
          description: 'not ready (starting, store down, or draining before shutdown); Retry-After is set',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { status: { type: 'string', const: 'not-ready' }, checks } },
            },
          },
        },
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics (text format 0.0.4); a Bearer token when CONSENTKIT_METRICS_TOKEN is set',
      security: [{}, { metricsToken: [] }],
      responses: {
        200: { description: 'the metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
        401: { description: 'CONSENTKIT_METRICS_TOKEN is set and the request did not carry it' },
      },
    },
  },
} as const;
