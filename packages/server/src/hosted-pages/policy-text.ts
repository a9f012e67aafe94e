// Which language a hosted page shows the policy's own words in (purpose titles and descriptions),
// and those words. The interface follows the person's language; the policy's words follow it only
// where the controller wrote a translation. Where the policy has none for the page's language, the
// words are shown in the policy's default language, marked with their lang, the page says so, and
// the record the page writes names that language: a record names the language of the words the
// person was shown, with their hash. The unit is what one record covers: one purpose on the
// preference and confirmation pages, every purpose of the link on the unsubscribe page (a title
// and its description, or the purposes of one record, are never split across two languages).
import type { LocalizedText, Policy } from '@consentkit/core';
import { directionOf, type Locale, localeForTag } from '../platform/i18n/locale.js';

export type ShownPurpose = { readonly id: string; readonly title: string; readonly description: string };

/** A language other than the page's, carried by the elements that hold the policy's words. */
export type ForeignText = { readonly lang: string; readonly dir: 'ltr' | 'rtl' };

export type PolicyText = {
  /** The policy's locale key the words come from (`fr-CA`, `en`): what the page's records name. */
  readonly locale: string;
  /** Set when that language is not the page's: the purpose texts carry it as lang and dir. */
  readonly foreign: ForeignText | undefined;
  purpose(id: string): ShownPurpose;
};

function textsOf(policy: Policy, ids: readonly string[]): LocalizedText[] {
  return policy.purposes.filter((p) => ids.includes(p.id)).flatMap((p) => [p.title, p.description]);
}

/** The key of `text` for `locale`, compared case-insensitively. */
function keyIn(text: LocalizedText, locale: string): string | undefined {
  return Object.keys(text).find((k) => k.toLowerCase() === locale.toLowerCase());
}

/**
 * The policy locale to show: one of the policy's `locales` whose language is the page's (an exact
 * tag first: `fr` before `fr-CA`), when every text shown has it; otherwise the policy's default
 * locale, when every text has it; otherwise English, which the schema requires everywhere.
 */
export function policyLocaleFor(policy: Policy, pageLocale: Locale, ids: readonly string[]): string {
  const texts = textsOf(policy, ids);
  const complete = (locale: string) => texts.every((t) => keyIn(t, locale) !== undefined);
  const matching = policy.locales
    .filter((l) => localeForTag(l) === pageLocale)
    .sort(
      (a, b) =>
        Number(b.toLowerCase() === pageLocale.toLowerCase()) - Number(a.toLowerCase() === pageLocale.toLowerCase()),
    );
  const translated = matching.find(complete);
  if (translated !== undefined) return translated;
  return complete(policy.defaultLocale) ? policy.defaultLocale : 'en';
}

export function policyTextFor(policy: Policy, pageLocale: Locale, ids: readonly string[]): PolicyText {
  const locale = policyLocaleFor(policy, pageLocale, ids);
  const language = localeForTag(locale);
  const pick = (text: LocalizedText) => text[keyIn(text, locale) ?? 'en'] ?? '';
  return {
    locale,
    foreign: language === pageLocale ? undefined : { lang: locale, dir: directionOf(language ?? 'en') },
    purpose(id) {
      const p = policy.purposes.find((candidate) => candidate.id === id);
      return p ? { id, title: pick(p.title), description: pick(p.description) } : { id, title: id, description: '' };
    },
  };
}

/**
 * The words a record's `wording` hash covers for a purpose on a hosted page: its title and its
 * description as shown, joined as the widget's preference element joins them; the unsubscribe page
 * lists titles only, so there the title alone.
 */
export function purposeWording(purpose: ShownPurpose, shown: 'title' | 'title-and-description'): string {
  return shown === 'title' || purpose.description === '' ? purpose.title : `${purpose.title}. ${purpose.description}`;
}
