// The shared page shell: landmarks, a skip link, the lang and dir attributes, the language
// switcher and the optional widget script. Pages work fully without the script; it only enhances
// them.
import { directionOf, LOCALES, type Locale } from '../i18n/locale.js';
import { type Messages, messagesFor } from '../i18n/messages.js';
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
  /** Show the language switcher (links that keep the current path and set ?lang=). */
  languageSwitch?: boolean | undefined;
  /** False on pages that hold no choices (the ledger's own page), where the footer's promise does not fit. */
  footer?: boolean | undefined;
};

/**
 * A globe, drawn rather than written: it tells a reader of any language where the languages are.
 * The only markup of its kind a page holds (the security suite allows exactly this string).
 */
export const GLOBE_ICON =
  '<svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><circle cx="12" cy="12" r="10"/><path d="M2 12h20M12 2a15 15 0 0 1 0 20M12 2a15 15 0 0 0 0 20"/></svg>';
const GLOBE = trusted(GLOBE_ICON);

// The switcher depends only on the page's language and its label: built once per pair, not on
// every page (its 18 links were ≈ 5% of a one-click POST's CPU, bench/benches/unsubscribe.mjs).
const switchers = new Map<string, SafeHtml>();

/**
 * Every language we ship, each named in itself with its own lang (and dir) so screen readers
 * pronounce it right. Plain links (GET, no script, no form): they work under the strict CSP and
 * keep the page's path, which carries the token. A disclosure keeps 18 names out of the way.
 */
function languageSwitcher(locale: Locale, m: Messages): SafeHtml {
  const key = `${locale}\u0000${m.languageLabel}`;
  let built = switchers.get(key);
  if (!built) {
    built = buildLanguageSwitcher(locale, m);
    switchers.set(key, built);
  }
  return built;
}

function buildLanguageSwitcher(locale: Locale, m: Messages): SafeHtml {
  const items = LOCALES.map((l) => {
    const name = messagesFor(l).languageName;
    return html`<li><a href="?lang=${l}" hreflang="${l}" lang="${l}" dir="${directionOf(l)}"${l === locale ? trusted(' aria-current="true"') : ''}>${name}</a></li>`;
  });
  return html`<details class="languages">
<summary>${GLOBE}<span>${m.languageLabel}</span></summary>
<nav aria-label="${m.languageLabel}"><ul>${items}</ul></nav>
</details>`;
}

export function renderLayout(options: LayoutOptions): string {
  const { locale, messages: m, title, body, organisation, nonce, scriptSrc, languageSwitch, footer } = options;
  const script =
    nonce && scriptSrc ? html`<script type="module" src="${scriptSrc}" nonce="${nonce}"></script>` : trusted('');
  const page = html`<!doctype html>
<html lang="${locale}" dir="${directionOf(locale)}">
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
<p class="brand">${organisation ?? m.siteTitle}</p>
${languageSwitch ? languageSwitcher(locale, m) : ''}
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
