// The footer a marketing email carries under the sender's own content, in the recipient's
// language: who sent it, the unsubscribe link and the preference link (R43: a visible unsubscribe
// link in the body as well as the one-click header). The words come from the hosted pages'
// messages, so the mail and the page it opens speak the same language.
import { directionOf, type Locale, pickLocale } from '../platform/i18n/locale.js';
import { messagesFor } from '../platform/i18n/messages.js';

/** The footer's words, ready for a template: plain text (the template escapes them for HTML). */
export type EmailFooter = {
  /** The language the footer (and the pages its links open) is in: one of the 18 shipped. */
  readonly lang: Locale;
  readonly dir: 'ltr' | 'rtl';
  /** "<organisation> sent you this email…" */
  readonly sentBy: string;
  /** The unsubscribe link's text. */
  readonly unsubscribe: string;
  /** The preference link's text. */
  readonly preferences: string;
};

/**
 * The recipient's language from what the sender knows: a BCP 47 tag (`pt-BR`) or an
 * Accept-Language value the person's browser sent at sign-up (`fr-CA,fr;q=0.9`). Unknown
 * languages get English, as the pages do.
 */
export function recipientLocale(language: string | undefined): Locale {
  return pickLocale({ acceptLanguage: language });
}

export function emailFooter(input: { readonly locale: Locale; readonly organisation: string }): EmailFooter {
  const m = messagesFor(input.locale);
  return {
    lang: input.locale,
    dir: directionOf(input.locale),
    sentBy: m.emailSentBy(input.organisation),
    unsubscribe: m.emailUnsubscribe,
    preferences: m.emailPreferences,
  };
}
