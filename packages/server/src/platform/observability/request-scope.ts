import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a piece of code runs for, carried through every await (AsyncLocalStorage), so a log
 * line written deep inside a feature carries the request id without the id being passed down.
 */
export type RequestScope = { readonly requestId: string };

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The id of the request being served, undefined outside one (start-up, background jobs). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

// Ids a client may send: short, and no characters that could smuggle a line break, an email
// address or markup into a log. Anything else is replaced by an id of our own.
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The request id to use: the client's `X-Request-Id` when it is well-formed, else a new UUID. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && CLIENT_REQUEST_ID.test(header) ? header : crypto.randomUUID();
}
