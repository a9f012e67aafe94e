// The shared page shell: landmarks, a skip link, the lang attribute, the language switch and
// the optional widget script. Pages work fully without the script; it only enhances them.
import type { Locale } from '../i18n/locale.js';
import type { Messages } from '../i18n/messages.js';
import { html, type SafeHtml, trusted } from './html.js';
import { PAGE_CSS } from './styles.js';

export type LayoutOptions = {
  locale: Locale;
  messages: Messages;
  title: string;
  body: SafeHtml;
  /** The organisation name shown in the banner (from the policy). */
  organisation?: string | undefined;
  /** CSP nonce for the widget script; without it no script tag is emitted. */
  nonce?: string | undefined;
  /** Where the widget bundle is served; omitted on pages that must not vary (the 404). */
  scriptSrc?: string | undefined;
  /** Show the link that switches to the other language (keeps the current path). */
  languageSwitch?: boolean | undefined;
  /** False on pages that hold no choices (the ledger's own page), where the footer's promise does not fit. */
  footer?: boolean | undefined;
};

export function renderLayout(options: LayoutOptions): string {
  const { locale, messages: m, title, body, organisation, nonce, scriptSrc, languageSwitch, footer } = options;
  const other: Locale = locale === 'en' ? 'fr' : 'en';
  const script =
    nonce && scriptSrc ? html`<script type="module" src="${scriptSrc}" nonce="${nonce}"></script>` : trusted('');
  const page = html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title} – ${m.siteTitle}</title>
<style>${trusted(PAGE_CSS)}</style>
</head>
<body>
<a class="skip" href="#main">${m.skipToContent}</a>
<header>
<p>${organisation ?? m.siteTitle}</p>
${languageSwitch ? html`<a href="?lang=${other}" hreflang="${other}" lang="${other}">${m.switchLanguage}</a>` : ''}
</header>
<main id="main" tabindex="-1">
${body}
</main>
${
  footer === false
    ? ''
    : html`<footer>
<p>${m.footer}</p>
</footer>`
}
${script}
</body>
</html>
`;
  return page.value;
}
