import { createHmac } from 'node:crypto';
import { ConsentError, findRecipient, type Policy } from '@consentkit/core';
import { type CryptoBox, createCryptoBox } from '../platform/crypto/crypto-box.js';
import type { Queryable } from '../platform/store/store.js';
import { PartnerError } from './partner-error.js';

/**
 * The partner registry: which policy recipients receive webhooks, where, and with which secret.
 * A partner's id is its recipient id in the policy, so the policy stays the one place that says
 * who data goes to; only recipients marked `audited: true` may be registered. Secrets and the
 * pseudonym key are sealed under the master key; the secret itself is shown once (add, rotate).
 */
export type PartnerInfo = {
  readonly id: string;
  readonly endpoint: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly disabledAt: string | null;
  /** While a rotation's grace period runs, the old secret still signs (until this time). */
  readonly previousSecretUntil: string | null;
};

/** What add and rotate-secret return: the secret, never stored in clear and never shown again. */
export type PartnerWithSecret = { readonly partner: PartnerInfo; readonly secret: string };

/** What the worker needs to send: the endpoint and every live secret, newest first. */
export type PartnerCredentials = { readonly endpoint: string; readonly secrets: readonly string[] };

export type AddPartnerInput = { readonly id: string; readonly endpoint: string; readonly policy: Policy };

export type PartnerRegistry = {
  add(q: Queryable, input: AddPartnerInput): Promise<PartnerWithSecret>;
  /** A new secret; the previous one keeps signing for `graceSeconds` (default one day) so the partner can switch. */
  rotateSecret(q: Queryable, id: string, options?: { readonly graceSeconds?: number }): Promise<PartnerWithSecret>;
  /** Disables the partner (the row stays, so its delivery log keeps meaning something). False if unknown. */
  remove(q: Queryable, id: string): Promise<boolean>;
  list(q: Queryable): Promise<PartnerInfo[]>;
  get(q: Queryable, id: string): Promise<PartnerInfo | undefined>;
  /** Endpoint and live secrets of an enabled partner; undefined when unknown or removed. */
  credentials(q: Queryable, id: string): Promise<PartnerCredentials | undefined>;
  /**
   * The subject as this partner sees it: hex HMAC-SHA256(partner's pseudonym key, subject ref).
   * Each partner gets a different id for the same person, so partners cannot join their lists
   * through us; the controller hands it over with the data when sharing is granted.
   */
  pseudonymFor(q: Queryable, id: string, subjectRef: string): Promise<string | undefined>;
};

export type PartnerRegistryOptions = {
  /** The 32-byte master key (CONSENTKIT_MASTER_KEY): seals the secrets. */
  readonly masterKey: Uint8Array;
  readonly now?: () => Date;
};

type SealedSecret = { readonly secret: string; readonly createdAt: string; readonly expiresAt: string | null };

type PartnerRow = {
  id: string;
  endpoint: string;
  sealed_secrets: string;
  sealed_pseudonym_key: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
};

export const PARTNER_SECRET_PREFIX = 'whsec_';
const DEFAULT_GRACE_SECONDS = 24 * 60 * 60;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * https only: the payload is not encrypted beyond TLS. Plain http is allowed to a loopback address
 * for development and tests, where nothing crosses a network.
 */
export function checkEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new PartnerError('invalid-endpoint', `"${endpoint}" is not a URL; give the partner's full https:// URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new PartnerError(
      'invalid-endpoint',
      `the endpoint must be an https:// URL (plain http is accepted only for localhost); got ${url.protocol}//${url.host}`,
    );
  }
  if (url.username || url.password) {
    throw new PartnerError('invalid-endpoint', 'put no credentials in the endpoint URL: the webhook is signed instead');
  }
  return url.toString();
}

/** Refuses a recipient the policy does not name, or does not mark as audited. */
export function checkAuditedRecipient(policy: Policy, id: string): void {
  const recipient = findRecipient(policy, id);
  if (!recipient) {
    const known = policy.recipients.map((r) => r.id).join(', ') || 'none';
    throw new PartnerError(
      'not-a-recipient',
      `"${id}" is not a recipient in policy ${policy.id}@${policy.version} (recipients: ${known}); add it to the policy's "recipients" first`,
    );
  }
  if (!recipient.audited) {
    throw new PartnerError(
      'not-audited',
      `recipient "${id}" is not marked "audited": true in policy ${policy.id}@${policy.version}; only partners whose contract lets us audit them receive data`,
    );
  }
}

