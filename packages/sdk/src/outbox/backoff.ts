/**
 * Retry delays: exponential backoff with full jitter (so a thousand pages that lost the network
 * at once do not come back at once), never sooner than the server's `Retry-After`.
 */

export type RetryOptions = {
  /** First delay before jitter (ms). */
  baseMs?: number;
  /** Ceiling for one delay (ms). */
  maxMs?: number;
};

export const DEFAULT_RETRY: Required<RetryOptions> = { baseMs: 1_000, maxMs: 5 * 60_000 };

export type BackoffOptions = Required<RetryOptions> & {
  /** Failed attempts so far, 1 after the first failure. */
  attempt: number;
  /** What the server asked for, if anything. */
  retryAfterMs?: number | undefined;
  /** A number in [0, 1); injectable for tests. */
  random?: () => number;
};

export function backoffDelay({ attempt, baseMs, maxMs, retryAfterMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter, with a floor of half the base so retries never spin.
  const jittered = Math.max(baseMs / 2, ceiling * random());
  if (retryAfterMs === undefined) return Math.round(jittered);
  // The server's wait is a minimum; a little jitter on top spreads the herd it just released.
  return Math.round(retryAfterMs + baseMs * random());
}

/**
 * Parses `Retry-After`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns ms from `now`,
 * or `undefined` when absent or unparsable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
