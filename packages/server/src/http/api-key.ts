import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HttpError } from './errors.js';

export type ApiKeyOptions = {
  /** The admin key; when absent every request is refused (the API stays closed, never open). */
  readonly apiKey: string | undefined;
};

// Comparing fixed-length digests keeps the comparison constant-time whatever the key length.
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The presented key: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
function presented(authorization: string | undefined, header: string | undefined): string | undefined {
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? header?.trim();
}

/**
 * Guards an API with one key from configuration. The routes now use access/require-scope.ts
 * (scoped stored keys beside this one); kept for code outside the server that imported it.
 */
export function requireApiKey(options: ApiKeyOptions): MiddlewareHandler {
  const expected = options.apiKey === undefined ? undefined : digest(options.apiKey);
  return async (c, next) => {
    const key = presented(c.req.header('authorization'), c.req.header('x-api-key'));
    const challenge = { 'www-authenticate': 'Bearer realm="consentkit"' };
    if (!expected) {
      throw new HttpError(401, 'the admin API is disabled: set CONSENTKIT_API_KEY to enable it', {
        code: 'unauthorized',
        headers: challenge,
      });
    }
    if (key === undefined || !timingSafeEqual(digest(key), expected)) {
      throw new HttpError(401, 'a valid API key is required (Authorization: Bearer <key>)', {
        code: 'unauthorized',
        headers: challenge,
      });
    }
    await next();
  };
}
