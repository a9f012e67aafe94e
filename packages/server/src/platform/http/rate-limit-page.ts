// The page a person sees when the hosted pages refuse them for sending too many requests: it
// says plainly that nothing changed and when to try again (in the locale's plural form).
import type { Locale } from '../i18n/locale.js';
import { messagesFor, plural } from '../i18n/messages.js';
import { html } from '../pages/html.js';
import { renderLayout } from '../pages/layout.js';

export function renderRateLimitPage(locale: Locale, retryAfterSeconds: number): string {
  const m = messagesFor(locale);
  return renderLayout({
    locale,
    messages: m,
    title: m.tooManyRequestsTitle,
    body: html`<h1>${m.tooManyRequestsTitle}</h1>
<p>${m.tooManyRequestsBody} ${plural(locale, m.retryIn, retryAfterSeconds)}</p>`,
  });
}
