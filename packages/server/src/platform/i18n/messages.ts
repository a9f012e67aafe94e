// Every string the hosted pages and the email footer show, in each supported locale (one file per
// locale under messages/). Values are plain text: the page templates escape them, so translators
// never need to think about HTML. Where a count appears, the locale gives one form per plural
// category its language has (Intl.PluralRules), never an English-style "s" suffix.
import type { Locale } from './locale.js';
import { ar } from './messages/ar.js';
import { cs } from './messages/cs.js';
import { da } from './messages/da.js';
import { de } from './messages/de.js';
import { en } from './messages/en.js';
import { es } from './messages/es.js';
import { fi } from './messages/fi.js';
import { fr } from './messages/fr.js';
import { he } from './messages/he.js';
import { it } from './messages/it.js';
import { ja } from './messages/ja.js';
import { ko } from './messages/ko.js';
import { nl } from './messages/nl.js';
import { pl } from './messages/pl.js';
import { pt } from './messages/pt.js';
import { ro } from './messages/ro.js';
import { sv } from './messages/sv.js';
import { zhHans } from './messages/zh-hans.js';

export type PluralCategory = Intl.LDMLPluralRule;
/** One phrase per plural category the language uses; `other` always. The count comes formatted. */
export type Plural = Partial<Record<PluralCategory, (count: string) => string>> & {
  other: (count: string) => string;
};

export type Messages = {
  /** The language's name in itself ("Deutsch"), shown in the switcher with its lang attribute. */
  languageName: string;
  /** The switcher's label ("Language"), in the page's language. */
  languageLabel: string;
  skipToContent: string;
  siteTitle: string;
  footer: string;
  /**
   * Said when the policy has no translation of its purposes into the page's language, so they are
   * shown in the policy's own language (named, in the page's language, by Intl.DisplayNames).
   */
  policyLanguageNote: (language: string) => string;
  // Unsubscribe page
  unsubscribeTitle: string;
  unsubscribeIntro: (organisation: string) => string;
  unsubscribeFrom: string;
  unsubscribeButton: string;
  unsubscribeNoJs: string;
  unsubscribedTitle: string;
  unsubscribedBody: string;
  alreadyUnsubscribed: string;
  /** Before the POST: what the person receives now (opt-out purposes count until they unsubscribe). */
  subscribedTo: (purposes: string) => string;
  managePreferences: string;
  // Preference centre
  preferencesTitle: string;
  preferencesIntro: (organisation: string) => string;
  withdrawNotice: string;
  statusOn: string;
  statusOff: string;
  turnOff: (purpose: string) => string;
  turnOn: (purpose: string) => string;
  turnOffShort: string;
  turnOnShort: string;
  requiredPurpose: string;
  requiredPurposesHeading: string;
  choicesHeading: string;
  /** After a change on the preference page: the purpose and where it now stands. */
  saved: (purpose: string, on: boolean) => string;
  // The ledger's own address, `/`: what this server is, for whoever opens it
  homeTitle: string;
  homeIntro: (organisation: string) => string;
  homeTeamHeading: string;
  homeAdmin: string;
  homeApi: string;
  homeKeys: string;
  homeDocs: string;
  formExpired: string;
  // Confirmation page (confirmed opt-in for a grant made on a form)
  confirmTitle: string;
  confirmIntro: (organisation: string, date: string) => string;
  confirmWhat: string;
  confirmButton: (purpose: string) => string;
  confirmIgnore: string;
  confirmedTitle: string;
  confirmedBody: (purpose: string) => string;
  confirmNothingTitle: string;
  confirmNothingBody: string;
  // A person's signed export (the preference centre's "Download my data")
  yourDataHeading: string;
  downloadDataIntro: string;
  downloadData: string;
  // GPC (R48 (c)(6): the page must say the signal was processed). Pages in other languages show
  // the translated heading followed by the English wording R50 names (page-parts.ts).
  gpcHonored: string;
  gpcHonoredBody: string;
  // Errors
  notFoundTitle: string;
  notFoundBody: string;
  errorTitle: string;
  errorBody: string;
  badRequestTitle: string;
  badRequestBody: string;
  tooManyRequestsTitle: string;
  tooManyRequestsBody: string;
  /** "Please try again in N seconds." */
  retryIn: Plural;
  // The footer of a marketing email (the sender's template puts it under its own content)
  emailSentBy: (organisation: string) => string;
  emailUnsubscribe: string;
  emailPreferences: string;
};

const catalogue: Record<Locale, Messages> = {
  en,
  fr,
  de,
  es,
  it,
  nl,
  pt,
  pl,
  sv,
  da,
  fi,
  cs,
  ro,
  ja,
  'zh-Hans': zhHans,
  ko,
  ar,
  he,
};

export function messagesFor(locale: Locale): Messages {
  return catalogue[locale];
}

/** The phrase for `count` in `locale`: its plural category, the number formatted as the locale writes it. */
export function plural(locale: Locale, forms: Plural, count: number): string {
  const category = new Intl.PluralRules(locale).select(count);
  const phrase = forms[category] ?? forms.other;
  return phrase(new Intl.NumberFormat(locale).format(count));
}

/** A language's name as the page's language says it ("anglais" on a French page). */
export function languageNameIn(pageLocale: Locale, language: string): string {
  try {
    return new Intl.DisplayNames([pageLocale], { type: 'language' }).of(language) ?? language;
  } catch {
    return language;
  }
}
