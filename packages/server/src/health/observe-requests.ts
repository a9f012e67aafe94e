import type { MiddlewareHandler } from 'hono';
import { HttpError, problemResponse } from '../platform/http/errors.js';
import { clientAddressOf } from '../platform/http/rate-limit-client.js';
import { setResponseHeader } from '../platform/http/response-header.js';
import { clientPrefixOf } from '../platform/observability/client-prefix.js';
import type { Logger } from '../platform/observability/logger.js';
import { requestIdFrom, runInRequestScope } from '../platform/observability/request-scope.js';
import type { Lifecycle } from './lifecycle.js';
import { routeGroupOf } from './route-groups.js';
import type { ServerMetrics } from './server-metrics.js';

/** Seconds a client is told to wait when the server is shutting down (another instance takes over). */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

export type ObserveOptions = {
  readonly lifecycle: Lifecycle;
  readonly metrics: ServerMetrics;
  readonly log: Logger;
  /** As CONSENTKIT_TRUST_PROXY: which address is the client's (only its prefix is logged). */
  readonly trustProxy: number;
};

function unavailable(): Response {
  return problemResponse(
    new HttpError(503, 'the server is shutting down; nothing was stored. Retry after the time in Retry-After.', {
      code: 'shutting-down',
      headers: { 'Retry-After': String(SHUTDOWN_RETRY_AFTER_SECONDS), Connection: 'close' },
    }),
  );
}

/**
 * The first middleware of the app: gives the request its id (X-Request-Id, echoed), runs it in
 * the request scope (so every log line it causes carries the id), refuses it with 503 +
 * Retry-After while the server drains, counts it in flight, answers 503 + Retry-After if the
 * shutdown deadline cuts it off, then counts and logs it by route group (never by path).
 */
export function observeRequests(options: ObserveOptions): MiddlewareHandler {
  const { lifecycle, metrics, log } = options;
  return async (c, next) => {
    const requestId = requestIdFrom(c.req.header('x-request-id'));
    const group = routeGroupOf(c.req.path);
    const probe = group === 'health' || group === 'metrics';
    const started = performance.now();
    await runInRequestScope({ requestId }, async () => {
      log.debug({ method: c.req.method, group }, 'request received');
      if (lifecycle.state !== 'serving' && !probe) {
        c.res = unavailable();
      } else {
        const leave = lifecycle.enter();
        // The handler's promise counts as in flight until it settles, even when the deadline
        // answered for it: the store must not close under a write still running.
        const handled = next().finally(leave);
        const outcome = await lifecycle.untilCut(handled.then(() => 'done' as const));
        if (outcome === 'cut') {
          handled.catch(() => {});
          c.res = unavailable();
        }
      }
      setResponseHeader(c, 'X-Request-Id', requestId);
      const status = c.res.status;
      const seconds = (performance.now() - started) / 1000;
      metrics.request(group, c.req.method, status, seconds);
      if (status === 429) {
        // The rate limiter names its group in RateLimit-Policy: `"ingest";q=…`.
        const limited = /^"([a-z-]+)"/.exec(c.res.headers.get('ratelimit-policy') ?? '')?.[1];
        if (limited) metrics.rateLimited(limited);
      }
      const client = clientPrefixOf(clientAddressOf(c.req.raw.headers, c.env, { trustProxy: options.trustProxy }));
      const line = { method: c.req.method, group, status, ms: Math.round(seconds * 10_000) / 10, client };
      if (status >= 500) log.warn(line, 'request answered');
      else log.info(line, 'request answered');
    });
  };
}
