// Every string the hosted pages and the email footer show, in each supported locale (one file per
// locale under messages/). Values are plain text: the page templates escape them, so translators
// never need to think about HTML. Where a count appears, the locale gives one form per plural
// category its language has (Intl.PluralRules), never an English-style "s" suffix.
import type { Locale } from './locale.js';
import type { Messages, Plural } from './message-types.js';
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

export type { Messages, Plural, PluralCategory } from './message-types.js';

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
