import { createHash } from 'node:crypto';
import { ConsentError, uuidv7 } from '@consentkit/core';
import type { Queryable } from '../platform/store/store.js';

/**
 * Scoped API keys. The secret is 32 random bytes behind a `ck_` prefix (so secret scanners and
 * people recognise it); only its SHA-256 is stored. A plain hash is enough here, unlike a
 * password: the secret has 256 bits of entropy, so there is nothing to brute-force.
 */
/** `attest`: a site's backend vouching for records it received (POST /v1/attestations). `suppressions`:
 * the suppression feed with addresses in clear (senders/); `read` gets their SHA-256. */
export const API_SCOPES = ['ingest', 'read', 'attest', 'admin', 'suppressions'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export type ApiKeyInfo = {
  readonly id: string;
  readonly name: string;
  readonly scope: ApiScope;
  readonly createdAt: string;
  readonly revokedAt: string | null;
};

export type CreatedApiKey = ApiKeyInfo & {
  /** The secret itself: shown once, never stored. */
  readonly key: string;
};

type ApiKeyRow = {
  id: string;
  name: string;
  scope: ApiScope;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
};

export const API_KEY_PREFIX = 'ck_';

export const isApiScope = (value: string): value is ApiScope => (API_SCOPES as readonly string[]).includes(value);

/** admin may do everything; the other scopes only their own thing (read does not imply ingest). */
export const scopeAllows = (held: ApiScope, needed: ApiScope): boolean => held === 'admin' || held === needed;

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

const fromRow = (row: ApiKeyRow): ApiKeyInfo => ({
  id: row.id,
  name: row.name,
  scope: row.scope,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

export async function createApiKey(
  q: Queryable,
  input: { readonly name: string; readonly scope: ApiScope },
): Promise<CreatedApiKey> {
  if (!isApiScope(input.scope))
    throw new ConsentError(
      'invalid-options',
      `unknown scope "${String(input.scope)}" (ingest, read, attest, admin or suppressions)`,
    );
  const name = input.name.trim();
  if (name === '' || name.length > 200)
    throw new ConsentError('invalid-options', 'a key needs a name (1–200 characters)');
  const key = `${API_KEY_PREFIX}${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
  const row: ApiKeyRow = {
    id: uuidv7(),
    name,
    scope: input.scope,
    key_hash: hashApiKey(key),
    created_at: new Date().toISOString(),
    revoked_at: null,
  };
  await q.query(
    'INSERT INTO api_keys (id, name, scope, key_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [row.id, row.name, row.scope, row.key_hash, row.created_at, row.revoked_at],
  );
  return { ...fromRow(row), key };
}

/** Marks a key revoked (kept, so audit entries naming it stay meaningful). False if unknown or already revoked. */
export async function revokeApiKey(q: Queryable, id: string): Promise<boolean> {
  const rows = await q.query<{ id: string }>(
    'UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id',
    [new Date().toISOString(), id],
  );
  return rows.length > 0;
}

export async function listApiKeys(q: Queryable): Promise<ApiKeyInfo[]> {
  const rows = await q.query<ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at, id');
  return rows.map(fromRow);
}

/** The stored key a presented secret hashes to (revoked ones too, so the caller can say "revoked"). */
export async function findApiKey(q: Queryable, key: string): Promise<ApiKeyInfo | undefined> {
  // Only well-formed secrets reach the database; anything else cannot match a stored hash.
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return undefined;
  const rows = await q.query<ApiKeyRow>('SELECT * FROM api_keys WHERE key_hash = $1', [hashApiKey(key)]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}
