// CSRF protection for the preference form without cookies: a hidden field carries
// `issuedAt.mac`, where mac = HMAC-SHA-256(csrfKey, "csrf:v1:" + pageToken + ":" + issuedAt).
// It binds the form to the page token (a field lifted from one person's page is useless on
// another's) and expires. Only the RFC 8058 one-click route is exempt (R41, C10).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConsentError } from '@consentkit/core';

export type CsrfOptions = {
  /** At least 32 bytes of secret; a string is taken as UTF-8. */
  key: Uint8Array | string;
  /** How long a rendered form stays valid. */
  ttlMs?: number;
  now?: () => number;
};

export type CsrfCheck = 'ok' | 'missing' | 'invalid' | 'expired';

export type Csrf = {
  issue(pageToken: string): string;
  verify(pageToken: string, field: unknown): CsrfCheck;
};

const DEFAULT_TTL_MS = 12 * 60 * 60 * 1000; // long enough for a tab left open over lunch
const CLOCK_SKEW_MS = 60 * 1000;

export function createCsrf(options: CsrfOptions): Csrf {
  const key = typeof options.key === 'string' ? Buffer.from(options.key, 'utf8') : Buffer.from(options.key);
  if (key.length < 32) throw new ConsentError('invalid-key', `csrfKey must be at least 32 bytes, not ${key.length}`);
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;

  const mac = (pageToken: string, issuedAt: string) =>
    createHmac('sha256', key).update(`csrf:v1:${pageToken}:${issuedAt}`, 'utf8').digest();

  return {
    issue(pageToken) {
      const issuedAt = String(Math.floor(now() / 1000));
      return `${issuedAt}.${mac(pageToken, issuedAt).toString('base64url')}`;
    },
    verify(pageToken, field) {
      if (typeof field !== 'string' || field === '') return 'missing';
      const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(field);
      if (!match?.[1] || !match[2]) return 'invalid';
      const expected = mac(pageToken, match[1]);
      const given = Buffer.from(match[2], 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      const age = now() - Number(match[1]) * 1000;
      if (age > ttlMs || age < -CLOCK_SKEW_MS) return 'expired';
      return 'ok';
    },
  };
}

/**
 * A second, independent check for browsers: a cross-site form post announces itself through
 * Sec-Fetch-Site or Origin. Absent headers pass (old browsers, non-browser clients), because
 * the HMAC field above is the real defence.
 */
export function isCrossSiteRequest(headers: Headers, ownOrigins: string | readonly string[]): boolean {
  const own = typeof ownOrigins === 'string' ? [ownOrigins] : ownOrigins;
  const site = headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return true;
  const origin = headers.get('origin');
  // Our pages send Referrer-Policy: no-referrer, under which browsers post `Origin: null` even
  // from the same origin (Fetch §3.1), so "null" says nothing either way.
  if (origin !== null && origin !== 'null' && !own.includes(origin)) return true;
  return false;
}
