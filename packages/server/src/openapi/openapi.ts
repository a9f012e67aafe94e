// The OpenAPI 3.1 document served at /v1/openapi.json: its info, tags and security schemes, and the
// paths each feature's file describes (*-openapi.ts here, health/ and senders/ for their own),
// with the schemas they meet collected into components.schemas.
import { Hono } from 'hono';
import { healthOpenApiPaths } from '../health/health-openapi.js';
import { problemSchema } from '../platform/http/errors.js';
import { sendersOpenApiPaths } from '../senders/senders-openapi.js';
import { adminOpenApiPaths } from './admin-openapi.js';
import { emailOpenApiPaths } from './email-openapi.js';
import { ledgerOpenApiPaths } from './ledger-openapi.js';
import { createOpenApiHelpers } from './openapi-helpers.js';
import { partnersOpenApiPaths } from './partners-openapi.js';
import { policyOpenApiPaths } from './policy-openapi.js';
import { recordsOpenApiPaths } from './records-openapi.js';
import { createSchemaComponents } from './schema-components.js';
import { subjectsOpenApiPaths } from './subjects-openapi.js';

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
  const helpers = createOpenApiHelpers(components);
  components.schema(problemSchema, 'output');
  const paths = {
    ...healthOpenApiPaths,
    ...sendersOpenApiPaths(helpers),
    ...recordsOpenApiPaths(helpers),
    ...ledgerOpenApiPaths(helpers),
    ...policyOpenApiPaths(helpers),
    ...subjectsOpenApiPaths(helpers),
    ...adminOpenApiPaths(helpers),
    ...emailOpenApiPaths(helpers),
    ...partnersOpenApiPaths(helpers),
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
