import { Hono } from 'hono';
import { z } from 'zod';
import type { Keyring } from '../platform/crypto/keyring.js';

export const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).meta({ id: 'Jwks' });

/** GET /.well-known/jwks.json: every ledger signing key, current first, so old receipts still verify. */
export function createJwksRoutes(options: { readonly keyring: Keyring }): Hono {
  const app = new Hono();
  app.get('/.well-known/jwks.json', async (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json({ keys: await options.keyring.publicJwks() });
  });
  return app;
}
