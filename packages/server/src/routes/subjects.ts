import { Hono } from 'hono';
import { requireApiKey } from '../http/api-key.js';
import { HttpError } from '../http/errors.js';
import { validate } from '../http/validate.js';
import type { Keyring } from '../keys/keyring.js';
import type { Ledger } from '../ledger/ledger.js';
import type { PolicyRegistry } from '../ledger/policies.js';
import { decodeRecord } from '../ledger/records-of.js';
import type { SubjectService } from '../ledger/subject-service.js';
import { blindIndexOf, findSubjectByIndex } from '../ledger/subjects.js';
import type { Store } from '../store/store.js';
import { stateQuerySchema } from './schemas.js';

export type SubjectsRoutesOptions = {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly ledger: Ledger;
  readonly policies: PolicyRegistry;
  readonly subjects: SubjectService;
  readonly apiKey: string | undefined;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET /v1/subjects/{ref}/state and /records, behind the admin API key. `{ref}` is the subject
 * reference the ledger issued, or an email address, looked up through its blind index (the
 * address itself is never stored).
 */
export function createSubjectsRoutes(options: SubjectsRoutesOptions): Hono {
  const app = new Hono();
  app.use('/v1/subjects/*', requireApiKey({ apiKey: options.apiKey }));

  async function resolve(ref: string): Promise<string> {
    const subject = ref.includes('@')
      ? await findSubjectByIndex(options.store, await blindIndexOf(options.keyring, 'email', ref))
      : UUID.test(ref)
        ? await options.subjects.resolveSubject(ref.toLowerCase())
        : undefined;
    if (!subject) throw new HttpError(404, 'no such subject', { code: 'not-found' });
    return subject.ref;
  }

  app.get('/v1/subjects/:ref/state', async (c) => {
    const query = validate(stateQuerySchema, c.req.query(), 'the query');
    const ref = await resolve(c.req.param('ref'));
    const state = await options.subjects.state(ref, {
      ...(query.jurisdiction ? { jurisdiction: query.jurisdiction } : {}),
      ...(query.gpc ? { gpc: query.gpc === 'true' } : {}),
    });
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
  return app;
}
