/**
 * Every built-in language: every key present with the same placeholders as English, a plural
 * text for each category the language has, and no English left behind. Tables load on demand.
 */
import { expect } from 'chai';
import { loadedTable, loadLocale, SUPPORTED_LOCALES, tableFor } from './locale-tables.js';
import en from './locales/en.js';
import { plural } from './plural.js';
import type { PluralText, WidgetStrings } from './strings.js';

const KEYS = Object.keys(en).sort() as (keyof WidgetStrings)[];
/** Languages whose script is not Latin: any Latin letter outside a placeholder is English left behind. */
const NON_LATIN = new Set(['ja', 'zh-Hans', 'ko', 'ar', 'he']);

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
}

function texts(value: string | PluralText): string[] {
  return typeof value === 'string' ? [value] : Object.values(value);
}

describe('built-in strings', () => {
  it('lists the eighteen languages, English first', () => {
    expect(SUPPORTED_LOCALES).to.deep.equal([
      'en',
      'ar',
      'cs',
      'da',
      'de',
      'es',
      'fi',
      'fr',
      'he',
      'it',
      'ja',
      'ko',
      'nl',
      'pl',
      'pt',
      'ro',
      'sv',
      'zh-Hans',
    ]);
  });

  it('keeps the wording US regulations mandate for a GPC-honoured opt-out in English (R48, R50)', () => {
    expect(en.gpcHonored).to.equal('Opt-Out Request Honored');
  });

  it('picks the table a locale reads; languages without one read English', () => {
    expect(tableFor('fr-CA')).to.equal('fr');
    expect(tableFor('pt-BR')).to.equal('pt');
    expect(tableFor('en-US')).to.equal('en');
    expect(tableFor('zh')).to.equal('zh-Hans');
    expect(tableFor('zh-CN')).to.equal('zh-Hans');
    expect(tableFor('zh-Hans-SG')).to.equal('zh-Hans');
    expect(tableFor('zh-TW')).to.equal(undefined);
    expect(tableFor('zh-Hant')).to.equal(undefined);
    expect(tableFor('tlh')).to.equal(undefined);
    expect(tableFor('')).to.equal(undefined);
  });

  it('loads a table only when asked, and resolves unknown languages to nothing', async () => {
    expect(await loadLocale('tlh')).to.equal(undefined);
    const first = loadedTable('sv');
    const loaded = await loadLocale('sv-FI');
    expect(loaded?.stateGranted).to.equal('På');
    // Asked before it had arrived: the first read had nothing, later reads have the table.
    if (first === undefined) expect(loadedTable('sv')).to.equal(loaded);
  });

  for (const locale of SUPPORTED_LOCALES) {
    describe(locale, () => {
      let table: WidgetStrings;
      before(async () => {
        table = (await loadLocale(locale)) as WidgetStrings;
      });

      it('has every key, with the placeholders English has', () => {
        expect(table, `${locale} did not load`).to.be.an('object');
        expect(Object.keys(table).sort()).to.deep.equal(KEYS);
        for (const key of KEYS) {
          const ours = table[key];
          const english = en[key];
          expect(typeof ours, `${locale}.${key}`).to.equal(typeof english);
          if (typeof ours === 'string' && typeof english === 'string') {
            expect(ours.trim(), `${locale}.${key} is empty`).not.to.equal('');
            expect(placeholders(ours), `${locale}.${key}`).to.deep.equal(placeholders(english));
          }
        }
      });

      it('has a plural text for every category the language uses (Intl.PluralRules)', () => {
        const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
        const choices = table.choicesOn;
        for (const category of categories) {
          expect(choices[category], `${locale}.choicesOn.${category}`).to.be.a('string');
        }
        expect(Object.keys(choices).filter((k) => !categories.includes(k as Intl.LDMLPluralRule))).to.deep.equal([]);
        // Each count reads its own form, with the number written the language's way.
        for (const n of [0, 1, 2, 3, 5, 11, 22, 100]) {
          const text = plural(choices, n, locale);
          const form = choices[new Intl.PluralRules(locale).select(n)] ?? choices.other;
          expect(text).to.equal(form.replace('{count}', new Intl.NumberFormat(locale).format(n)));
          expect(text).not.to.contain('{');
        }
      });

      if (locale === 'en') return;

      it('leaves no English behind', () => {
        for (const key of KEYS) {
          const ours = texts(table[key]);
          const english = texts(en[key]);
          for (const text of ours) {
            expect(english, `${locale}.${key} is the English text`).not.to.include(text);
            if (NON_LATIN.has(locale)) {
              expect(text.replace(/\{\w+\}/g, ''), `${locale}.${key} has Latin letters`).not.to.match(/[A-Za-z]/);
            }
          }
        }
      });
    });
  }
});
