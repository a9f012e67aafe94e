// GET|POST /p/{token}: the preference centre. One button per purpose turns it on or off, so
// withdrawing takes exactly the action granting took, with a button drawn the same (R19, R27, C9). The form is CSRF-protected
// with an HMAC field bound to the page token (C10); a failed check changes nothing and answers
// 403 with a fresh form. Under Sec-GPC: 1 the page shows the opt-out as honoured at once and the
// next POST records it once (R48, B11); GET itself never writes (R42).
import type { Hono } from 'hono';
import type { Locale } from '../platform/i18n/locale.js';
import {
  checkPageForm,
  errorPage,
  gpcOf,
  type HostedContext,
  type HostedEnv,
  type HostedRuntime,
  isOnForThePerson,
  readForm,
  recordPageDecision,
  tokenRoute,
  withChosenLanguage,
} from './hosted-shared.js';
import { policyTextFor, purposeWording } from './policy-text.js';
import { type PreferenceItem, renderPreferencesPage } from './preferences-page.js';

const SCOPE = 'preferences';

async function resolveSubjectRef(rt: HostedRuntime, token: string): Promise<string | undefined> {
  const claims = await rt.deps.subjects.verifyToken(token, { scope: SCOPE });
  if (claims?.scope !== SCOPE) return undefined;
  const subject = await rt.deps.subjects.resolveSubject(claims.subject);
  return subject?.ref;
}

/** Each purpose is its own form and its own record: its words are in its own best language. */
function shownText(rt: HostedRuntime, locale: Locale, purposeId: string) {
  return policyTextFor(rt.deps.policy, locale, [purposeId]);
}

type RenderExtras = { gpcHonored: boolean; saved?: string; expired?: boolean; status?: 200 | 403 };

async function render(
  c: HostedContext,
  rt: HostedRuntime,
  input: { token: string; subjectRef: string; locale: Locale; gpc: boolean },
  extras: RenderExtras,
): Promise<Response> {
  const { policy } = rt.deps;
  const state = await rt.deps.subjects.state(input.subjectRef, { gpc: input.gpc });
  const purposes: PreferenceItem[] = policy.purposes.map((p) => {
    const text = shownText(rt, input.locale, p.id);
    return {
      ...text.purpose(p.id),
      on: isOnForThePerson(state[p.id]),
      required: p.primary,
      foreign: text.foreign,
    };
  });
  const page = renderPreferencesPage({
    locale: input.locale,
    organisation: policy.controller.name,
    nonce: c.get('cspNonce'),
    scriptSrc: rt.scriptSrc,
    policyText: purposes.find((p) => p.foreign)?.foreign,
    purposes,
    csrfToken: rt.csrf.issue(input.token),
    formAction: withChosenLanguage(c, new URL(c.req.url).pathname),
    // bundle/bundle-routes.ts serves it, behind the same token.
    exportHref: withChosenLanguage(c, `${new URL(c.req.url).pathname}/export`),
    // R48 (c)(6): say so whenever the signal has been processed for this person, not only on
    // the visit that carried it.
    gpcHonored: extras.gpcHonored || policy.purposes.some((p) => p.gpc !== undefined && state[p.id]?.reason === 'gpc'),
    saved: extras.saved,
    expired: extras.expired,
  });
  return c.html(page, extras.status ?? 200);
}

export function registerPreferenceRoutes(app: Hono<HostedEnv>, rt: HostedRuntime): void {
  app.get(
    '/p/:token',
    tokenRoute(rt, resolveSubjectRef, async (c, { locale, token, target: subjectRef }) => {
      const gpc = gpcOf(c);
      // GET never writes (link scanners and prefetchers follow GETs, R42): the signal is applied to
      // what this page shows (the rules evaluate with gpc: true), and recorded in the ledger by the
      // next POST from this browser, which carries the same header.
      return render(c, rt, { token, subjectRef, locale, gpc }, { gpcHonored: gpc });
    }),
  );

  app.post(
    '/p/:token',
    tokenRoute(rt, resolveSubjectRef, async (c, { locale, token, target: subjectRef }) => {
      const gpc = gpcOf(c);
      const form = await readForm(c);
      const check = checkPageForm(c, rt, token, form);
      if (check !== 'ok') {
        return render(c, rt, { token, subjectRef, locale, gpc }, { gpcHonored: false, expired: true, status: 403 });
      }
      const purpose = rt.deps.policy.purposes.find((p) => p.id === form?.purpose && !p.primary);
      const granted = form?.granted === 'true' ? true : form?.granted === 'false' ? false : undefined;
      if (!purpose || granted === undefined) return errorPage(c, 400, locale);
      const text = shownText(rt, locale, purpose.id);
      await recordPageDecision(c, rt, {
        subjectRef,
        locale: text.locale,
        page: '/p',
        gpcFlow: 'preference-page',
        flow: 'preference-page',
        method: 'preference-page',
        decisions: [
          { purpose: purpose.id, granted, wording: purposeWording(text.purpose(purpose.id), 'title-and-description') },
        ],
      });
      // The banner says where the purpose now stands, from the state the page is drawn from.
      return render(c, rt, { token, subjectRef, locale, gpc }, { gpcHonored: gpc, saved: purpose.id });
    }),
  );
}
