import { parseInterval } from '@consentkit/core';
// Per-client rate limits for the ingest API and the hosted pages. A token bucket per
// client address, in memory: each instance limits what reaches it, which is the point — the
// limit protects this process's CPU and the store behind it. Several instances behind a load
// balancer each allow the full budget; a shared limit belongs in the proxy in front of them.

/** "N per window": `capacity` requests at once, refilled evenly over `windowMs`. */
export type RateLimit = { readonly limit: number; readonly windowMs: number };

/** A limit, or `off` (no limiting on that route group). */
export type RateLimitSetting = RateLimit | 'off';

export type RateDecision = {
  readonly allowed: boolean;
  /** Requests left in the bucket after this one (0 when refused). */
  readonly remaining: number;
  /** Seconds until one more request is allowed (0 when some are left). */
  readonly retryAfterSeconds: number;
  /** Seconds until the bucket is full again (the RateLimit header's `t` when allowed). */
  readonly resetSeconds: number;
};

export type RateLimiter = {
  readonly limit: RateLimit;
  /** Takes one token for `key` and says whether the request may go on. */
  take(key: string): RateDecision;
  /** Buckets held right now (bounded by `maxKeys`). */
  readonly size: number;
};

export type RateLimiterOptions = {
  readonly limit: RateLimit;
  /**
   * Most client buckets held at once. Beyond it the least recently seen bucket goes: that client
   * starts again with a full bucket, which is the price of bounded memory (about 100 bytes a
   * bucket, so the default costs a few MB at most).
   */
  readonly maxKeys?: number;
  readonly now?: () => number;
};

export const DEFAULT_MAX_KEYS = 50_000;

type Bucket = { tokens: number; at: number };

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit } = options;
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const now = options.now ?? Date.now;
  const perMs = limit.limit / limit.windowMs;
  // A Map iterates in insertion order; re-inserting on every hit keeps it least-recently-seen
  // first, so eviction is O(1) from the front.
  const buckets = new Map<string, Bucket>();

  return {
    limit,
    get size() {
      return buckets.size;
    },
    take(key) {
      const t = now();
      const previous = buckets.get(key);
      const bucket: Bucket = previous
        ? { tokens: Math.min(limit.limit, previous.tokens + (t - previous.at) * perMs), at: t }
        : { tokens: limit.limit, at: t };
      buckets.delete(key);
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      buckets.set(key, bucket);
      while (buckets.size > maxKeys) {
        const oldest = buckets.keys().next().value;
        if (oldest === undefined) break;
        buckets.delete(oldest);
      }
      const missing = limit.limit - bucket.tokens;
      return {
        allowed,
        remaining: Math.floor(bucket.tokens),
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)),
        resetSeconds: Math.ceil(missing / perMs / 1000),
      };
    },
  };
}

/**
 * Parses the configuration form: `off`, or `N/window` where the window is a duration (core's one
 * parser) or a bare unit — `600/min`, `600/1m`, `50/10s`. Returns a message saying what is expected
 * when the text is not one of these.
 */
export function parseRateLimit(text: string): RateLimitSetting | { readonly error: string } {
  const value = text.trim().toLowerCase();
  if (value === 'off') return 'off';
  const match = /^(\d{1,9})\s*\/\s*(\S+)$/.exec(value);
  const limit = Number(match?.[1]);
  if (!match?.[2] || limit < 1)
    return { error: 'must be "off" or "N/window" such as 600/min, 600/1m or 50/10s (N ≥ 1)' };
  const window = /^[a-z]+$/.test(match[2]) ? `1${match[2]}` : match[2];
  try {
    return { limit, windowMs: parseInterval(window, { min: 100, max: 86_400_000 }) };
  } catch {
    return { error: 'the window must be a duration between 100ms and 24h, as in 600/min, 600/1m or 50/10s' };
  }
}
