import { isUuid } from '@consentkit/core';
import { type Context, Hono } from 'hono';
import { type AuditAction, recordAudit } from '../access/audit-log.js';
import { clientIp, principalOf, requireScope } from '../access/require-scope.js';
import { decodeRecord } from '../ledger/records-of.js';
import { HttpError } from '../platform/http/errors.js';
import { readJson, validate } from '../platform/http/validate.js';
import type { LedgerContext } from '../runtime/context.js';
import { findSubjectByName } from '../subjects/subject-lookup.js';
import { noQuerySchema, purposesQuerySchema, subjectLookupRequestSchema } from './admin-schemas.js';
import {
  ADMIN_HEADERS,
  ADMIN_SCRIPT_PATH,
  DEFAULT_ADMIN_BUNDLE,
  readAdminBundle,
  renderAdminShell,
} from './admin-shell.js';
import { createLedgerStats } from './ledger-stats.js';
import { createLedgerStatusCache } from './ledger-status.js';
import { badgesFor } from './record-badges.js';

export type AdminRoutesOptions = LedgerContext & {
  /** CONSENTKIT_API_KEY: an admin key from configuration; stored scoped keys work beside it. */
  readonly apiKey: string | undefined;
  /** The built dashboard bundle; default packages/admin/dist/admin.js. */
  readonly bundleFile?: string;
  /** How long an unchanged ledger's verification is reused (default 60 s). */
  readonly verifyMaxAgeMs?: number;
};

const MAX_DAYS = 366;

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const shiftDay = (day: string, by: number) => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + by);
  return date.toISOString().slice(0, 10);
};

/**
 * The /admin dashboard: the page and its bundle (no key: they hold nothing), and its JSON API
 * under /v1/admin (scope `read`, which `admin` implies). Every answer is written to the audit
 * trail before it is sent, like the subjects API: a read that cannot be logged is not served.
 * GETs change nothing; the subject lookup is a POST only so the email travels in the body, never
 * in a URL (access logs, proxies, browser history).
 */
export function createAdminRoutes(options: AdminRoutesOptions): Hono {
  const app = new Hono();
  const { store } = options;
  const bundleFile = options.bundleFile ?? DEFAULT_ADMIN_BUNDLE;
  const stats = createLedgerStats({ store });
  const status = createLedgerStatusCache({
    store,
    ledger: options.ledger,
    keyring: options.keyring,
    ...(options.verifyMaxAgeMs !== undefined ? { maxAgeMs: options.verifyMaxAgeMs } : {}),
  });

  const shell = (c: Context) =>
    c.body(renderAdminShell(), 200, { ...ADMIN_HEADERS, 'content-type': 'text/html; charset=utf-8' });
  app.get('/admin', shell);
  app.get('/admin/', shell);
  app.get(ADMIN_SCRIPT_PATH, () => {
    const bundle = readAdminBundle(bundleFile);
    if (!bundle) {
      throw new HttpError(404, 'the admin dashboard is not built: run `node packages/admin/scripts/build.mjs`', {
        code: 'not-found',
      });
    }
    return new Response(new Uint8Array(bundle), {
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      },
    });
  });

  app.use('/v1/admin/*', requireScope({ store, adminKey: options.apiKey, scope: 'read' }));
  const audit = (
    c: Context,
    action: AuditAction,
    target: string | null,
    detail: Record<string, string | number | boolean | null>,
  ) => recordAudit(store, { actor: principalOf(c).actor, action, target, ip: clientIp(c), detail });

  app.get('/v1/admin/stats/purposes', async (c) => {
    const query = validate(purposesQuerySchema, c.req.query(), 'the query');
    const to = query.to ?? new Date().toISOString().slice(0, 10);
    const from = query.from ?? shiftDay(to, -29);
    if (from > to) {
      throw new HttpError(400, `from (${from}) is after to (${to}): swap them`, {
        code: 'invalid-request',
        issues: [{ path: ['from'], message: 'must not be after to' }],
      });
    }
    if (daysBetween(from, to) + 1 > MAX_DAYS) {
      throw new HttpError(400, `ask for at most ${MAX_DAYS} days at a time (from ${from} to ${to} is more)`, {
        code: 'invalid-request',
        issues: [{ path: ['to'], message: `at most ${MAX_DAYS} days after from` }],
      });
    }
    const series = await stats.purposeSeries({ from, to });
    await audit(c, 'admin.stats', null, { stats: 'purposes', from, to });
    return c.json({ from, to, bucket: 'day', throughSeq: stats.seq, days: series });
  });

  app.get('/v1/admin/stats/collection-points', async (c) => {
    validate(noQuerySchema, c.req.query(), 'the query');
    const points = await stats.collectionPoints();
    await audit(c, 'admin.stats', null, { stats: 'collection-points' });
    return c.json({
      throughSeq: stats.seq,
      collectionPoints: points.map((p) => ({
        ...p,
        // null rather than 0 when nothing could be opted out of there: "no data" is not "no one".
        optOutRate: p.optOutDecisions === 0 ? null : p.optedOut / p.optOutDecisions,
      })),
    });
  });

  app.get('/v1/admin/ledger-status', async (c) => {
    validate(noQuerySchema, c.req.query(), 'the query');
    const result = await status.current();
    await audit(c, 'admin.ledger-status', null, { ok: result.ok, headSeq: result.headSeq, cached: result.cached });
    return c.json(result);
  });

  app.post('/v1/admin/subject-lookup', async (c) => {
    const { query } = validate(subjectLookupRequestSchema, await readJson(c), 'the body');
    const byEmail = query.includes('@');
    if (!byEmail && !isUuid(query.toLowerCase())) {
      throw new HttpError(400, 'give an email address or a subject reference (a UUID the ledger issued)', {
        code: 'invalid-request',
        issues: [{ path: ['query'], message: 'neither an email address nor a UUID' }],
      });
    }
    const subject = await findSubjectByName(store, options.keyring, query);
    // A miss is logged too: "is this address in the ledger?" is itself a question about a person.
    // Never the email itself, only how it was asked.
    await audit(c, 'subject.records', subject?.ref ?? null, {
      via: 'admin-lookup',
      by: byEmail ? 'email' : 'ref',
      found: subject !== undefined,
    });
    if (!subject) throw new HttpError(404, 'no subject matches that email address or reference', { code: 'not-found' });
    const entries = await options.ledger.historyOf(store, subject.ref);
    const [badges, state] = await Promise.all([
      badgesFor(store, entries, await options.keyring.publicJwks()),
      options.subjects.state(subject.ref),
    ]);
    return c.json({
      subject: subject.ref,
      createdAt: subject.createdAt,
      state,
      records: entries.map((e, i) => {
        const record = decodeRecord(e.jws);
        return {
          seq: e.seq,
          recordId: e.recordId,
          receivedAt: e.receivedAt,
          issuedAt: record.issuedAt,
          method: record.method,
          collectionPoint: record.collectionPoint,
          decisions: record.decisions.map((d) => ({ purpose: d.purpose, granted: d.granted, basis: d.basis })),
          badges: badges[i],
        };
      }),
    });
  });
  return app;
}
