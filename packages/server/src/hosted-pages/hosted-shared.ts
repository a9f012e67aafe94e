// What the hosted-page routes share: their dependencies, locale choice, form reading, the
// uniform 404 and the GPC handling. Kept apart from hosted-pages.ts so the route files can
// import it without a cycle.
import { type Policy, type PurposeState, parseSecGpc } from '@consentkit/core';
import type { Context } from 'hono';
import { type Csrf, type CsrfCheck, isCrossSiteRequest } from '../platform/http/csrf.js';
import type { SecureHeadersVariables } from '../platform/http/secure-headers.js';
import { chosenLocale, type Locale, pickLocale } from '../platform/i18n/locale.js';
import { renderErrorPage } from '../platform/pages/error-page.js';
import { renderNotFoundPage } from '../platform/pages/not-found-page.js';
import type { ServerDecision, ServerDecisionMethod, SubjectService } from '../subjects/subject-service.js';

export type HostedPageDeps = {
  policy: Policy;
  subjects: SubjectService;
  /** ≥ 32 bytes; signs the preference form's CSRF field. */
  csrfKey: Uint8Array | string;
  /** The public origin people reach us on (behind a proxy the request URL may differ). */
  publicUrl?: string | undefined;
  now?: (() => Date) | undefined;
  /** Where the widget bundle is served; false to render pages without any script. */
  widgetScript?: string | false | undefined;
};

export type HostedEnv = { Variables: SecureHeadersVariables };
export type HostedContext = Context<HostedEnv>;

export type HostedRuntime = {
  deps: HostedPageDeps;
  csrf: Csrf;
  scriptSrc: string | undefined;
};

export function localeOf(c: HostedContext): Locale {
  return pickLocale({ query: c.req.query('lang'), acceptLanguage: c.req.header('accept-language') });
}

/** The language the person picked with ?lang=, carried into form actions and links. */
export function withChosenLanguage(c: HostedContext, path: string): string {
  const lang = chosenLocale(c.req.query('lang'));
  return lang ? `${path}?lang=${lang}` : path;
}

// PUBLIC_URL's origin, parsed once per configured value rather than on every POST.
const configuredOrigins = new Map<string, string>();

export function publicOrigin(c: HostedContext, deps: HostedPageDeps): string {
  if (deps.publicUrl) {
    let origin = configuredOrigins.get(deps.publicUrl);
    if (origin === undefined) {
      origin = new URL(deps.publicUrl).origin;
      configuredOrigins.set(deps.publicUrl, origin);
    }
    return origin;
  }
  return new URL(c.req.url).origin;
}

/** R45: exactly "1", and any one of several header lines counts. */
export function gpcOf(c: HostedContext): boolean {
  // Repeated header lines arrive joined with ", "; core splits them back into members.
  return parseSecGpc(c.req.raw.headers.get('sec-gpc'));
}

export function notFound(c: HostedContext, locale: Locale = localeOf(c)): Response {
  return c.html(renderNotFoundPage(locale), 404);
}

/** What a token page's handler gets once its token has resolved. */
export type TokenRequest<T> = { locale: Locale; token: string; target: T };

/**
 * A handler for a token page (`/u/:token`, `/p/:token`, `/c/:token`): it resolves the token and
 * answers the one uniform 404 when that fails (forged, altered, expired, another page's, an erased
 * person's: all alike), so each page handles only a token that is its own.
 */
export function tokenRoute<T>(
  rt: HostedRuntime,
  resolve: (rt: HostedRuntime, token: string) => Promise<T | undefined>,
  handle: (c: HostedContext, request: TokenRequest<T>) => Promise<Response>,
): (c: HostedContext) => Promise<Response> {
  return async (c) => {
    const locale = localeOf(c);
    const token = c.req.param('token') ?? '';
    const target = await resolve(rt, token);
    if (target === undefined) return notFound(c, locale);
    return handle(c, { locale, token, target });
  };
}

/** The link to the person's preference centre, in the language they picked. */
export async function preferencesHref(c: HostedContext, rt: HostedRuntime, subjectRef: string): Promise<string> {
  // Issuing a token is stateless (an HMAC), so a GET that links it stays free of side effects.
  const token = await rt.deps.subjects.issueToken({ subjectRef, scope: 'preferences' });
  return withChosenLanguage(c, `/p/${encodeURIComponent(token)}`);
}

export function errorPage(c: HostedContext, status: 400 | 413 | 500, locale: Locale = localeOf(c)): Response {
  return c.html(renderErrorPage(locale, status === 500 ? 'server-error' : 'bad-request'), status);
}

