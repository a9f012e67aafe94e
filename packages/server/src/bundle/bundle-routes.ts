import { Hono } from 'hono';
import { recordAudit } from '../access/audit-log.js';
import { clientIp, principalOf, requireScope } from '../access/require-scope.js';
import { HttpError } from '../platform/http/errors.js';
import { secureHeaders } from '../platform/http/secure-headers.js';
import { pickLocale } from '../platform/i18n/locale.js';
import { renderNotFoundPage } from '../platform/pages/not-found-page.js';
import type { LedgerContext } from '../runtime/context.js';
import { findSubjectByName } from '../subjects/subject-lookup.js';
import { signSubjectBundle } from './bundle.js';

export type SubjectExportRoutesOptions = {
  readonly context: LedgerContext;
  /** CONSENTKIT_API_KEY (admin); stored scoped keys work beside it. */
  readonly apiKey: string | undefined;
};

/** The audit actor for a person downloading their own export through their preference link. */
export const PREFERENCE_PAGE_ACTOR = 'preference-page';
const PREFERENCES_SCOPE = 'preferences';

/** A download, never rendered inline: the bundle is a compact JWS (`application/jose`, RFC 7515 §9.2.1). */
function bundleResponse(bundle: string, subjectRef: string): Response {
  return new Response(bundle, {
    headers: {
      'content-type': 'application/jose',
      'content-disposition': `attachment; filename="consentkit-export-${subjectRef}.jws"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  });
}

/**
 * A person's signed export: `GET /v1/subjects/{ref}/export` for staff (scope `read`,
 * audited like every read of personal data), and `GET /p/{token}/export` for the person, behind
 * the same preference-link token as the preference centre. Neither changes any consent state;
 * both leave an audit entry naming the subject ref, never an identifier.
 *
 * Register before the hosted pages: their `/p/*` catch-all would answer this path with a 404.
 */
export function createSubjectExportRoutes(options: SubjectExportRoutesOptions): Hono {
  const { context } = options;
  const app = new Hono();
  const read = requireScope({ store: context.store, adminKey: options.apiKey, scope: 'read' });
  const sign = (subjectRef: string) => signSubjectBundle({ ...context, subjectRef });

  async function resolve(ref: string): Promise<string> {
    const subject = await findSubjectByName(context.store, context.keyring, ref);
    if (!subject) {
      throw new HttpError(
        404,
        'no such subject: pass the subject reference (UUID) or an email address the ledger knows',
        {
          code: 'not-found',
        },
      );
    }
    return subject.ref;
  }

  app.get('/v1/subjects/:ref/export', read, async (c) => {
    const ref = await resolve(c.req.param('ref'));
    const bundle = await sign(ref);
    // Logged before it is served: a read that cannot be logged is not served.
    await recordAudit(context.store, {
      actor: principalOf(c).actor,
      action: 'subject.export',
      target: ref,
      ip: clientIp(c),
      detail: { export: 'signed-bundle' },
    });
    return bundleResponse(bundle, ref);
  });

  app.get('/p/:token/export', secureHeaders(), async (c) => {
    const locale = pickLocale({ query: c.req.query('lang'), acceptLanguage: c.req.header('accept-language') });
    const claims = await context.subjects.verifyToken(c.req.param('token'), { scope: PREFERENCES_SCOPE });
    const subject =
      claims?.scope === PREFERENCES_SCOPE ? await context.subjects.resolveSubject(claims.subject) : undefined;
    // The same 404 page as /p/{token} for any bad token (R42): nothing tells which way it failed.
    if (!subject) return c.html(renderNotFoundPage(locale), 404);
    const bundle = await sign(subject.ref);
    await recordAudit(context.store, {
      actor: PREFERENCE_PAGE_ACTOR,
      action: 'subject.export',
      target: subject.ref,
      ip: clientIp(c),
      detail: { export: 'signed-bundle' },
    });
    return bundleResponse(bundle, subject.ref);
  });
  return app;
}
