// The hosted pages in every shipped language, and the policy's own words where the policy has no
// translation: each page is drawn in the person's language with its lang and dir, offers the
// switcher, and a record it writes names the language of the purpose words shown and carries the
// hash of exactly those words. Real app, both stores.
import { createHash } from 'node:crypto';
import { allstreamPolicy, testPolicy } from '@consentkit/test-support/policy';
import { describeKitOnStores } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { formsOf } from '../../test/support/page-forms.js';
import { decodeRecord } from '../ledger/records-of.js';
import { directionOf, LOCALES } from '../platform/i18n/locale.js';
import { messagesFor } from '../platform/i18n/messages.js';
import { PAGE_CSS } from '../platform/pages/styles.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const marketing = allstreamPolicy.purposes.find((p) => p.id === 'marketing');
const ARABIC = { title: 'رسائل تسويقية', description: 'عروض وأخبار عن خدماتنا.' };

// AllStream (en and fr) plus an Arabic translation of the marketing purpose only.
const policy = testPolicy({
  locales: ['en', 'fr', 'ar'],
  purposes: {
    marketing: {
      title: { ...marketing?.title, en: marketing?.title.en ?? '', ar: ARABIC.title },
      description: { ...marketing?.description, en: marketing?.description.en ?? '', ar: ARABIC.description },
    },
  },
});

/** Decodes HTML's escapes of the page's text (the html tag escapes these five). */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();

