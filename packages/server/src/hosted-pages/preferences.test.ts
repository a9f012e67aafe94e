import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeKitOnStores } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { hostedPolicy } from '../../test/support/hosted-policy.js';
import { formsOf, type PageForm } from '../../test/support/page-forms.js';
import { createCsrf } from '../platform/http/csrf.js';

describeKitOnStores('hosted preference centre', { policy: hostedPolicy() }, (k) => {
  let token: string;
  beforeEach(async () => {
    token = await k.person.token('preferences');
  });

  const status = async (purpose: string) => (await k.person.state())[purpose]?.status;
  const page = async (init?: RequestInit) => (await k.kit.request(`/p/${token}`, init)).text();
  const submit = (form: PageForm, headers: HeadersInit = {}) =>
    k.kit.request(form.action, { method: 'POST', body: form.fields, headers });

  it('C9/R19/R27: withdraws one purpose with one action, and grants it back with one action', async () => {
    const first = formsOf(await page());
    const withdraw = first.get('marketing');
    expect(withdraw?.fields.get('granted')).to.equal('false');
    const res = await submit(withdraw as PageForm);
    expect(res.status).to.equal(200);
    expect(res.headers.get('set-cookie')).to.equal(null);
    expect(await res.text()).to.include('Saved. Marketing emails: off.');
    expect(await status('marketing')).to.equal('denied');
    expect(await status('ad-sharing')).to.equal('granted');

    const grant = formsOf(await page()).get('marketing');
    expect(grant?.fields.get('granted')).to.equal('true');
    const granted = await submit(grant as PageForm);
    expect(granted.status).to.equal(200);
    expect(await granted.text()).to.include('Saved. Marketing emails: on.');
    expect(await status('marketing')).to.equal('granted');
    expect(await k.person.transitions()).to.equal(2);
  });

  it('French: the banner after a change says activé or désactivé', async () => {
    const frPage = async () => (await k.kit.request(`/p/${token}?lang=fr`)).text();
    const withdraw = formsOf(await frPage()).get('marketing') as PageForm;
    expect(withdraw.action).to.match(/\?lang=fr$/);
    expect(await (await submit(withdraw)).text()).to.include('Enregistré. Courriels de marketing : désactivé.');
    const grant = formsOf(await frPage()).get('marketing') as PageForm;
    expect(await (await submit(grant)).text()).to.include('Enregistré. Courriels de marketing : activé.');
  });

  it('someone with no records yet: an opt-out purpose is On (as the unsubscribe page says), its button turns it off', async () => {
    const links = await k.kit.request('/v1/links', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'grace@example.com', purpose: 'marketing' }),
    });
    const path = new URL(((await links.json()) as { preferencesUrl: string }).preferencesUrl).pathname;
    const html = await (await k.kit.request(path)).text();
    expect(html).to.match(/<li[^>]*data-purpose="marketing"[\s\S]*?class="state on">On</);
    const form = formsOf(html).get('marketing') as PageForm;
    expect(form.fields.get('granted')).to.equal('false');
    expect(await (await submit(form)).text()).to.include('Saved. Marketing emails: off.');
  });

  it('R19: the primary purpose is shown but has no withdraw control', async () => {
    const html = await page();
    expect(html).to.include('Processing your application');
    expect(formsOf(html).has('application')).to.equal(false);
    const form = formsOf(html).get('marketing') as PageForm;
    form.fields.set('purpose', 'application');
    expect((await submit(form)).status).to.equal(400);
    expect(await k.person.transitions()).to.equal(0);
  });

  it('C10/R41: a POST without the CSRF field is refused with 403 and changes nothing', async () => {
    const form = formsOf(await page()).get('marketing') as PageForm;
    form.fields.delete('csrf');
    const res = await submit(form);
    expect(res.status).to.equal(403);
    expect(await res.text()).to.include('your change was not saved');
    expect(await k.person.transitions()).to.equal(0);
  });

  it('C10: a forged, foreign-page or expired CSRF field is refused with 403', async () => {
    const form = formsOf(await page()).get('marketing') as PageForm;
    const otherToken = await k.person.token('preferences:other');
    const past = Date.now() - 13 * 60 * 60 * 1000;
    const candidates = [
      `${Math.floor(Date.now() / 1000)}.${'A'.repeat(43)}`,
      createCsrf({ key: k.kit.csrfKey }).issue(otherToken),
      createCsrf({ key: 'z'.repeat(32) }).issue(token),
      createCsrf({ key: k.kit.csrfKey, now: () => past }).issue(token),
    ];
    for (const csrf of candidates) {
      form.fields.set('csrf', csrf);
      expect((await submit(form)).status, csrf).to.equal(403);
    }
    expect(await k.person.transitions()).to.equal(0);
  });

  it('C10: a valid field posted cross-site is refused; the same post from the page works', async () => {
    const form = formsOf(await page()).get('marketing') as PageForm;
    expect((await submit(form, { 'Sec-Fetch-Site': 'cross-site' })).status).to.equal(403);
    expect((await submit(form, { Origin: 'https://evil.example' })).status).to.equal(403);
    expect(await k.person.transitions()).to.equal(0);
    // Referrer-Policy: no-referrer makes browsers send Origin: null on same-origin posts.
    expect((await submit(form, { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' })).status).to.equal(200);
    expect(await status('marketing')).to.equal('denied');
  });

  it('B11/R45/R48/R42: Sec-GPC: 1 is shown as honoured on GET without a write, and recorded once by the next POST', async () => {
    const html = await page({ headers: { 'Sec-GPC': '1' } });
    expect(html).to.include('Opt-Out Request Honored');
    expect(await k.person.transitions()).to.equal(0);
    const form = formsOf(html).get('marketing') as PageForm;
    expect((await submit(form, { 'Sec-GPC': '1' })).status).to.equal(200);
    const state = await k.person.state();
    expect(state['ad-sharing']?.status).to.equal('denied');
    expect(state['ad-sharing']?.reason).to.equal('gpc');
    const afterFirst = await k.person.transitions();
    await page({ headers: { 'Sec-GPC': '1' } });
    expect(
      (
        await submit(formsOf(await page({ headers: { 'Sec-GPC': '1' } })).get('marketing') as PageForm, {
          'Sec-GPC': '1',
        })
      ).status,
    ).to.equal(200);
    // The GPC opt-out is recorded once; the second POST only toggles marketing back.
    expect(await k.person.transitions()).to.equal(afterFirst + 1);
    expect(await status('ad-sharing')).to.equal('denied');
    // R48 (c)(6): a later visit without the signal still shows that it was processed.
    expect(await page()).to.include('Opt-Out Request Honored');
  });

  it('B11/R45: Sec-GPC values other than exactly "1" are ignored', async () => {
    for (const value of ['0', 'true', ' 1x', 'yes']) {
      const html = await page({ headers: { 'Sec-GPC': value } });
      expect(html, value).to.not.include('Opt-Out Request Honored');
    }
    expect(await k.person.transitions()).to.equal(0);
    expect(await status('ad-sharing')).to.equal('granted');
  });

  it('B11/R45: two Sec-GPC header lines, 0 and 1, count as one Sec-GPC: 1', async () => {
    const headers = new Headers();
    headers.append('Sec-GPC', '0');
    headers.append('Sec-GPC', '1');
    const html = await page({ headers });
    expect(html).to.include('Opt-Out Request Honored');
    expect((await submit(formsOf(html).get('marketing') as PageForm, headers)).status).to.equal(200);
    expect(await status('ad-sharing')).to.equal('denied');
  });

  it('B11/R42: HEAD with Sec-GPC: 1 records nothing', async () => {
    const res = await k.kit.request(`/p/${token}`, { method: 'HEAD', headers: { 'Sec-GPC': '1' } });
    expect(res.status).to.equal(200);
    expect(await k.person.transitions()).to.equal(0);
  });

  it('B12/R48 (c)(3): after GPC, an explicit click on the page re-consents, and later GPC visits keep it', async () => {
    const gpc = { 'Sec-GPC': '1' };
    const form = formsOf(await page({ headers: gpc })).get('ad-sharing') as PageForm;
    // The page shows the purpose off under GPC: its one button turns it back on.
    expect(form.fields.get('granted')).to.equal('true');
    expect((await submit(form, gpc)).status).to.equal(200);
    expect(await status('ad-sharing')).to.equal('granted');
    const again = await page({ headers: gpc });
    expect(formsOf(again).get('ad-sharing')?.fields.get('granted')).to.equal('false');
    expect(await status('ad-sharing')).to.equal('granted');
  });

  it('French with ?lang=fr and with Accept-Language: fr-CA, GPC notice included', async () => {
    const byQuery = await k.kit
      .request(`/p/${token}?lang=fr`, { headers: { 'Accept-Language': 'en', 'Sec-GPC': '1' } })
      .then((r) => r.text());
    expect(byQuery).to.match(/<html lang="fr" dir="ltr">/);
    expect(byQuery).to.include('Vos préférences');
    expect(byQuery).to.include('Courriels de marketing');
    expect(byQuery).to.include('Demande de retrait respectée');
    const byHeader = await page({ headers: { 'Accept-Language': 'fr-CA,fr;q=0.9,en;q=0.5' } });
    expect(byHeader).to.match(/<html lang="fr" dir="ltr">/);
    expect(byHeader).to.include('Désactiver');
    const english = await k.kit.request(`/p/${token}?lang=%22%3E%3Cscript%3E`).then((r) => r.text());
    expect(english).to.match(/<html lang="en" dir="ltr">/);
    expect(english).to.not.include('"><script>');
  });
});
