/**
 * Counted text through Intl.PluralRules. Its own module so that only the elements that count
 * (the preference centre, a lazy chunk of the drop-in) carry it.
 */
import { format, type Locale, type PluralText } from './strings.js';

/** The text for `count` in `locale`'s plural category (Intl.PluralRules), with `{count}` filled in. */
export function plural(text: PluralText, count: number, locale: Locale): string {
  let rule: Intl.LDMLPluralRule = 'other';
  try {
    rule = new Intl.PluralRules(locale).select(count);
  } catch {
    // An invalid tag from a page's `lang`: `other` still reads correctly in every language.
  }
  return format(text[rule] ?? text.other, { count: new Intl.NumberFormat(safeLocale(locale)).format(count) });
}

function safeLocale(locale: Locale): string | undefined {
  try {
    return Intl.getCanonicalLocales(locale)[0];
  } catch {
    return undefined;
  }
}