describe('hosted page stylesheet', () => {
  it('anchors nothing to the left or the right: logical properties only, so ar and he pages mirror', () => {
    expect(PAGE_CSS).to.not.match(/\b(left|right)\b/);
    expect(PAGE_CSS).to.not.match(
      /margin-(top|bottom)|padding-(top|bottom)|border-(top|bottom)|[{;](width|height)\s*:/,
    );
  });
});

describeKitOnStores('hosted pages in every language', { policy }, (k) => {
  /** The person's records the ledger signed, newest last. */
  async function ledgerRecords() {
    const rows = await k.kit.store.query<{ jws: string }>(
      'SELECT jws FROM ledger_entries WHERE subject_ref = $1 ORDER BY seq',
      [k.person.ref],
    );
    return rows.map((r) => decodeRecord(r.jws));
  }

  it('draws /p and /u in each of the 18 languages, with lang, dir and the switcher naming each language in itself', async () => {
    const pref = await k.person.token('preferences');
    const unsub = await k.person.token('unsubscribe:marketing');
    for (const locale of LOCALES) {
      const m = messagesFor(locale);
      for (const path of [`/p/${pref}`, `/u/${unsub}`, '/']) {
        const html = await (await k.kit.request(`${path}?lang=${locale}`)).text();
        expect(html, `${path} ${locale}`).to.include(`<html lang="${locale}" dir="${directionOf(locale)}">`);
        expect(html).to.include(`<span>${m.languageLabel}</span>`);
        for (const other of LOCALES) {
          const name = messagesFor(other).languageName;
          expect(html).to.include(`hreflang="${other}" lang="${other}" dir="${directionOf(other)}"`);
          expect(html).to.include(`>${name}</a>`);
        }
        expect(html.match(/aria-current="true"/g)).to.have.length(1);
        expect(html).to.match(new RegExp(`hreflang="${locale}"[^>]*aria-current="true"`));
      }
    }
  });

  it('follows Accept-Language when there is no ?lang=, and falls back to English', async () => {
    const pref = await k.person.token('preferences');
    const cases: Array<[string, string]> = [
      ['pt-BR,pt;q=0.9', 'pt'],
      ['zh-CN', 'zh-Hans'],
      ['zh-TW, ko;q=0.5', 'ko'],
      ['he-IL', 'he'],
      ['tlh', 'en'],
    ];
    for (const [header, locale] of cases) {
      const html = await (await k.kit.request(`/p/${pref}`, { headers: { 'Accept-Language': header } })).text();
      expect(html, header).to.include(`<html lang="${locale}"`);
    }
  });

  it('a French page shows the policy’s French words, and its record says fr with the hash of those words', async () => {
    const pref = await k.person.token('preferences');
    const page = await (await k.kit.request(`/p/${pref}?lang=fr`)).text();
    const title = marketing?.title.fr ?? '';
    const description = marketing?.description.fr ?? '';
    expect(page).to.include(`<h3 id="purpose-1">${title}</h3>`);
    expect(page).to.not.include('data-policy-language');
    const form = formsOf(page).get('marketing');
    expect(form).to.not.equal(undefined);
    const res = await k.kit.request(form?.action ?? '', { method: 'POST', body: form?.fields ?? null });
    expect(res.status).to.equal(200);
    const record = (await ledgerRecords()).at(-1);
    expect(record?.method).to.equal('preference-page');
    expect(record?.locale).to.equal('fr');
    const decision = record?.decisions.find((d) => d.purpose === 'marketing');
    expect(decision?.wording?.sha256).to.equal(sha256(`${title}. ${description}`));
  });

  it('a German page keeps the policy’s English words (marked lang="en", and said), and its record says en', async () => {
    const pref = await k.person.token('preferences');
    const page = await (await k.kit.request(`/p/${pref}?lang=de`)).text();
    const title = marketing?.title.en ?? '';
    const description = marketing?.description.en ?? '';
    const heading = /<h3 id="purpose-\d" lang="en" dir="ltr">([^<]*)<\/h3>/;
    expect(text(heading.exec(page)?.[0] ?? '')).to.be.oneOf(allstreamPolicy.purposes.map((p) => p.title.en));
    expect(page).to.include(`lang="en" dir="ltr">${title}</h3>`);
    // The note says, in German, that the choices are described in English.
    expect(page).to.include('data-policy-language="en"').and.include('auf Englisch beschrieben');
    const form = formsOf(page).get('marketing');
    const saved = await (
      await k.kit.request(form?.action ?? '', { method: 'POST', body: form?.fields ?? null })
    ).text();
    // The German status sentence quotes the English title, marked as English.
    expect(saved).to.match(
      new RegExp(
        `role="status"><p>Gespeichert\\. <span lang="en" dir="ltr">${escapeRegExp(title)}</span>: (ein|aus)\\.</p>`,
      ),
    );
    const record = (await ledgerRecords()).at(-1);
    expect(record?.locale).to.equal('en');
    expect(record?.decisions[0]?.wording?.sha256).to.equal(sha256(`${title}. ${description}`));
  });

  it('an Arabic page shows the one purpose translated into Arabic in Arabic, the others in English, each record naming its own', async () => {
    const pref = await k.person.token('preferences');
    const page = await (await k.kit.request(`/p/${pref}?lang=ar`)).text();
    expect(page).to.include('<html lang="ar" dir="rtl">');
    expect(page).to.include(`<h3 id="purpose-1">${ARABIC.title}</h3>`);
    expect(page).to.include('lang="en" dir="ltr">Loyalty programme</h3>');
    const forms = formsOf(page);
    await k.kit.request(forms.get('marketing')?.action ?? '', {
      method: 'POST',
      body: forms.get('marketing')?.fields ?? null,
    });
    const arabic = (await ledgerRecords()).at(-1);
    expect(arabic?.locale).to.equal('ar');
    expect(arabic?.decisions[0]?.wording?.sha256).to.equal(sha256(`${ARABIC.title}. ${ARABIC.description}`));
    const loyalty = allstreamPolicy.purposes.find((p) => p.id === 'loyalty-programme');
    await k.kit.request(forms.get('loyalty-programme')?.action ?? '', {
      method: 'POST',
      body: forms.get('loyalty-programme')?.fields ?? null,
    });
    const english = (await ledgerRecords()).at(-1);
    expect(english?.locale).to.equal('en');
    expect(english?.decisions[0]?.wording?.sha256).to.equal(sha256(`${loyalty?.title.en}. ${loyalty?.description.en}`));
  });

  it('the unsubscribe page’s button writes the title it listed, in the language it listed it; a mailbox one-click writes no wording', async () => {
    const unsub = await k.person.token('unsubscribe:marketing');
    const page = await (await k.kit.request(`/u/${unsub}?lang=ja`)).text();
    const listed = /<ul class="unsubscribe-list"><li lang="en" dir="ltr">([^<]*)<\/li><\/ul>/.exec(page)?.[1];
    expect(listed).to.equal(marketing?.title.en);
    // The Japanese sentence naming what the person receives marks each English title as English.
    const receives = /<p>現在、(.*?)を受信しています/.exec(page)?.[1] ?? '';
    expect(receives).to.include(`<span lang="en" dir="ltr">${marketing?.title.en}</span>`);
    expect(receives.replace(/<span lang="en" dir="ltr">[^<]*<\/span>/g, '')).to.match(/^(、|, )*$/);
    const action = /<form method="post" action="([^"]+)">/.exec(page)?.[1] ?? '';
    expect(action).to.include('?lang=ja');
    await k.kit.request(action, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click', via: 'page' }),
    });
    const record = (await ledgerRecords()).at(-1);
    expect(record?.locale).to.equal('en');
    expect(record?.decisions[0]?.wording).to.deep.equal({ sha256: sha256(listed ?? ''), text: listed });

    const other = await k.kit.person();
    const token = await other.token('unsubscribe:marketing');
    await k.kit.request(`/u/${token}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    const rows = await k.kit.store.query<{ jws: string }>(
      'SELECT jws FROM ledger_entries WHERE subject_ref = $1 ORDER BY seq DESC LIMIT 1',
      [other.ref],
    );
    expect(decodeRecord(rows[0]?.jws ?? '').decisions[0]?.wording).to.equal(undefined);
  });

  it('under GPC every language shows its own heading and R50’s English words', async () => {
    const pref = await k.person.token('preferences');
    for (const locale of LOCALES) {
      const html = await (await k.kit.request(`/p/${pref}?lang=${locale}`, { headers: { 'Sec-GPC': '1' } })).text();
      expect(html, locale).to.include('Opt-Out Request Honored');
      expect(html, locale).to.include(messagesFor(locale).gpcHonored);
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
