import { findPurpose } from '@consentkit/core';
import { Hono } from 'hono';
import { recordAudit } from '../access/audit-log.js';
import { authenticate, clientIp, principalOf, requireScope } from '../access/require-scope.js';
import type { Ledger } from '../ledger/ledger.js';
import { createSubjectHistories } from '../ledger/subject-histories.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { HttpError } from '../platform/http/errors.js';
import { readJson, validate } from '../platform/http/validate.js';
import type { Store } from '../platform/store/store.js';
import type { PolicyRegistry } from '../policy/policy-registry.js';
import { bulkState } from './bulk-state.js';
import { createFeedCursorCodec } from './feed-cursor.js';
import { SendersError } from './senders-error.js';
import { bulkStateRequestSchema, suppressionsQuerySchema } from './senders-schemas.js';
import { readFeedPage } from './suppression-feed.js';

export type SendersRoutesOptions = {
  readonly store: Store;
  /** Its head lock builds the subject histories when a read finds them behind. */
  readonly ledger: Pick<Ledger, 'withLock'>;
  readonly keyring: Keyring;
  readonly policies: PolicyRegistry;
  /** CONSENTKIT_API_KEY: an admin key from configuration. */
  readonly apiKey: string | undefined;
};

/**
 * For the systems that send the mail: POST /v1/senders/state (bulk "may we?", scope `read`) and
 * GET /v1/senders/suppressions (the feed; `read` gets SHA-256 of addresses, `suppressions` or
 * `admin` the addresses). One audit entry per call, with counts and never an identifier.
 */
export function createSendersRoutes(options: SendersRoutesOptions): Hono {
  const app = new Hono();
  const { store, keyring, policies } = options;
  const cursors = createFeedCursorCodec(keyring.csrfKey);
  const histories = createSubjectHistories({ store, withLock: options.ledger.withLock });
  const read = requireScope({ store, adminKey: options.apiKey, scope: 'read' });

  app.post('/v1/senders/state', read, async (c) => {
    const body = validate(bulkStateRequestSchema, await readJson(c), 'the body');
    const policy = policies.current;
    const unknown = body.purposes.filter((p) => !findPurpose(policy, p));
    if (unknown.length > 0) {
      throw new SendersError(
        'unknown-purpose',
        `purpose ${unknown.map((p) => `"${p}"`).join(', ')} is not in policy ${policy.id}@${policy.version}`,
      );
    }
    const answers = await bulkState(histories, keyring, policy, {
      subjects: body.subjects,
      purposes: body.purposes,
      context: {
        ...(body.jurisdiction ? { jurisdiction: body.jurisdiction } : {}),
        ...(body.gpc === undefined ? {} : { gpc: body.gpc }),
      },
    });
    await recordAudit(store, {
      actor: principalOf(c).actor,
      action: 'senders.query',
      target: null,
      ip: clientIp(c),
      detail: { subjects: answers.length, known: answers.filter((a) => a.known).length, purposes: body.purposes },
    });
    return c.json({
      policy: { id: policy.id, version: policy.version, digest: policies.currentDigest },
      answers,
    });
  });

  app.get('/v1/senders/suppressions', async (c) => {
    const principal = await authenticate(store, options.apiKey, c);
    if (principal.scope !== 'read' && principal.scope !== 'suppressions' && principal.scope !== 'admin') {
      throw new HttpError(403, `this API key has scope "${principal.scope}"; the feed needs "read" or "suppressions"`, {
        code: 'forbidden',
      });
    }
    const query = validate(suppressionsQuerySchema, c.req.query(), 'the query');
    const mayHaveEmail = principal.scope !== 'read';
    if (query.identifiers === 'email' && !mayHaveEmail) {
      throw new HttpError(403, 'addresses in clear need a key with scope "suppressions"; ask for identifiers=sha256', {
        code: 'forbidden',
      });
    }
    const identifiers = query.identifiers ?? (mayHaveEmail ? 'email' : 'sha256');
    const page = await readFeedPage(
      store,
      { keyring, policy: policies.current, cursors },
      { purpose: query.purpose, cursor: query.cursor, identifiers, ...(query.limit ? { limit: query.limit } : {}) },
    );
    await recordAudit(store, {
      actor: principal.actor,
      action: 'senders.suppressions',
      target: null,
      ip: clientIp(c),
      detail: { purpose: page.purpose, changes: page.changes.length, identifiers, position: page.position },
    });
    return c.json({ purpose: page.purpose, changes: page.changes, cursor: page.cursor, more: page.more });
  });
  return app;
}
