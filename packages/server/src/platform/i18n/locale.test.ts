import { expect } from 'chai';
import { parseAcceptLanguage, pickLocale } from './locale.js';
import { messagesFor } from './messages.js';

describe('hosted page locale', () => {
  it('takes a whitelisted ?lang= first', () => {
    expect(pickLocale({ query: 'fr', acceptLanguage: 'en' })).to.equal('fr');
    expect(pickLocale({ query: 'FR' })).to.equal('fr');
  });

  it('ignores a ?lang= outside the whitelist and falls back to Accept-Language', () => {
    expect(pickLocale({ query: '"><script>', acceptLanguage: 'fr-CA,fr;q=0.9' })).to.equal('fr');
    expect(pickLocale({ query: 'de' })).to.equal('en');
  });

  it('maps regional tags to their language and honours q-values', () => {
    expect(pickLocale({ acceptLanguage: 'fr-CA' })).to.equal('fr');
    expect(pickLocale({ acceptLanguage: 'de-DE, en;q=0.5, fr;q=0.8' })).to.equal('fr');
    expect(pickLocale({ acceptLanguage: 'fr;q=0, en' })).to.equal('en');
  });

  it('drops malformed Accept-Language entries', () => {
    expect(parseAcceptLanguage('<x>, fr;q=abc, en-GB;q=0.4')).to.deep.equal(['fr', 'en-gb']);
    expect(parseAcceptLanguage(undefined)).to.deep.equal([]);
  });

  it('has every page string in English and French', () => {
    const en = messagesFor('en');
    const fr = messagesFor('fr');
    expect(Object.keys(fr).sort()).to.deep.equal(Object.keys(en).sort());
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      const value = fr[key];
      // Message functions take one or two arguments (a name, a date, where a purpose stands): give each what it needs.
      const text = typeof value === 'function' ? (value as (...args: unknown[]) => string)('X', true) : value;
      expect(text, key).to.be.a('string').and.not.equal('');
    }
    expect(en.gpcHonored).to.equal('Opt-Out Request Honored');
  });
});
