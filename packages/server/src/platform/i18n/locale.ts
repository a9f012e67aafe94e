// Locale choice for the hosted pages and the email footer. An explicit ?lang= wins (people switch
// language with a link, and email templates pin the language of the message); otherwise the
// browser's Accept-Language, best q-value first; otherwise English. Only whitelisted values ever
// reach a page, so the lang attribute and every string lookup are safe by construction.

export const LOCALES = [
  'en',
  'fr',
  'de',
  'es',
  'it',
  'nl',
  'pt',
  'pl',
  'sv',
  'da',
  'fi',
  'cs',
  'ro',
  'ja',
  'zh-Hans',
  'ko',
  'ar',
  'he',
] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Written right to left: the page gets dir="rtl" and its CSS uses logical properties only. */
const RTL: ReadonlySet<Locale> = new Set<Locale>(['ar', 'he']);

export function directionOf(locale: Locale): 'ltr' | 'rtl' {
  return RTL.has(locale) ? 'rtl' : 'ltr';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

type Weighted = { tag: string; q: number; order: number };

/** Parses an Accept-Language header (RFC 9110 §12.5.4) into tags, best first. */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  const entries: Weighted[] = [];
  // A hostile header can be long; a real one has a handful of entries.
  const parts = header.slice(0, 1024).split(',').slice(0, 32);
  parts.forEach((part, order) => {
    const [rawTag = '', ...params] = part.trim().split(';');
    const tag = rawTag.trim().toLowerCase();
    if (!/^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/.test(tag)) return;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/i.exec(param);
      if (match?.[1] !== undefined) q = Number(match[1]);
    }
    if (q > 0) entries.push({ tag, q, order });
  });
  entries.sort((a, b) => b.q - a.q || a.order - b.order);
  return entries.map((e) => e.tag);
}

/** Regions whose Chinese is written in Traditional characters (when the tag names no script). */
const TRADITIONAL_REGIONS = new Set(['tw', 'hk', 'mo']);

/**
 * The locale we ship for one language tag (lowercase), or undefined. Regional variants take their
 * language (fr-CA, pt-BR and pt-PT, es-MX…): we ship one of each, and a regional speaker prefers
 * it to English. Chinese is matched by script: zh, zh-Hans, zh-CN and zh-SG read Simplified
 * (zh-Hans); zh-Hant, zh-TW, zh-HK and zh-MO read Traditional, which we do not ship, so they match
 * nothing and the person's next language is tried (a page in the other script is a worse default
 * than a language they listed; the switcher still offers 简体中文). `iw` is Hebrew's old code.
 */
export function localeForTag(tag: string): Locale | undefined {
  const [language = '', ...rest] = tag.toLowerCase().split('-');
  if (language === 'zh') {
    if (rest.includes('hant')) return undefined;
    if (rest.includes('hans')) return 'zh-Hans';
    return rest.some((part) => TRADITIONAL_REGIONS.has(part)) ? undefined : 'zh-Hans';
  }
  if (language === 'iw') return 'he';
  return isLocale(language) ? language : undefined;
}

export type LocaleInput = { query?: string | null | undefined; acceptLanguage?: string | null | undefined };

/** The ?lang= value, if it names a locale we ship (exact, case-insensitive: `zh-hans` too). */
export function chosenLocale(query: string | null | undefined): Locale | undefined {
  const wanted = query?.trim().toLowerCase();
  if (!wanted) return undefined;
  return LOCALES.find((l) => l.toLowerCase() === wanted);
}

export function pickLocale({ query, acceptLanguage }: LocaleInput): Locale {
  const chosen = chosenLocale(query);
  if (chosen) return chosen;
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    const locale = localeForTag(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}
