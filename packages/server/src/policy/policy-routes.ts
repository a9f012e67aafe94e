import { Hono } from 'hono';
import { z } from 'zod';
import type { PolicyRegistry } from './policy-registry.js';

export const policyResponseSchema = z
  .object({
    digest: z.string().describe('sha256 hex of the policy in RFC 8785 form; also the ETag'),
    policy: z.record(z.string(), z.unknown()).describe('the policy document'),
  })
  .meta({ id: 'PolicyResponse' });

export type PolicyRoutesOptions = { readonly policies: PolicyRegistry };

/** GET /v1/policy: the current policy and its digest; the digest is a strong ETag. */
export function createPolicyRoutes(options: PolicyRoutesOptions): Hono {
  const { policies } = options;
  const etag = `"${policies.currentDigest}"`;
  const body = JSON.stringify({ digest: policies.currentDigest, policy: policies.current });
  const app = new Hono();
  app.get('/v1/policy', (c) => {
    // Clients may cache but must revalidate: a new policy version must reach them at once.
    const headers = { etag, 'cache-control': 'no-cache' };
    const match = (c.req.header('if-none-match') ?? '')
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .some((t) => t === etag || t === '*');
    if (match) return c.body(null, 304, headers);
    return c.body(body, 200, { ...headers, 'content-type': 'application/json' });
  });
  return app;
}
