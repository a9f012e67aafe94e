// GET / on the ledger: a page saying what this server is and where its parts are, for whoever
// opens the bare address (a newcomer after `pnpm start`, a colleague handed the URL). Unknown /v1
// paths stay JSON problems; only `/` itself is a page.
import type { Hono } from 'hono';
import { secureHeaders } from '../platform/http/secure-headers.js';
import type { Locale } from '../platform/i18n/locale.js';
import { messagesFor } from '../platform/i18n/messages.js';
import { html } from '../platform/pages/html.js';
import { renderLayout } from '../platform/pages/layout.js';
import { type HostedEnv, type HostedRuntime, localeOf } from './hosted-shared.js';

export function renderHomePage(view: { locale: Locale; organisation: string }): string {
  const m = messagesFor(view.locale);
  const body = html`<h1>${m.homeTitle}</h1>
<p>${m.homeIntro(view.organisation)}</p>
<h2>${m.homeTeamHeading}</h2>
<ul>
<li><a href="/admin">${m.homeAdmin}</a></li>
<li><a href="/v1/openapi.json">${m.homeApi}</a></li>
<li><a href="/.well-known/jwks.json">${m.homeKeys}</a></li>
</ul>
<p>${m.homeDocs}</p>`;
  // No widget script: the page is the same bytes for everyone, so it may be cached.
  return renderLayout({
    locale: view.locale,
    messages: m,
    title: m.homeTitle,
    body,
    organisation: view.organisation,
    languageSwitch: true,
    footer: false,
  });
}

export function registerHomePage(app: Hono<HostedEnv>, rt: HostedRuntime): void {
  app.use('/', secureHeaders({ noStore: false }));
  app.get('/', (c) =>
    c.html(renderHomePage({ locale: localeOf(c), organisation: rt.deps.policy.controller.name }), 200, {
      Vary: 'Accept-Language',
    }),
  );
}
