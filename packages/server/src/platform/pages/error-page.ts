// A friendly page for people when something fails: never a stack trace, and it says plainly
// whether anything changed.
import type { Locale } from '../i18n/locale.js';
import { messagesFor } from '../i18n/messages.js';
import { html } from './html.js';
import { renderLayout } from './layout.js';

export type ErrorKind = 'server-error' | 'bad-request';

export function renderErrorPage(locale: Locale, kind: ErrorKind): string {
  const m = messagesFor(locale);
  const [title, body] = kind === 'bad-request' ? [m.badRequestTitle, m.badRequestBody] : [m.errorTitle, m.errorBody];
  return renderLayout({
    locale,
    messages: m,
    title,
    body: html`<h1>${title}</h1>
<p>${body}</p>`,
  });
}
