import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../access/audit-log.js';
import { clientIp, principalOf, requireScope } from '../access/require-scope.js';
import { HttpError } from '../platform/http/errors.js';
import { readJson, validate } from '../platform/http/validate.js';
import type { LedgerContext } from '../runtime/context.js';
import { createUnsubscribeLinker } from './list-unsubscribe.js';

export const linksRequestSchema = z
  .object({
    email: z.email(),
    purpose: z.string().min(1).describe('a purpose id from the policy, or * for every optional purpose'),
    lang: z
      .string()
      .max(256)
      .regex(/^[A-Za-z0-9*,;=. -]+$/, 'use a BCP 47 language tag such as "fr" or "pt-BR", or an Accept-Language value')
      .optional()
      .describe(
        'the recipient’s language (a BCP 47 tag or an Accept-Language value): the footer is in it, and the links open the pages in it; unknown languages get English',
      ),
  })
  .strict()
  .meta({ id: 'LinksRequest' });

export const linksResponseSchema = z
  .object({
    subjectRef: z.string(),
    unsubscribeUrl: z.string(),
    preferencesUrl: z.string(),
    confirmations: z
      .array(z.object({ purpose: z.string(), recordId: z.string(), url: z.string() }))
      .describe(
        'a confirmation link (/c/{token}) for each pending grant of the purpose (every optional purpose for *): the grant counts once the person confirms it there',
      ),
    headers: z.object({
      'List-Unsubscribe': z.string(),
      'List-Unsubscribe-Post': z.literal('List-Unsubscribe=One-Click'),
    }),
    headerLines: z.array(z.string()),
    footer: z
      .object({
        lang: z.string(),
        dir: z.enum(['ltr', 'rtl']),
        sentBy: z.string(),
        unsubscribe: z.string(),
        preferences: z.string(),
      })
      .describe('the mail footer’s words in the recipient’s language (docs/languages.md)'),
  })
  .meta({ id: 'LinksResponse' });

export type LinksRoutesOptions = {
  readonly context: LedgerContext;
  readonly apiKey: string | undefined;
  readonly publicUrl: string;
  readonly mailto?: string | undefined;
};

/**
 * POST /v1/links (scope `read`: a mailer that checks state before sending holds read anyway): what
 * a sender puts in an email for an address and a purpose, including a confirmation link for each
 * pending grant (confirmed opt-in; the ledger sends no mail) — the same as `consentkit link`, over
 * HTTP, so a mailer need not open the ledger's store itself.
 */
export function createLinksRoutes(options: LinksRoutesOptions): Hono {
  const linker = createUnsubscribeLinker({
    context: options.context,
    publicUrl: options.publicUrl,
    mailto: options.mailto,
  });
  const app = new Hono();
  app.use('/v1/links', requireScope({ store: options.context.store, adminKey: options.apiKey, scope: 'read' }));
  app.post('/v1/links', async (c) => {
    const body = validate(linksRequestSchema, await readJson(c), 'the links request');
    const purposes = options.context.policies.current.purposes;
    if (body.purpose !== '*' && !purposes.some((p) => p.id === body.purpose)) {
      throw new HttpError(400, `purpose "${body.purpose}" is not in the current policy`, { code: 'unknown-purpose' });
    }
    const links = await linker.linksFor(body);
    // It tells the caller which subject an address is: an access to personal data, so it is logged.
    await recordAudit(options.context.store, {
      actor: principalOf(c).actor,
      action: 'links.create',
      target: links.subjectRef,
      ip: clientIp(c),
      detail: { purpose: body.purpose },
    });
    return c.json(links);
  });
  return app;
}
