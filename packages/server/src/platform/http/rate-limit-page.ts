// The page a person sees when the hosted pages refuse them for sending too many requests: it
// says plainly that nothing changed and when to try again. Its wording lives here rather than
// in i18n/messages.ts because only the limiter uses it.
import type { Locale } from '../i18n/locale.js';
import { messagesFor } from '../i18n/messages.js';
import { html } from '../pages/html.js';
import { renderLayout } from '../pages/layout.js';

const WORDING: Record<Locale, { title: string; body: (seconds: number) => string }> = {
  en: {
    title: 'Too many requests',
    body: (s) =>
      `We received too many requests from your network. Nothing was changed. Please try again in ${s} second${s === 1 ? '' : 's'}.`,
  },
  fr: {
    title: 'Trop de requêtes',
    body: (s) =>
      `Nous avons reçu trop de requêtes de votre réseau. Rien n’a été modifié. Veuillez réessayer dans ${s} seconde${s === 1 ? '' : 's'}.`,
  },
};

export function renderRateLimitPage(locale: Locale, retryAfterSeconds: number): string {
  const w = WORDING[locale];
  return renderLayout({
    locale,
    messages: messagesFor(locale),
    title: w.title,
    body: html`<h1>${w.title}</h1>
<p>${w.body(retryAfterSeconds)}</p>`,
  });
}
