// Security headers for the hosted pages: a strict CSP with a fresh nonce per response, no
// framing, no referrer (the URL carries the token), nosniff, and no caching of token pages.
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { PAGE_CSS_HASH } from '../pages/styles.js';

export type SecureHeadersVariables = { cspNonce: string };

export type SecureHeadersOptions = {
  /** Token pages must not be cached by browsers or proxies: the page shows a person's choices. */
  noStore?: boolean;
};

/**
 * The policy. Scripts need the nonce ('strict-dynamic' lets the nonce'd widget load its own
 * chunks, and makes browsers ignore any host allow-list); the one inline stylesheet is allowed
 * by its hash, so pages without scripts stay byte-identical between requests. No
 * 'unsafe-inline' anywhere.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src '${PAGE_CSS_HASH}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

// Nonces are cut from a pool filled 256 at a time: one randomBytes call per response was ≈ 2% of
// a one-click POST's CPU. Each byte still comes from the CSPRNG and is used once.
const NONCE_BYTES = 18;
const POOL_NONCES = 256;
let pool = Buffer.alloc(0);
let poolAt = 0;

export function createNonce(): string {
  if (poolAt + NONCE_BYTES > pool.length) {
    pool = randomBytes(NONCE_BYTES * POOL_NONCES);
    poolAt = 0;
  }
  const nonce = pool.toString('base64url', poolAt, poolAt + NONCE_BYTES);
  poolAt += NONCE_BYTES;
  return nonce;
}

export function secureHeaders(options: SecureHeadersOptions = {}): MiddlewareHandler<{
  Variables: SecureHeadersVariables;
}> {
  const noStore = options.noStore ?? true;
  return async function secureHeadersMiddleware(c, next) {
    const nonce = createNonce();
    c.set('cspNonce', nonce);
    await next();
    const h = c.res.headers;
    h.set('Content-Security-Policy', contentSecurityPolicy(nonce));
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    h.delete('X-Powered-By');
    if (noStore) {
      h.set('Cache-Control', 'no-store');
      h.set('Pragma', 'no-cache');
    }
  };
}
