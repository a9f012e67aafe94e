// Pieces shared by the token pages (/u, /p, /c): their chrome, the shell they are drawn in and the
// GPC notice.
import type { Locale } from '../platform/i18n/locale.js';
import { languageNameIn, type Messages, messagesFor } from '../platform/i18n/messages.js';
import { escapeHtml, html, type SafeHtml, trusted } from '../platform/pages/html.js';
import { renderLayout } from '../platform/pages/layout.js';
import type { ForeignText } from './policy-text.js';

/** The words R50 names for the notice; kept in English on every page, beside the translation. */
export const GPC_HONORED_WORDING = 'Opt-Out Request Honored';

/**
 * R48 (c)(6) / R50: the page says that the GPC signal was processed. A page in another language
 * shows its own heading and the English wording after it, marked lang="en".
 */
export function gpcNotice(m: Messages, locale: Locale): SafeHtml {
  const heading =
    locale === 'en'
      ? html`<strong>${GPC_HONORED_WORDING}</strong>`
      : html`<strong>${m.gpcHonored} <span lang="en" dir="ltr">(${GPC_HONORED_WORDING})</span></strong>`;
  return html`<div class="notice" role="status" data-gpc="honored">
${heading}
<p>${m.gpcHonoredBody}</p>
</div>`;
}

export type PageChrome = {
  locale: Locale;
  /** The organisation name from the policy (untrusted text: escaped like everything else). */
  organisation: string;
  nonce: string;
  scriptSrc?: string | undefined;
  /**
   * Set when (some of) the policy's words (purpose titles and descriptions) are in another language
   * than the page, because the policy has no translation into it (policy-text.ts): the page says so.
   */
  policyText?: ForeignText | undefined;
};

/** lang and dir for an element holding the policy's words, when they are not in the page's language. */
export function policyTextAttributes(foreign: ForeignText | undefined): SafeHtml | '' {
  return foreign ? html` lang="${foreign.lang}" dir="${foreign.dir}"` : '';
}

/**
 * A page-language sentence that quotes the policy's words (purpose titles): when those words are
 * in another language, each quote is marked with its own lang and dir, so a screen reader
 * pronounces it in its language and the browser lays it out in its direction.
 */
export function sentenceQuoting(
  sentence: string,
  quoted: readonly string[],
  foreign: ForeignText | undefined,
): SafeHtml {
  const parts = [...new Set(quoted.filter((q) => q.length > 0))].sort((a, b) => b.length - a.length);
  if (!foreign || parts.length === 0) return html`${sentence}`;
  // One pass over the escaped sentence, longest quote first, so no quote is marked inside another.
  const pattern = new RegExp(parts.map((q) => escapeHtml(q).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const marked = escapeHtml(sentence).replace(
    pattern,
    (quote) => `<span lang="${escapeHtml(foreign.lang)}" dir="${escapeHtml(foreign.dir)}">${quote}</span>`,
  );
  return trusted(marked);
}

/** Says which language the policy's words are shown in, when it is not the page's. */
export function policyLanguageNote(chrome: PageChrome, m: Messages): SafeHtml | '' {
  if (!chrome.policyText) return '';
  return html`<p class="muted" data-policy-language="${chrome.policyText.lang}">${m.policyLanguageNote(languageNameIn(chrome.locale, chrome.policyText.lang))}</p>`;
}

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