const newSecret = () =>
  `${PARTNER_SECRET_PREFIX}${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;

export async function createPartnerRegistry(options: PartnerRegistryOptions): Promise<PartnerRegistry> {
  const box: CryptoBox = createCryptoBox({ key: options.masterKey });
  const now = options.now ?? (() => new Date());
  // The associated data binds each sealed value to its partner and role: copied to another row, it does not open.
  const secretsAad = (id: string) => `partner:${id}:secrets`;
  const pseudonymAad = (id: string) => `partner:${id}:pseudonym`;

  async function openSecrets(row: PartnerRow): Promise<SealedSecret[]> {
    const plain = await box.open(row.sealed_secrets, secretsAad(row.id));
    return JSON.parse(new TextDecoder().decode(plain)) as SealedSecret[];
  }
  const sealSecrets = (id: string, secrets: readonly SealedSecret[]) =>
    box.seal(new TextEncoder().encode(JSON.stringify(secrets)), secretsAad(id));
  const live = (secrets: readonly SealedSecret[], at: Date) =>
    secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > at.getTime());

  async function info(row: PartnerRow): Promise<PartnerInfo> {
    const previous = live(await openSecrets(row), now()).find((s) => s.expiresAt !== null);
    return {
      id: row.id,
      endpoint: row.endpoint,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      disabledAt: row.disabled_at,
      previousSecretUntil: previous?.expiresAt ?? null,
    };
  }

  async function row(q: Queryable, id: string, lock = false): Promise<PartnerRow | undefined> {
    const rows = await q.query<PartnerRow>(`SELECT * FROM partners WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0];
  }

  return {
    async add(q, input) {
      checkAuditedRecipient(input.policy, input.id);
      const endpoint = checkEndpoint(input.endpoint);
      const at = now().toISOString();
      const secret = newSecret();
      const sealed = await sealSecrets(input.id, [{ secret, createdAt: at, expiresAt: null }]);
      const existing = await row(q, input.id, true);
      if (existing && existing.disabled_at === null) {
        throw new PartnerError(
          'already-registered',
          `partner "${input.id}" is already registered; use rotate-secret for a new secret, or remove it first to change the endpoint`,
        );
      }
      if (existing) {
        // Re-enabling keeps the pseudonym key, so the ids the partner already holds stay valid.
        await q.query(
          'UPDATE partners SET endpoint = $2, sealed_secrets = $3, updated_at = $4, disabled_at = NULL WHERE id = $1',
          [input.id, endpoint, sealed, at],
        );
      } else {
        const pseudonymKey = await box.seal(crypto.getRandomValues(new Uint8Array(32)), pseudonymAad(input.id));
        await q.query(
          `INSERT INTO partners (id, endpoint, sealed_secrets, sealed_pseudonym_key, created_at, updated_at, disabled_at)
           VALUES ($1, $2, $3, $4, $5, $5, NULL)`,
          [input.id, endpoint, sealed, pseudonymKey, at],
        );
      }
      const stored = await row(q, input.id);
      if (!stored) throw new ConsentError('internal', 'the partner row vanished inside its own transaction');
      return { partner: await info(stored), secret };
    },

    async rotateSecret(q, id, rotateOptions = {}) {
      const current = await row(q, id, true);
      if (!current || current.disabled_at !== null) {
        throw new PartnerError(
          'unknown-partner',
          `no registered partner "${id}" (consentkit partners list shows them)`,
        );
      }
      const grace = rotateOptions.graceSeconds ?? DEFAULT_GRACE_SECONDS;
      if (!Number.isSafeInteger(grace) || grace < 0)
        throw new ConsentError('invalid-options', 'graceSeconds must be a whole number ≥ 0');
      const at = now();
      const until = new Date(at.getTime() + grace * 1000).toISOString();
      const secret = newSecret();
      // Older secrets end their grace no later than the new one's; grace 0 drops them at once.
      const kept = live(await openSecrets(current), at)
        .map((s) => ({ ...s, expiresAt: s.expiresAt !== null && s.expiresAt < until ? s.expiresAt : until }))
        .filter((s) => grace > 0 && Date.parse(s.expiresAt) > at.getTime());
      const sealed = await sealSecrets(id, [{ secret, createdAt: at.toISOString(), expiresAt: null }, ...kept]);
      await q.query('UPDATE partners SET sealed_secrets = $2, updated_at = $3 WHERE id = $1', [
        id,
        sealed,
        at.toISOString(),
      ]);
      const stored = await row(q, id);
      if (!stored) throw new ConsentError('internal', 'the partner row vanished inside its own transaction');
      return { partner: await info(stored), secret };
    },

    async remove(q, id) {
      const at = now().toISOString();
      const rows = await q.query<{ id: string }>(
        'UPDATE partners SET disabled_at = $2, updated_at = $2 WHERE id = $1 AND disabled_at IS NULL RETURNING id',
        [id, at],
      );
      return rows.length > 0;
    },

    async list(q) {
      const rows = await q.query<PartnerRow>('SELECT * FROM partners ORDER BY id');
      return Promise.all(rows.map(info));
    },

    async get(q, id) {
      const found = await row(q, id);
      return found ? info(found) : undefined;
    },

    async credentials(q, id) {
      const found = await row(q, id);
      if (!found || found.disabled_at !== null) return undefined;
      return { endpoint: found.endpoint, secrets: live(await openSecrets(found), now()).map((s) => s.secret) };
    },

    async pseudonymFor(q, id, subjectRef) {
      const found = await row(q, id);
      if (!found) return undefined;
      const key = await box.open(found.sealed_pseudonym_key, pseudonymAad(id));
      return createHmac('sha256', key).update(subjectRef, 'utf8').digest('hex');
    },
  };
}
