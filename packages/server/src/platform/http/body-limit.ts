// hono's bodyLimit, without touching the body when Content-Length already answers. hono's asks
// `c.req.raw.body` first, and on Node that one property makes @hono/node-server build a whole
// fetch Request around a web stream of the socket (≈ 8% of a one-click POST's CPU, bench/benches/
// unsubscribe.mjs); the body is then read through that stream instead of straight off the socket.
// Node's HTTP parser delivers exactly Content-Length bytes, so the header is the body's size.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';

export type BodyLimitOptions = {
  readonly maxSize: number;
  readonly onError: (c: Context) => Response | Promise<Response>;
};

export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const streamed = honoBodyLimit(options);
  return async function bodyLimitByLength(c, next) {
    const length = c.req.header('content-length');
    // Chunked bodies, and a Content-Length beside a Transfer-Encoding, are counted as they stream.
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    const size = Number(length);
    if (!Number.isSafeInteger(size) || size < 0) return streamed(c, next);
    if (size > options.maxSize) return options.onError(c);
    await next();
  };
}
