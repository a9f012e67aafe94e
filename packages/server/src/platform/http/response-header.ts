import type { Context } from 'hono';

/**
 * Sets a header on the answer a handler already made, from a middleware after `next()`. On the
 * response's own headers: Hono's `c.header()` at that point reads the response's `bodyUsed` and
 * `body` to make a new one, which turns @hono/node-server's plain string response into a web
 * stream the adapter then pipes (an undici Response, a ReadableStream, a copy per chunk) instead
 * of writing the string at once. Headers that cannot change (a fetched or redirect response)
 * fall back to `c.header()`.
 */
export function setResponseHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}
