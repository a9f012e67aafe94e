import { createHash, timingSafeEqual } from 'node:crypto';
import { ConsentError } from '@consentkit/core';
import type { Context, MiddlewareHandler } from 'hono';
import { HttpError } from '../platform/http/errors.js';
import type { Queryable } from '../platform/store/store.js';
import { type ApiScope, findApiKey, scopeAllows } from './api-keys.js';

/**
 * Who is calling: the key id the audit log names, and the scope the key holds. The configured
 * CONSENTKIT_API_KEY stays an admin key (existing deployments and tests rely on it).
 */
export type Principal = { readonly actor: string; readonly scope: ApiScope };

export const CONFIG_ADMIN_ACTOR = 'config-admin-key';

export type RequireScopeOptions = {
  readonly store: Queryable;
  /** CONSENTKIT_API_KEY, an admin key from configuration; optional now that keys live in the store. */
  readonly adminKey: string | undefined;
  readonly scope: ApiScope;
};

// Comparing fixed-length digests keeps the comparison constant-time whatever the key length.
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The presented key: `Authorization: Bearer <key>` or `X-API-Key: <key>` (never the query string). */
function presented(authorization: string | undefined, header: string | undefined): string | undefined {
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? header?.trim();
}

const CHALLENGE = { 'www-authenticate': 'Bearer realm="consentkit"' };
const unauthorized = (message: string) => new HttpError(401, message, { code: 'unauthorized', headers: CHALLENGE });

/** Resolves the caller or throws the 401 that says why. */
export async function authenticate(store: Queryable, adminKey: string | undefined, c: Context): Promise<Principal> {
  const key = presented(c.req.header('authorization'), c.req.header('x-api-key'));
  if (key === undefined || key === '') {
    throw unauthorized('an API key is required: send Authorization: Bearer <key> (or X-API-Key: <key>)');
  }
  if (adminKey !== undefined && timingSafeEqual(digest(key), digest(adminKey))) {
    return { actor: CONFIG_ADMIN_ACTOR, scope: 'admin' };
  }
  const stored = await findApiKey(store, key);
  if (!stored) throw unauthorized('the API key is not valid (unknown key)');
  if (stored.revokedAt !== null) throw unauthorized(`the API key ${stored.id} was revoked at ${stored.revokedAt}`);
  return { actor: `key:${stored.id}`, scope: stored.scope };
}

/** Hono middleware: 401 for no, unknown or revoked key; 403 for a key without the scope. */
export function requireScope(options: RequireScopeOptions): MiddlewareHandler {
  return async (c, next) => {
    const principal = await authenticate(options.store, options.adminKey, c);
    if (!scopeAllows(principal.scope, options.scope)) {
      throw new HttpError(
        403,
        `this API key has scope "${principal.scope}"; this endpoint needs "${options.scope}" (or "admin")`,
        { code: 'forbidden' },
      );
    }
    c.set('principal', principal);
    await next();
  };
}

/** The caller requireScope let through (routes read it for the audit log). */
export function principalOf(c: Context): Principal {
  const principal: unknown = c.get('principal');
  if (typeof principal !== 'object' || principal === null)
    throw new ConsentError('internal', 'requireScope did not run on this route');
  return principal as Principal;
}

type IncomingLike = { readonly incoming?: { readonly socket?: { readonly remoteAddress?: string } } };

/**
 * The peer address as the socket saw it (@hono/node-server puts the Node request on `c.env`).
 * X-Forwarded-For is not trusted: any client can write it, and an audit trail must not be forgeable.
 * In-process requests (tests, app.request) have no socket: null.
 */
export function clientIp(c: Context): string | null {
  const env = c.env as IncomingLike | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}