export type FormFields = Record<string, string>;

/**
 * Reads an application/x-www-form-urlencoded or multipart/form-data body (RFC 8058 allows both).
 * Files are ignored; anything else, or a body that does not parse, gives undefined.
 */
export async function readForm(c: HostedContext): Promise<FormFields | undefined> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) {
    return undefined;
  }
  try {
    // An urlencoded body (every one-click POST, RFC 8058) is parsed from its text: on Node the
    // server reads that straight off the socket, where formData() first builds a whole fetch
    // Request around a web stream of it (≈ 8% of a one-click POST's CPU). The same parser either way.
    const form = type.startsWith('application/x-www-form-urlencoded')
      ? new URLSearchParams(await c.req.raw.text())
      : await c.req.raw.formData();
    const fields: FormFields = {};
    for (const [name, value] of form) {
      if (typeof value === 'string' && !(name in fields)) fields[name] = value.trim();
    }
    return fields;
  } catch {
    return undefined;
  }
}

/**
 * The check a hosted page's own form passes before it changes anything (C10): posted from this
 * site (the configured public origin, or the one the request came in on: local runs, tests) and
 * carrying the HMAC field bound to this page's token.
 */
export function checkPageForm(
  c: HostedContext,
  rt: HostedRuntime,
  token: string,
  form: FormFields | undefined,
): CsrfCheck {
  const ownOrigins = [publicOrigin(c, rt.deps), new URL(c.req.url).origin];
  return isCrossSiteRequest(c.req.raw.headers, ownOrigins) ? 'invalid' : rt.csrf.verify(token, form?.csrf);
}

/**
 * Whether a purpose is on as the person sees it on the hosted pages: a grant, or an opt-out
 * purpose with nothing recorded yet, which a sender may act on until the person opts out (the
 * README's `consentkit link` for a new address is that case). Both pages say the same.
 */
export function isOnForThePerson(state: PurposeState | undefined): boolean {
  if (!state) return false;
  return state.status === 'granted' || (state.basis === 'opt-out' && state.reason === 'never-presented');
}

/**
 * Honours an opt-out preference signal for a known person (R48 (c)(1), R50): the policy's GPC
 * purposes are recorded as opted out, once (the ledger writes nothing when nothing changes). A
 * purpose the person explicitly re-consented to while sending GPC stays on (R48 (c)(3), B12):
 * core's rules keep it granted under the signal, so it is left out here.
 */
async function honourGpc(
  rt: HostedRuntime,
  input: { subjectRef: string; locale: string; url: string; flow: string },
): Promise<void> {
  const gpcPurposes = rt.deps.policy.purposes.filter((p) => p.gpc !== undefined);
  if (gpcPurposes.length === 0) return;
  const underSignal = await rt.deps.subjects.state(input.subjectRef, { gpc: true });
  const decisions = gpcPurposes
    .filter((p) => underSignal[p.id]?.status !== 'granted')
    .map((p) => ({ purpose: p.id, granted: false }));
  if (decisions.length === 0) return;
  await rt.deps.subjects.recordServerDecision({
    subjectRef: input.subjectRef,
    decisions,
    method: 'gpc',
    collectionPoint: { url: input.url, flow: input.flow },
    gpc: true,
    locale: input.locale,
  });
}

/**
 * Records what the person chose on a hosted page, at the page's public URL. Under Sec-GPC: 1 the
 * signal is honoured first (R48), so the choice made on the page lands on top of it. Returns
 * whether the signal was there.
 */
export async function recordPageDecision(
  c: HostedContext,
  rt: HostedRuntime,
  input: {
    subjectRef: string;
    /** The language of the words shown (policyTextFor(…).locale), which the records name. */
    locale: string;
    page: '/u' | '/p';
    /** The flow the GPC record names, and the one the person's own record names. */
    gpcFlow: string;
    flow: string;
    method: ServerDecisionMethod;
    decisions: readonly ServerDecision[];
  },
): Promise<boolean> {
  const gpc = gpcOf(c);
  const url = `${publicOrigin(c, rt.deps)}${input.page}`;
  const { subjectRef, locale } = input;
  if (gpc) await honourGpc(rt, { subjectRef, locale, url, flow: input.gpcFlow });
  await rt.deps.subjects.recordServerDecision({
    subjectRef,
    decisions: input.decisions,
    method: input.method,
    collectionPoint: { url, flow: input.flow },
    gpc,
    locale,
  });
  return gpc;
}
