// Locale choice for the hosted pages. An explicit ?lang= wins (people switch language with a
// link, and email templates can pin the language of the message); otherwise the browser's
// Accept-Language. Only whitelisted values ever reach the page, so the lang attribute and
// every string lookup are safe by construction.

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

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

export type LocaleInput = { query?: string | null | undefined; acceptLanguage?: string | null | undefined };

export function pickLocale({ query, acceptLanguage }: LocaleInput): Locale {
  const wanted = query?.trim().toLowerCase();
  if (isLocale(wanted)) return wanted;
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    // fr-CA, fr-BE… all get French: we ship one French, and a regional speaker prefers it to English.
    const primary = tag.split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return DEFAULT_LOCALE;
}
