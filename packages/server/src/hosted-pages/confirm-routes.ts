// GET|POST /c/{token}: confirmed opt-in. The token (from POST /v1/links or `consentkit link`) seals
// the record id of a pending grant and names one purpose. GET shows what will be confirmed and
// never writes (link scanners and prefetchers follow GETs, R42). POST, CSRF-protected like /p,
// makes the ledger sign a confirmation record naming that grant, stored at `inbox` assurance: the
// person proved they read this address's mail. A repeat writes nothing more.
import type { Hono } from 'hono';
import type { Locale } from '../platform/i18n/locale.js';
import type { ConfirmableGrant, ConfirmationClaims } from '../subjects/subject-service.js';
import { renderConfirmPage } from './confirm-page.js';
import {
  checkPageForm,
  type HostedContext,
  type HostedEnv,
  type HostedRuntime,
  preferencesHref,
  readForm,
  tokenRoute,
  withChosenLanguage,
} from './hosted-shared.js';
import { policyTextFor, purposeWording } from './policy-text.js';

type Target = ConfirmationClaims & ConfirmableGrant;

async function resolveTarget(rt: HostedRuntime, token: string): Promise<Target | undefined> {
  const claims = await rt.deps.subjects.verifyConfirmationToken(token);
  if (!claims) return undefined;
  // Only a purpose a person can agree to (the primary purpose is never asked for).
  const purpose = rt.deps.policy.purposes.find((p) => p.id === claims.purpose && !p.primary);
  if (!purpose) return undefined;
  const grant = await rt.deps.subjects.confirmable(claims);
  return grant && { ...claims, ...grant };
}

/** Where the grant stands now: still pending, already counting, or changed by the person since. */
async function stageOf(rt: HostedRuntime, target: Target): Promise<'ask' | 'done' | 'nothing'> {
  const state = (await rt.deps.subjects.state(target.subjectRef))[target.purpose];
  return state?.status === 'pending' ? 'ask' : state?.status === 'granted' ? 'done' : 'nothing';
}

function formatDay(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
}

async function render(
  c: HostedContext,
  rt: HostedRuntime,
  input: { token: string; target: Target; locale: Locale; stage: 'ask' | 'done' | 'nothing'; expired?: boolean },
): Promise<Response> {
  const { policy } = rt.deps;
  const text = policyTextFor(policy, input.locale, [input.target.purpose]);
  const purpose = text.purpose(input.target.purpose);
  const page = renderConfirmPage({
    locale: input.locale,
    organisation: policy.controller.name,
    nonce: c.get('cspNonce'),
    scriptSrc: rt.scriptSrc,
    policyText: text.foreign,
    purpose: { title: purpose.title, description: purpose.description || undefined },
    requestedOn: formatDay(input.target.issuedAt, input.locale),
    stage: input.stage,
    csrfToken: rt.csrf.issue(input.token),
    formAction: withChosenLanguage(c, new URL(c.req.url).pathname),
    expired: input.expired,
    preferencesHref: await preferencesHref(c, rt, input.target.subjectRef),
  });
  return c.html(page, input.expired ? 403 : 200);
}

export function registerConfirmRoutes(app: Hono<HostedEnv>, rt: HostedRuntime): void {
  app.get(
    '/c/:token',
    tokenRoute(rt, resolveTarget, async (c, { locale, token, target }) =>
      render(c, rt, { token, target, locale, stage: await stageOf(rt, target) }),
    ),
  );

  app.post(
    '/c/:token',
    tokenRoute(rt, resolveTarget, async (c, { locale, token, target }) => {
      const check = checkPageForm(c, rt, token, await readForm(c));
      const stage = await stageOf(rt, target);
      // A failed check changes nothing and answers 403 with a fresh form, as on /p.
      if (check !== 'ok') return render(c, rt, { token, target, locale, stage, expired: true });
      // Only a grant still pending is confirmed: one the person withdrew since stays withdrawn, and
      // one already counting needs nothing more.
      if (stage === 'ask') {
        // The confirmation record names the language this page showed and the words of the purpose.
        const text = policyTextFor(rt.deps.policy, locale, [target.purpose]);
        const wording = purposeWording(text.purpose(target.purpose), 'title-and-description');
        await rt.deps.subjects.vouch({
          recordId: target.recordId,
          kind: 'confirms',
          purposes: [target.purpose],
          shown: { locale: text.locale, wording: { [target.purpose]: wording } },
        });
        return render(c, rt, { token, target, locale, stage: await stageOf(rt, target) });
      }
      return render(c, rt, { token, target, locale, stage });
    }),
  );
}
