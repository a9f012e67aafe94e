// Every locale against English: the same keys, every message rendering to text, no English left
// in another language (beyond names), and a plural phrase for each category the language has.
import { expect } from 'chai';
import { LOCALES, type Locale } from './locale.js';
import { type Messages, messagesFor, type Plural, plural } from './messages.js';

type Value = Messages[keyof Messages];

function isPlural(value: Value): value is Plural {
  return typeof value === 'object';
}

/** Every phrase a message can produce, given sample arguments (names, dates, where a purpose stands). */
function renderings(value: Value): string[] {
  if (typeof value === 'string') return [value];
  if (isPlural(value)) return Object.values(value).map((phrase) => (phrase as (n: string) => string)('7'));
  const fn = value as (...args: unknown[]) => string;
  return [fn('ACME', true), fn('ACME', false)];
}

// Words that mark an English sentence and appear in none of the other sixteen languages as words.
const ENGLISH = /\b(the|your|you|please|with|from|this|will|been|have)\b/i;
// Names and technical terms that stay as they are in every language.
const NAMES = /ConsentKit|OpenAPI|JWKS|API|README\.md|docs\/errors\.md|Global Privacy Control|ACME/g;

const en = messagesFor('en');
const others = LOCALES.filter((l): l is Exclude<Locale, 'en'> => l !== 'en');

describe('hosted page messages in every locale', () => {
  it('has the same keys as English, and every message renders to text', () => {
    for (const locale of LOCALES) {
      const m = messagesFor(locale);
      expect(Object.keys(m).sort(), locale).to.deep.equal(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof Messages)[]) {
        for (const text of renderings(m[key])) expect(text.trim(), `${locale}.${key}`).to.not.equal('');
      }
    }
  });

  it('leaves no English in another language, except names', () => {
    // The detector itself finds English: every English sentence-length message trips it.
    for (const key of ['footer', 'unsubscribedBody', 'confirmWhat', 'notFoundBody'] as const) {
      expect(en[key], key).to.match(ENGLISH);
    }
    for (const locale of others) {
      const m = messagesFor(locale);
      for (const key of Object.keys(en) as (keyof Messages)[]) {
        const theirs = renderings(m[key]);
        const ours = renderings(en[key]);
        theirs.forEach((text, i) => {
          expect(text, `${locale}.${key} is the English text`).to.not.equal(ours[i]);
          expect(text.replace(NAMES, ''), `${locale}.${key} reads as English`).to.not.match(ENGLISH);
        });
      }
    }
  });

  it('names each language in itself, once', () => {
    const names = LOCALES.map((l) => messagesFor(l).languageName);
    expect(new Set(names).size).to.equal(LOCALES.length);
    expect(messagesFor('de').languageName).to.equal('Deutsch');
    expect(messagesFor('zh-Hans').languageName).to.equal('简体中文');
  });

  it('gives a plural phrase for exactly the categories Intl.PluralRules has in each language', () => {
    for (const locale of LOCALES) {
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      expect(Object.keys(messagesFor(locale).retryIn).sort(), locale).to.deep.equal([...categories].sort());
    }
  });

  it('picks the form by count, with the number as the language writes it', () => {
    expect(plural('en', en.retryIn, 1)).to.equal('Please try again in 1 second.');
    expect(plural('en', en.retryIn, 30)).to.equal('Please try again in 30 seconds.');
    expect(plural('pl', messagesFor('pl').retryIn, 2)).to.equal('Spróbuj ponownie za 2 sekundy.');
    expect(plural('pl', messagesFor('pl').retryIn, 5)).to.equal('Spróbuj ponownie za 5 sekund.');
    expect(plural('pl', messagesFor('pl').retryIn, 22)).to.equal('Spróbuj ponownie za 22 sekundy.');
    expect(plural('cs', messagesFor('cs').retryIn, 3)).to.equal('Zkuste to znovu za 3 sekundy.');
    expect(plural('ro', messagesFor('ro').retryIn, 20)).to.equal('Încercați din nou peste 20 de secunde.');
    expect(plural('he', messagesFor('he').retryIn, 2)).to.equal('אפשר לנסות שוב בעוד שתי שניות.');
    expect(plural('ar', messagesFor('ar').retryIn, 2)).to.equal('يُرجى المحاولة مرة أخرى بعد ثانيتين.');
    const arFew = plural('ar', messagesFor('ar').retryIn, 5);
    expect(arFew).to.include('ثوانٍ').and.include(new Intl.NumberFormat('ar').format(5));
    expect(plural('fr', messagesFor('fr').retryIn, 1_000_000)).to.include('de secondes');
  });

  it('says "withdraw" and "agree", "turn off" and "turn on" with the same weight in every language', () => {
    for (const locale of LOCALES) {
      const m = messagesFor(locale);
      // The two buttons of the preference page are drawn the same (preferences-page.ts); their words
      // must not make one the obvious choice: neither is more than twice as long as the other.
      const [off, on] = [m.turnOffShort.length, m.turnOnShort.length];
      expect(Math.max(off, on) / Math.min(off, on), `${locale}: ${m.turnOffShort} / ${m.turnOnShort}`).to.be.at.most(2);
      expect(m.turnOffShort, locale).to.not.equal(m.turnOnShort);
    }
  });
});
