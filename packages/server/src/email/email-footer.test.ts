import { expect } from 'chai';
import { LOCALES } from '../platform/i18n/locale.js';
import { messagesFor } from '../platform/i18n/messages.js';
import { emailFooter, recipientLocale } from './email-footer.js';

describe('the mail footer in the recipient’s language', () => {
  it('has its words, lang and dir in each of the 18 languages', () => {
    for (const locale of LOCALES) {
      const footer = emailFooter({ locale, organisation: 'AllStream' });
      const m = messagesFor(locale);
      expect(footer).to.deep.equal({
        lang: locale,
        dir: locale === 'ar' || locale === 'he' ? 'rtl' : 'ltr',
        sentBy: m.emailSentBy('AllStream'),
        unsubscribe: m.emailUnsubscribe,
        preferences: m.emailPreferences,
      });
      expect(footer.sentBy, locale).to.include('AllStream');
    }
  });

  it('reads the language from a tag or an Accept-Language value; unknown ones get English', () => {
    expect(recipientLocale('pt-BR')).to.equal('pt');
    expect(recipientLocale('fr-CA,fr;q=0.9,en;q=0.5')).to.equal('fr');
    expect(recipientLocale('zh-CN')).to.equal('zh-Hans');
    expect(recipientLocale('zh-TW')).to.equal('en');
    expect(recipientLocale('tlh')).to.equal('en');
    expect(recipientLocale(undefined)).to.equal('en');
  });
});
