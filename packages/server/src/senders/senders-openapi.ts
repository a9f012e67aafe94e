import { z } from 'zod';
import { bulkStateRequestSchema, bulkStateResponseSchema, suppressionsResponseSchema } from './senders-schemas.js';

/** openapi/openapi.ts's helpers: schemas go to the document's components, problems point at one. */
export type OpenApiHelpers = {
  readonly json: (schema: z.ZodType) => unknown;
  readonly body: (schema: z.ZodType) => unknown;
  readonly problem: (description: string) => unknown;
};

/**
 * The OpenAPI paths of the senders' routes and the providers' webhooks, spread into the document
 * by openapi/openapi.ts (kept here so the shared file gains one line).
 */

const tallySchema = z.object({
  ok: z.literal(true),
  recorded: z.number().int().describe('opt-out records appended'),
  unchanged: z.number().int().describe('the person had already opted out'),
  'new-subject': z.number().int().describe('an address the ledger did not know: kept by blind index, opt-out recorded'),
  ignored: z.number().int().describe('not consent events (bounces, deliveries…)'),
  replayed: z.number().int().describe('events already received (by the provider’s event id)'),
  reasons: z.record(z.string(), z.number().int()).describe('why each ignored event was ignored, counted'),
});

const webhook = ({ json, problem }: OpenApiHelpers, id: string, provider: string, authenticity: string) => ({
  post: {
    operationId: `${id}Webhook`,
    tags: ['providers'],
    summary: `${provider} events (unsubscribes, complaints) into the ledger as opt-outs (method email-provider)`,
    description: `Authenticity: ${authenticity}. A forged or stale request stores nothing (401). Replays by event id are counted and change nothing.`,
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'string' } } } },
    responses: {
      200: { description: 'what became of each event', content: json(tallySchema) },
      400: problem(`the body is not a ${provider} payload`),
      401: problem('the request is not authentic, or its signed timestamp is stale'),
      404: problem(`${provider} is not configured on this ledger`),
      413: problem('the body is over 1 MiB'),
    },
  },
});

export const sendersOpenApiPaths = (helpers: OpenApiHelpers) => {
  const { json, body, problem } = helpers;
  return {
    '/v1/senders/state': {
      post: {
        operationId: 'bulkState',
        tags: ['senders'],
        summary: 'Bulk "may we?": up to 1,000 emails or subject refs for some purposes (one audit entry per call)',
        security: [{ apiKey: [] }],
        requestBody: body(bulkStateRequestSchema),
        responses: {
          200: { description: 'one answer per subject, in order', content: json(bulkStateResponseSchema) },
          400: problem('over 1,000 subjects, a subject that is neither an email nor a ref, or an unknown purpose'),
          401: problem('missing, unknown or revoked API key'),
          403: problem('the key lacks scope read'),
          415: problem('the body is not JSON'),
        },
      },
    },
    '/v1/senders/suppressions': {
      get: {
        operationId: 'getSuppressions',
        tags: ['senders'],
        summary: 'The suppression feed of a purpose: who may no longer be mailed, and who may again, in ledger order',
        security: [{ apiKey: [] }],
        parameters: [
          { name: 'purpose', in: 'query', required: true, schema: { type: 'string' } },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: 'opaque, from the last page',
          },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 5000 } },
          {
            name: 'identifiers',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['email', 'sha256'] },
            description: 'email needs scope suppressions (or admin); read keys get sha256',
          },
        ],
        responses: {
          200: { description: 'a page of changes and the cursor after it', content: json(suppressionsResponseSchema) },
          400: problem('an invalid cursor, an unknown purpose, or a limit outside 1–5000'),
          401: problem('missing, unknown or revoked API key'),
          403: problem('the key has neither scope read nor suppressions, or asked for addresses with scope read'),
        },
      },
    },
    '/v1/providers/sendgrid': webhook(
      helpers,
      'sendgrid',
      'SendGrid',
      'ECDSA P-256 signature (X-Twilio-Email-Event-Webhook-Signature) over X-Twilio-Email-Event-Webhook-Timestamp + body',
    ),
    '/v1/providers/ses': webhook(
      helpers,
      'ses',
      'Amazon SES (through SNS)',
      'SNS message signature (SignatureVersion 1 or 2) with the certificate at an https://sns.<region>.amazonaws.com/….pem URL; configured TopicArn only',
    ),
    '/v1/providers/postmark': webhook(
      helpers,
      'postmark',
      'Postmark',
      'HTTP basic auth in the webhook URL and/or a custom header token',
    ),
    '/v1/providers/mailgun': webhook(
      helpers,
      'mailgun',
      'Mailgun',
      'HMAC-SHA-256 of timestamp + token with the webhook signing key',
    ),
  };
};
