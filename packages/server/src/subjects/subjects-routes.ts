import { isUuid } from '@consentkit/core';
import { Hono } from 'hono';
import { type AuditAction, type AuditInput, recordAudit } from '../access/audit-log.js';
import { clientIp, principalOf, requireScope } from '../access/require-scope.js';
import type { Ledger } from '../ledger/ledger.js';
import { decodeRecord } from '../ledger/records-of.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { HttpError } from '../platform/http/errors.js';
import { validate } from '../platform/http/validate.js';
import type { Store } from '../platform/store/store.js';
import type { PolicyRegistry } from '../policy/policy-registry.js';
import { eraseSubject } from './erasure.js';
import { findSubjectByName } from './subject-lookup.js';
import type { SubjectService } from './subject-service.js';
import { stateQuerySchema } from './subjects-schemas.js';

export type SubjectsRoutesOptions = {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly ledger: Ledger;
  readonly policies: PolicyRegistry;
  readonly subjects: SubjectService;
  /** CONSENTKIT_API_KEY: an admin key from configuration; stored scoped keys work beside it. */
  readonly apiKey: string | undefined;
};

/**
 * GET /v1/subjects/{ref}/state and /records (scope `read`), DELETE /v1/subjects/{ref} (scope
 * `admin`: erasure). Every successful call is written to the audit trail before it answers, so a
 * read that cannot be logged is not served. `{ref}` is the subject reference the ledger issued, or
 * an email address, looked up through its blind index (the address itself is never stored).
 */
export function createSubjectsRoutes(options: SubjectsRoutesOptions): Hono {
  const app = new Hono();
  const read = requireScope({ store: options.store, adminKey: options.apiKey, scope: 'read' });
  const admin = requireScope({ store: options.store, adminKey: options.apiKey, scope: 'admin' });
  // Erasure needs admin; everything else under /v1/subjects needs read (admin implies it).
  app.use('/v1/subjects/*', (c, next) => (c.req.method === 'DELETE' ? admin(c, next) : read(c, next)));

  // The ref, never the path parameter: a lookup by email must not write the email into the log.
  const auditInput = (c: Parameters<typeof principalOf>[0], action: AuditAction, ref: string): AuditInput => ({
    actor: principalOf(c).actor,
    action,
    target: ref,
    ip: clientIp(c),
  });
  const audit = (c: Parameters<typeof principalOf>[0], action: AuditAction, ref: string) =>
    recordAudit(options.store, auditInput(c, action, ref));

  async function resolve(name: string): Promise<string> {
    const subject = await findSubjectByName(options.store, options.keyring, name);
    if (!subject) throw new HttpError(404, 'no such subject', { code: 'not-found' });
    return subject.ref;
  }

  app.get('/v1/subjects/:ref/state', async (c) => {
    const query = validate(stateQuerySchema, c.req.query(), 'the query');
    const stateOptions = {
      ...(query.jurisdiction ? { jurisdiction: query.jurisdiction } : {}),
      ...(query.gpc ? { gpc: query.gpc === 'true' } : {}),
    };
    const param = c.req.param('ref');
    // By ref (the hot path for senders): existence and history in one indexed query.
    const ref = isUuid(param.toLowerCase()) ? param.toLowerCase() : await resolve(param);
    // The read and its audit entry together (one statement per group of concurrent queries); it
    // resolves only after the entry committed, and writes none for an unknown person.
    const state = await options.subjects.auditedStateOf(ref, auditInput(c, 'subject.state', ref), stateOptions);
    if (!state) throw new HttpError(404, 'no such subject', { code: 'not-found' });
    const { current } = options.policies;
    return c.json({
      subject: ref,
      policy: { id: current.id, version: current.version, digest: options.policies.currentDigest },
      state,
    });
  });

  app.get('/v1/subjects/:ref/records', async (c) => {
    const ref = await resolve(c.req.param('ref'));
    const entries = await options.ledger.historyOf(options.store, ref);
    await audit(c, 'subject.records', ref);
    return c.json({
      subject: ref,
      records: entries.map((e) => ({
        seq: e.seq,
        recordId: e.recordId,
        digest: e.digest,
        receivedAt: e.receivedAt,
        record: decodeRecord(e.jws),
        jws: e.jws,
        receipt: e.receipt,
      })),
    });
  });

  app.delete('/v1/subjects/:ref', async (c) => {
    const ref = await resolve(c.req.param('ref'));
    const erased = await eraseSubject(options.ledger, {
      subjectRef: ref,
      actor: principalOf(c).actor,
      ip: clientIp(c),
    });
    // Erased by a concurrent request between resolve and the lock: the person is gone either way.
    if (!erased) throw new HttpError(404, 'no such subject', { code: 'not-found' });
    return c.json({ erased: true, ...erased });
  });
  return app;
}
