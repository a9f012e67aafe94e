/**
 * Retrying over HTTP, once for every client of ours (the SDK's outbox, the partner webhook worker):
 * exponential backoff with jitter, so a thousand clients that failed at once do not come back at
 * once, and never sooner than the server's `Retry-After`.
 */

export type BackoffOptions = {
  /** Failed attempts so far: 1 after the first failure. */
  readonly attempt: number;
  /** First delay before jitter (ms). */
  readonly baseMs: number;
  /** Ceiling for one delay before jitter (ms). */
  readonly maxMs: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
  /**
   * `'full'` (default): uniform in [baseMs / 2, ceiling], the floor so retries never spin.
   * A number j in [0, 1]: uniform in [(1 − j) · ceiling, ceiling].
   */
  readonly jitter?: 'full' | number;
  /** What the server asked for (`parseRetryAfter`); the delay is then at least that. */
  readonly retryAfterMs?: number | undefined;
  /** A number in [0, 1); injectable for tests. */
  readonly random?: () => number;
};

/** The delay after failed attempt `attempt`, before jitter. */
export function backoffCeiling(options: Pick<BackoffOptions, 'attempt' | 'baseMs' | 'maxMs' | 'factor'>): number {
  const factor = options.factor ?? 2;
  return Math.min(options.maxMs, options.baseMs * factor ** Math.max(0, options.attempt - 1));
}

/** The delay before the next attempt, in whole ms. */
export function backoffDelay(options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  if (options.retryAfterMs !== undefined) {
    // The server's wait is a minimum; a little jitter on top spreads the herd it just released.
    return Math.round(options.retryAfterMs + options.baseMs * random());
  }
  const ceiling = backoffCeiling(options);
  const jitter = options.jitter ?? 'full';
  if (jitter === 'full') return Math.round(Math.max(options.baseMs / 2, ceiling * random()));
  return Math.round(ceiling * (1 - jitter * random()));
}

/**
 * Parses `Retry-After`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns ms from `now`,
 * or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
