import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The outcome of a provider's authenticity check. A forged or stale request is answered 401 and
 * nothing of it is stored; `why` says which check failed (never the expected value).
 */
export type Authenticity = { readonly ok: true } | { readonly ok: false; readonly why: string };

export const forged = (why: string): Authenticity => ({ ok: false, why });
export const stale = (what: string): Authenticity => ({
  ok: false,
  why: `${what} is more than ${MAX_SKEW_SECONDS / 60} minutes from the ledger's clock: a replay, or a clock to fix`,
});

/** How far a signed timestamp may be from now, either way (providers re-sign their retries). */
export const MAX_SKEW_SECONDS = 15 * 60;

export function isFresh(seconds: number, now: Date, maxSkew = MAX_SKEW_SECONDS): boolean {
  return Number.isFinite(seconds) && Math.abs(now.getTime() / 1000 - seconds) <= maxSkew;
}

/** Constant-time equality of two strings of any length (compares their SHA-256). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
