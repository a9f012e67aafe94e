import { expect } from 'chai';
import { directionOf, LOCALES, localeForTag, parseAcceptLanguage, pickLocale } from './locale.js';

describe('hosted page locale', () => {
  it('takes a whitelisted ?lang= first, case-insensitively', () => {
    expect(pickLocale({ query: 'fr', acceptLanguage: 'en' })).to.equal('fr');
    expect(pickLocale({ query: 'FR' })).to.equal('fr');
    expect(pickLocale({ query: 'zh-hans', acceptLanguage: 'de' })).to.equal('zh-Hans');
    expect(pickLocale({ query: 'ar' })).to.equal('ar');
  });

  it('ignores a ?lang= outside the whitelist and falls back to Accept-Language, then English', () => {
    expect(pickLocale({ query: '"><script>', acceptLanguage: 'fr-CA,fr;q=0.9' })).to.equal('fr');
    expect(pickLocale({ query: 'tlh' })).to.equal('en');
    expect(pickLocale({ query: 'fr-CA' })).to.equal('en');
    expect(pickLocale({ acceptLanguage: 'tlh, x-pig-latin' })).to.equal('en');
    expect(pickLocale({ acceptLanguage: '*' })).to.equal('en');
  });

  it('maps regional tags to their language and honours q-values', () => {
    expect(pickLocale({ acceptLanguage: 'fr-CA' })).to.equal('fr');
    expect(pickLocale({ acceptLanguage: 'pt-BR' })).to.equal('pt');
    expect(pickLocale({ acceptLanguage: 'pt-PT' })).to.equal('pt');
    expect(pickLocale({ acceptLanguage: 'es-419' })).to.equal('es');
    expect(pickLocale({ acceptLanguage: 'tlh, de-DE;q=0.5, en;q=0.4, fr;q=0.8' })).to.equal('fr');
    expect(pickLocale({ acceptLanguage: 'fr;q=0, en' })).to.equal('en');
    expect(pickLocale({ acceptLanguage: 'iw-IL' })).to.equal('he');
  });

  it('reads Simplified Chinese for zh, zh-Hans, zh-CN and zh-SG; Traditional tags go on to the next language', () => {
    for (const tag of ['zh', 'zh-Hans', 'zh-CN', 'zh-SG', 'zh-Hans-HK'])
      expect(localeForTag(tag), tag).to.equal('zh-Hans');
    for (const tag of ['zh-TW', 'zh-HK', 'zh-MO', 'zh-Hant', 'zh-Hant-CN'])
      expect(localeForTag(tag), tag).to.equal(undefined);
    expect(pickLocale({ acceptLanguage: 'zh-TW, ja;q=0.8' })).to.equal('ja');
    expect(pickLocale({ acceptLanguage: 'zh-TW' })).to.equal('en');
    expect(pickLocale({ acceptLanguage: 'zh-CN,zh;q=0.9' })).to.equal('zh-Hans');
  });

  it('drops malformed Accept-Language entries', () => {
    expect(parseAcceptLanguage('<x>, fr;q=abc, en-GB;q=0.4')).to.deep.equal(['fr', 'en-gb']);
    expect(parseAcceptLanguage(undefined)).to.deep.equal([]);
  });

  it('ships 18 languages, two of them right to left', () => {
    expect(LOCALES).to.have.length(18);
    expect(LOCALES.filter((l) => directionOf(l) === 'rtl')).to.deep.equal(['ar', 'he']);
  });
});
