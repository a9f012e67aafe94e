// GET|HEAD|POST /u/{token}: the hosted unsubscribe page and the RFC 8058 one-click endpoint.
// GET and HEAD never change anything (mail scanners and prefetchers follow links, R42); the POST
// (the page's button or a mailbox provider) unsubscribes at once with a 200, no redirect, no
// cookie, no login, and repeats change nothing more (R41, R42). No CSRF check here: RFC 8058
// posts carry no context, so the token in the URL is the only credential (R41, C10).
import { ConsentError } from '@consentkit/core';
import type { Hono } from 'hono';
import type { Locale } from '../platform/i18n/locale.js';
import {
  errorPage,
  type HostedContext,
  type HostedEnv,
  type HostedRuntime,
  isOnForThePerson,
  notFound,
  preferencesHref,
  readForm,
  recordPageDecision,
  tokenRoute,
  withChosenLanguage,
} from './hosted-shared.js';
import { type PolicyText, policyTextFor, purposeWording } from './policy-text.js';
import { renderUnsubscribePage } from './unsubscribe-page.js';

const SCOPE_PREFIX = 'unsubscribe:';

type Target = { subjectRef: string; purposes: string[] };

/**
 * The token's scope names what the link unsubscribes from: `unsubscribe:<purpose>` or
 * `unsubscribe:*` (every purpose the person can turn off). Anything else is not ours: 404.
 * Whether the person still exists is asked by each handler in the read it needs anyway (the
 * state, or the decision's own read), so a one-click POST reads the person once.
 */
async function resolveTarget(rt: HostedRuntime, token: string): Promise<Target | undefined> {
  const claims = await rt.deps.subjects.verifyToken(token);
  if (!claims?.scope.startsWith(SCOPE_PREFIX)) return undefined;
  const wanted = claims.scope.slice(SCOPE_PREFIX.length);
  const { policy } = rt.deps;
  const purposes =
    wanted === '*'
      ? policy.purposes.filter((p) => !p.primary).map((p) => p.id)
      : policy.purposes.filter((p) => p.id === wanted).map((p) => p.id);
  if (purposes.length === 0) return undefined;
  return { subjectRef: claims.subject, purposes };
}

function render(
  c: HostedContext,
  rt: HostedRuntime,
  locale: Locale,
  text: PolicyText,
  view: {
    target: Target;
    subscribedTo: readonly string[];
    stage: 'ask' | 'done' | 'already';
    gpcHonored: boolean;
    prefs: string | undefined;
  },
): Response {
  return c.html(
    renderUnsubscribePage({
      locale,
      organisation: rt.deps.policy.controller.name,
      nonce: c.get('cspNonce'),
      scriptSrc: rt.scriptSrc,
      policyText: text.foreign,
      purposes: view.target.purposes.map((id) => text.purpose(id).title),
      subscribedTo: view.subscribedTo.map((id) => text.purpose(id).title),
      stage: view.stage,
      gpcHonored: view.gpcHonored,
      formAction: withChosenLanguage(c, new URL(c.req.url).pathname),
      preferencesHref: view.prefs,
    }),
    200,
  );
}

export function registerUnsubscribeRoutes(app: Hono<HostedEnv>, rt: HostedRuntime): void {
  app.get(
    '/u/:token',
    tokenRoute(rt, resolveTarget, async (c, { locale, target }) => {
      // An erased person's old links must look exactly like forged ones.
      const state = await rt.deps.subjects.stateOf(target.subjectRef);
      if (!state) return notFound(c, locale);
      // "Already unsubscribed" for someone still on the list would be false, and would hide the one
      // button they came for.
      const subscribedTo = target.purposes.filter((id) => isOnForThePerson(state[id]));
      const prefs = await preferencesHref(c, rt, target.subjectRef);
      // A GPC signal is not recorded here: this GET must stay side-effect free. It is recorded by
      // the POST and by the preference page.
      const stage = subscribedTo.length === 0 ? 'already' : 'ask';
      const text = policyTextFor(rt.deps.policy, locale, target.purposes);
      return render(c, rt, locale, text, { target, subscribedTo, stage, gpcHonored: false, prefs });
    }),
  );

  app.post(
    '/u/:token',
    tokenRoute(rt, resolveTarget, async (c, { locale, target }) => {
      const form = await readForm(c);
      if (form?.['List-Unsubscribe'] !== 'One-Click') {
        // An erased person's link answers 404 whatever it carries, as a forged one does.
        const known = await rt.deps.subjects.stateOf(target.subjectRef);
        return known ? errorPage(c, 400, locale) : notFound(c, locale);
      }
      const fromPage = form.via === 'page';
      // The page listed these titles in this language; a mailbox provider's one-click showed nothing.
      const text = policyTextFor(rt.deps.policy, locale, target.purposes);
      const decided = recordPageDecision(c, rt, {
        subjectRef: target.subjectRef,
        locale: text.locale,
        page: '/u',
        gpcFlow: 'unsubscribe',
        flow: fromPage ? 'unsubscribe-page' : 'one-click',
        method: fromPage ? 'preference-page' : 'one-click-email',
        decisions: target.purposes.map((purpose) =>
          fromPage
            ? { purpose, granted: false, wording: purposeWording(text.purpose(purpose), 'title') }
            : { purpose, granted: false },
        ),
      });
      // The decision's own read finds whether the person exists: an erased person's link is a 404.
      const gpc = await decided.catch((error: unknown) => {
        if (error instanceof ConsentError && error.code === 'not-found') return undefined;
        throw error;
      });
      if (gpc === undefined) return notFound(c, locale);
      // The same answer every time, whether this POST changed anything or not (R42).
      const prefs = await preferencesHref(c, rt, target.subjectRef);
      return render(c, rt, locale, text, { target, subscribedTo: [], stage: 'done', gpcHonored: gpc, prefs });
    }),
  );
}
