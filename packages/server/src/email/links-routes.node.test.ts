import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeEachStore } from '@consentkit/test-support/server';
import { expect } from 'chai';

type Links = {
  unsubscribeUrl: string;
  preferencesUrl: string;
  headerLines: string[];
  footer: { lang: string; dir: string; sentBy: string; unsubscribe: string; preferences: string };
};

describeEachStore('POST /v1/links', (s) => {
  const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TEST_API_KEY}` }) =>
    s.t.app.request('/v1/links', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('answers the links and RFC 8058 header lines for an address, behind the API key (R39, R40)', async () => {
    expect((await post({ email: 'ivy@example.com', purpose: 'marketing' }, {})).status).to.equal(401);
    const response = await post({ email: 'ivy@example.com', purpose: 'marketing' });
    expect(response.status).to.equal(200);
    const links = (await response.json()) as Links;
    expect(links.unsubscribeUrl).to.match(/^https:\/\/ledger\.example\/u\/[^?]+$/);
    expect(links.headerLines[1]).to.equal('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(links.footer).to.include({ lang: 'en', dir: 'ltr', unsubscribe: 'Unsubscribe from these emails' });
    expect((await post({ email: 'not-an-email', purpose: 'marketing' })).status).to.equal(400);
    expect((await post({ email: 'ivy@example.com', purpose: 'nope' })).status).to.equal(400);
  });

  it('with lang: the footer in that language and links that open the pages in it', async () => {
    const links = (await (
      await post({ email: 'ivy@example.com', purpose: 'marketing', lang: 'he-IL' })
    ).json()) as Links;
    expect(links.footer).to.include({ lang: 'he', dir: 'rtl', unsubscribe: 'הסרה מרשימת התפוצה של הודעות אלה' });
    expect(links.unsubscribeUrl).to.match(/\?lang=he$/);
    expect(links.preferencesUrl).to.match(/\?lang=he$/);
    expect(links.headerLines[0]).to.include(`<${links.unsubscribeUrl}>`);
    const page = await (
      await s.t.app.request(new URL(links.unsubscribeUrl).pathname + new URL(links.unsubscribeUrl).search)
    ).text();
    expect(page).to.include('<html lang="he" dir="rtl">');
    // A language we do not ship: English words, and the English pages pinned (the sender asked for one).
    const klingon = (await (
      await post({ email: 'ivy@example.com', purpose: 'marketing', lang: 'tlh' })
    ).json()) as Links;
    expect(klingon.footer.lang).to.equal('en');
    expect(klingon.unsubscribeUrl).to.match(/\?lang=en$/);
  });

  it('refuses a lang that is no language tag, saying what to send', async () => {
    const res = await post({ email: 'ivy@example.com', purpose: 'marketing', lang: '"><script>' });
    expect(res.status).to.equal(400);
    expect(await res.text()).to.include('BCP 47 language tag');
  });
});
