import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { scopeAllows } from '../access/api-keys.js';
import { authenticate } from '../access/require-scope.js';
import { HttpError } from '../platform/http/errors.js';
import { readJson, validate } from '../platform/http/validate.js';
import type { Queryable } from '../platform/store/store.js';
import type { IngestCaller, Ingestor } from './ingest.js';
import { recordsRequestSchema } from './records-schemas.js';

export type RecordsRoutesOptions = {
  readonly ingestor: Ingestor;
  readonly maxBodyBytes?: number;
  readonly maxBatch?: number;
  /** Where API keys are checked: a caller that presents one is the site's backend (`site` assurance). */
  readonly keys: { readonly store: Queryable; readonly adminKey: string | undefined };
  /**
   * CONSENTKIT_INGEST_REQUIRES_KEY: demand a key with scope `ingest` (or `admin`). Off by default
   * because browsers post records here and cannot keep a secret.
   */
  readonly requireKey?: boolean;
};

const presentsKey = (c: Context) =>
  (c.req.header('authorization') ?? '').trim() !== '' || (c.req.header('x-api-key') ?? '').trim() !== '';

/**
 * POST /v1/records: a batch of signed records. Every record gets its own answer (accepted with a
 * receipt, or rejected with a code); one bad record never sinks the batch. Only a body that is
 * not a batch at all, or one past the limits, fails as a whole (400 / 413).
 */
export function createRecordsRoutes(options: RecordsRoutesOptions): Hono {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxBatch = options.maxBatch ?? 100;
  const app = new Hono();

  /** `site` for a valid key that may ingest, `device` for no key; a bad key is refused, never ignored. */
  async function callerOf(c: Context): Promise<IngestCaller> {
    if (!presentsKey(c) && !options.requireKey) return 'device';
    const principal = await authenticate(options.keys.store, options.keys.adminKey, c);
    if (!scopeAllows(principal.scope, 'ingest')) {
      throw new HttpError(
        403,
        `this API key has scope "${principal.scope}"; posting records needs "ingest" (or "admin")`,
        {
          code: 'forbidden',
        },
      );
    }
    return 'site';
  }

  app.post(
    '/v1/records',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new HttpError(413, `the body is larger than ${maxBodyBytes} bytes; send smaller batches`, {
          code: 'payload-too-large',
        });
      },
    }),
    async (c) => {
      const caller = await callerOf(c);
      // text/plain: the SDK's page-hide beacons (pageHide: 'beacon', packages/sdk/README.md).
      const raw = await readJson(c, ['application/json', 'text/plain']);
      const count = typeof raw === 'object' && raw !== null ? (raw as { records?: unknown }).records : undefined;
      if (Array.isArray(count) && count.length > maxBatch) {
        throw new HttpError(413, `a batch holds at most ${maxBatch} records; this one has ${count.length}`, {
          code: 'batch-too-large',
        });
      }
      const body = validate(recordsRequestSchema, raw, 'the records batch');
      const results = await options.ingestor.ingest(body.records, { caller });
      return c.json({ results }, 200);
    },
  );
  return app;
}
