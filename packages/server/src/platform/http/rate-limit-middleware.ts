// The rate limits as Hono middleware, registered by app.ts ahead of the routes they guard, so a
// refused request never reaches a handler (nothing is read, verified or stored). Four groups:
//   ingest     POST /v1/records
//   hosted     GET/HEAD /u/*, everything on /p/* and /c/* (the pages people open, the preference
//              and confirmation forms)
//   one-click  POST /u/* (RFC 8058 one-click from mail providers, and the page's own button)
//   log        GET/HEAD /v1/log/* (the public transparency log: checkpoints and proofs). Its own
//              bucket: an auditor or witness fetching proofs must not spend a person's page
//              budget behind the same address, and a proof costs more than a page (tree reads).
// One-click has its own, larger budget: mailbox providers send every recipient's unsubscribe
// from a handful of addresses, and a refused unsubscribe is a legal problem (R42/R43), while
// each request costs only a token check and an idempotent write.
import type { Context, MiddlewareHandler } from 'hono';
import { pickLocale } from '../i18n/locale.js';
import { HttpError, problemResponse } from './errors.js';
import { createRateLimiter, type RateDecision, type RateLimiter, type RateLimitSetting } from './rate-limit.js';
import { clientAddressOf } from './rate-limit-client.js';
import { renderRateLimitPage } from './rate-limit-page.js';
import { contentSecurityPolicy, createNonce } from './secure-headers.js';

export type RateLimitGroup = 'ingest' | 'hosted' | 'one-click' | 'log';

export type RateLimitOptions = {
  readonly ingest: RateLimitSetting;
  readonly hosted: RateLimitSetting;
  readonly oneClick: RateLimitSetting;
  readonly log: RateLimitSetting;
  /** Proxies in front that append to X-Forwarded-For (0: use the socket address). */
  readonly trustProxy?: number;
  /** Most client buckets per group (see createRateLimiter). */
  readonly maxKeys?: number;
  readonly now?: () => number;
};

/** The policy headers of draft-ietf-httpapi-ratelimit-headers (structured fields). */
function rateHeaders(group: RateLimitGroup, limiter: RateLimiter, decision: RateDecision): Record<string, string> {
  const { limit, windowMs } = limiter.limit;
  return {
    'RateLimit-Policy': `"${group}";q=${limit};w=${Math.max(1, Math.round(windowMs / 1000))}`,
    RateLimit: `"${group}";r=${decision.remaining};t=${decision.allowed ? decision.resetSeconds : decision.retryAfterSeconds}`,
  };
}

function refuseJson(group: RateLimitGroup, limiter: RateLimiter, decision: RateDecision): Response {
  const { limit, windowMs } = limiter.limit;
  return problemResponse(
    new HttpError(
      429,
      `too many requests from this address (${group}: at most ${limit} per ${windowMs / 1000} s). ` +
        `Nothing was stored; retry after ${decision.retryAfterSeconds} s, and send records in batches rather than one by one.`,
      {
        code: 'rate-limited',
        headers: { 'Retry-After': String(decision.retryAfterSeconds), ...rateHeaders(group, limiter, decision) },
      },
    ),
  );
}

/** The hosted pages' friendly 429, with the same strict headers as every hosted page. */
function refuseHtml(c: Context, group: RateLimitGroup, limiter: RateLimiter, decision: RateDecision): Response {
  const locale = pickLocale({ query: c.req.query('lang'), acceptLanguage: c.req.header('accept-language') });
  return new Response(renderRateLimitPage(locale, decision.retryAfterSeconds), {
    status: 429,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'Retry-After': String(decision.retryAfterSeconds),
      ...rateHeaders(group, limiter, decision),
      'Content-Security-Policy': contentSecurityPolicy(createNonce()),
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
    },
  });
}

export type RateLimits = {
  /** Middleware for one group; a pass-through when that group is `off`. */
  middleware(group: RateLimitGroup, respond: 'json' | 'html'): MiddlewareHandler;
  /** The limiter of a group (undefined when off), for tests and metrics. */
  limiter(group: RateLimitGroup): RateLimiter | undefined;
};

export function createRateLimits(options: RateLimitOptions): RateLimits {
  const settings: Record<RateLimitGroup, RateLimitSetting> = {
    ingest: options.ingest,
    hosted: options.hosted,
    'one-click': options.oneClick,
    log: options.log,
  };
  const limiters = new Map<RateLimitGroup, RateLimiter>();
  for (const [group, setting] of Object.entries(settings) as [RateLimitGroup, RateLimitSetting][]) {
    if (setting === 'off') continue;
    limiters.set(
      group,
      createRateLimiter({
        limit: setting,
        ...(options.maxKeys ? { maxKeys: options.maxKeys } : {}),
        ...(options.now ? { now: options.now } : {}),
      }),
    );
  }
  const trustProxy = options.trustProxy ?? 0;
  return {
    limiter: (group) => limiters.get(group),
    middleware(group, respond) {
      const limiter = limiters.get(group);
      return async function rateLimitMiddleware(c, next) {
        if (!limiter) return next();
        const decision = limiter.take(clientAddressOf(c.req.raw.headers, c.env, { trustProxy }));
        if (!decision.allowed) {
          return respond === 'json' ? refuseJson(group, limiter, decision) : refuseHtml(c, group, limiter, decision);
        }
        await next();
        for (const [name, value] of Object.entries(rateHeaders(group, limiter, decision)))
          c.res.headers.set(name, value);
      };
    },
  };
}
