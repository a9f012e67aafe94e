/**
 * Which table of built-in strings a locale reads, and the lazy loading of those tables. English
 * is built in; each other language is a dynamic import, so a bundle carries only the languages
 * its page uses (the drop-in fetches one small chunk for a non-English page). Elements read
 * tables synchronously (`loadedTable`), which starts a load when needed; elements render again
 * when it lands, hidden until then (pendingTables), so no English shows first.
 */
import { refreshConfig } from '../config.js';
import { englishControls } from './english.js';
import type { Locale, WidgetStrings } from './strings.js';

type TableModule = Promise<{ default: WidgetStrings }>;

// One literal import() per language, so bundlers emit one chunk per language.
const LOADERS: Readonly<Record<string, () => TableModule>> = {
  ar: () => import('./locales/ar.js'),
  cs: () => import('./locales/cs.js'),
  da: () => import('./locales/da.js'),
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fi: () => import('./locales/fi.js'),
  fr: () => import('./locales/fr.js'),
  he: () => import('./locales/he.js'),
  it: () => import('./locales/it.js'),
  ja: () => import('./locales/ja.js'),
  ko: () => import('./locales/ko.js'),
  nl: () => import('./locales/nl.js'),
  pl: () => import('./locales/pl.js'),
  pt: () => import('./locales/pt.js'),
  ro: () => import('./locales/ro.js'),
  sv: () => import('./locales/sv.js'),
  'zh-Hans': () => import('./locales/zh-hans.js'),
};

/** Every language with built-in strings, English first. */
export const SUPPORTED_LOCALES: readonly string[] = /* @__PURE__ */ Object.keys({ en: 0, ...LOADERS });

// English starts with the controls' strings; the notice's and preferences' join it with their
// element (addEnglish), before either renders: only those two elements read them.
const english = { ...englishControls } as WidgetStrings;
const tables = new Map<string, WidgetStrings>([['en', english]]);

/** Adds the English strings of a lazily loaded element (english-pages.ts) to the English table. */
export function addEnglish(strings: Partial<WidgetStrings>): void {
  Object.assign(english, strings);
}
const loads = new Map<string, Promise<unknown>>();
/** Languages whose table is on its way, within LOAD_BOUND_MS: their elements hide their text. */
export const pendingTables = new Set<string | undefined>();

/** How long an element stays hidden waiting for its table before it shows English. */
export const LOAD_BOUND_MS = 3000;

/**
 * The built-in table a locale reads, or undefined when there is none (English then applies):
 * `fr-CA` → `fr`; `zh`, `zh-CN`, `zh-SG` and `zh-Hans-*` → `zh-Hans` (Traditional Chinese has
 * no table yet).
 */
export function tableFor(locale: Locale): string | undefined {
  const [language = '', ...rest] = locale.toLowerCase().split(/[-_]/);
  if (language === 'zh') return rest.some((s) => /^(hant|tw|hk|mo)$/.test(s)) ? undefined : 'zh-Hans';
  return language === 'en' || language in LOADERS ? language : undefined;
}

/**
 * The table for `key` if it is here now; otherwise starts loading it (every element renders
 * again when it lands) and returns undefined. Elements in that language stay hidden meanwhile,
 * for LOAD_BOUND_MS at most: then, or when the chunk fails to load (offline, a blocked path), they
 * show English. A browser keeps a failed import failed, so that lasts until the page loads again.
 */
export function loadedTable(key: string): WidgetStrings | undefined {
  const table = tables.get(key);
  const loader = LOADERS[key];
  if (!table && loader && !loads.has(key)) {
    // Renders again when the wait ends or the table lands (`landed`), not when the bound passes after.
    const show = (landed?: unknown): void => {
      if (pendingTables.delete(key) || landed) refreshConfig();
    };
    pendingTables.add(key);
    setTimeout(show, LOAD_BOUND_MS);
    loads.set(
      key,
      loader()
        .then(
          (module) => tables.set(key, module.default),
          () => {},
        )
        .then(show),
    );
  }
  return table;
}

/**
 * Loads the built-in strings for `locale` ahead of rendering (a framework app can await it
 * before showing a form, so its elements are never hidden waiting). Resolves to the table, or
 * undefined when the language has none or its chunk could not be loaded (English applies).
 *
 * @example
 * await loadLocale(document.documentElement.lang);
 */
export async function loadLocale(locale: Locale): Promise<WidgetStrings | undefined> {
  const key = tableFor(locale);
  if (!key) return undefined;
  // English is whole once the strings of the notice and preference centre have joined it.
  if (key === 'en') addEnglish((await import('./english-pages.js')).englishPages);
  loadedTable(key);
  await loads.get(key);
  return tables.get(key);
}
