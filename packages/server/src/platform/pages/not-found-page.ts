// The one page for every unknown, malformed, altered, expired or wrong-scope token (R42): same
// status, same bytes for a given language, so the answer reveals nothing about which it was.
import type { Locale } from '../i18n/locale.js';
import { messagesFor } from '../i18n/messages.js';
import { html } from './html.js';
import { renderLayout } from './layout.js';

const cache = new Map<Locale, string>();

export function renderNotFoundPage(locale: Locale): string {
  const cached = cache.get(locale);
  if (cached !== undefined) return cached;
  const m = messagesFor(locale);
  const page = renderLayout({
    locale,
    messages: m,
    title: m.notFoundTitle,
    body: html`<h1>${m.notFoundTitle}</h1>
<p>${m.notFoundBody}</p>`,
  });
  cache.set(locale, page);
  return page;
}
