// Pieces shared by the token pages (/u, /p, /c): their chrome, the shell they are drawn in and the
// GPC notice.
import type { Locale } from '../platform/i18n/locale.js';
import { type Messages, messagesFor } from '../platform/i18n/messages.js';
import { html, type SafeHtml } from '../platform/pages/html.js';
import { renderLayout } from '../platform/pages/layout.js';

/** R48 (c)(6) / R50: the page says that the GPC signal was processed. */
export function gpcNotice(m: Messages): SafeHtml {
  return html`<div class="notice" role="status" data-gpc="honored">
<strong>${m.gpcHonored}</strong>
<p>${m.gpcHonoredBody}</p>
</div>`;
}

export type PageChrome = {
  locale: Locale;
  /** The organisation name from the policy (untrusted text: escaped like everything else). */
  organisation: string;
  nonce: string;
  scriptSrc?: string | undefined;
};

/**
 * A token page in the shared shell: the organisation's banner, the language switch (the token
 * pages are reached from mail, in whatever language the person reads) and the widget script
 * under the page's CSP nonce.
 */
export function renderTokenPage(chrome: PageChrome, title: string, body: SafeHtml): string {
  return renderLayout({
    locale: chrome.locale,
    messages: messagesFor(chrome.locale),
    title,
    body,
    organisation: chrome.organisation,
    nonce: chrome.nonce,
    scriptSrc: chrome.scriptSrc,
    languageSwitch: true,
  });
}
