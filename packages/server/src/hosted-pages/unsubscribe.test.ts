import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeKitOnStores, READ_AUDIT_TABLES } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { hostedPolicy } from '../../test/support/hosted-policy.js';

const oneClickForm = () => new URLSearchParams({ 'List-Unsubscribe': 'One-Click' });
const oneClickMultipart = () => {
  const form = new FormData();
  form.set('List-Unsubscribe', 'One-Click');
  return form;
};
/** The answer without what must differ per response (CSP nonce, freshly issued preference link). */
const stable = (body: string) => body.replace(/nonce="[^"]+"/g, 'nonce=""').replace(/\/p\/[^"]+/g, '/p/…');

describeKitOnStores('hosted unsubscribe page and RFC 8058 one-click', { policy: hostedPolicy() }, (k) => {
  const marketing = async () => (await k.person.state()).marketing;

  it('C2/R41/R42: urlencoded One-Click POST answers 200, no Location, no Set-Cookie, and unsubscribes at once', async () => {
    const token = await k.person.token('unsubscribe:marketing');
    expect((await marketing())?.status).to.equal('granted');
    const res = await k.kit.request(`/u/${token}`, { method: 'POST', body: oneClickForm() });
    expect(res.status).to.equal(200);
    expect(res.headers.get('location')).to.equal(null);
    expect(res.headers.get('set-cookie')).to.equal(null);
    expect(await res.text()).to.include('You are unsubscribed');
    // C8: the very next state query (the admin API) sees it.
    const state = (await k.person.apiState()).marketing;
    expect(state?.status).to.equal('denied');
    expect(state?.reason).to.equal('opted-out');
    expect(await k.person.transitions()).to.equal(1);
  });

  it('C3/R41: the same POST as multipart/form-data gives the same result', async () => {
    const token = await k.person.token('unsubscribe:marketing');
    const res = await k.kit.request(`/u/${token}`, { method: 'POST', body: oneClickMultipart() });
    expect(res.status).to.equal(200);
    expect(res.headers.get('location')).to.equal(null);
    expect(res.headers.get('set-cookie')).to.equal(null);
    expect((await marketing())?.status).to.equal('denied');
    expect(await k.person.transitions()).to.equal(1);
  });

  it('C4/R42: five repeats give the same 2xx answer and exactly one state transition', async () => {
    const token = await k.person.token('unsubscribe:marketing');
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const body = i % 2 === 0 ? oneClickForm() : oneClickMultipart();
      const res = await k.kit.request(`/u/${token}`, { method: 'POST', body });
      expect(res.status).to.equal(200);
      answers.push(stable(await res.text()));
    }
    expect(new Set(answers).size).to.equal(1);
    expect(await k.person.transitions()).to.equal(1);
  });

  it('C4/R42: five concurrent repeats still make one state transition', async () => {
    const token = await k.person.token('unsubscribe:marketing');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => k.kit.request(`/u/${token}`, { method: 'POST', body: oneClickForm() })),
    );
    expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(await k.person.transitions()).to.equal(1);
  });

  it('C5/R36/R42: GET shows the page without login and never changes state; HEAD neither', async () => {
    const token = await k.person.token('unsubscribe:marketing');
    const res = await k.kit.request(`/u/${token}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    const page = await res.text();
    expect(page).to.include('<form method="post"');
    expect(page).to.include('Marketing emails');
    const head = await k.kit.request(`/u/${token}`, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(await head.text()).to.equal('');
    // Even a GPC-sending scanner does not make a GET write (R42 design rule).
    await k.kit.request(`/u/${token}`, { headers: { 'Sec-GPC': '1' } });
    expect(await k.person.transitions()).to.equal(0);
    expect((await marketing())?.status).to.equal('granted');
  });

  it("R41: the page's own button posts the one-click body and works without JavaScript", async () => {
    const token = await k.person.token('unsubscribe:marketing');
    const page = await (await k.kit.request(`/u/${token}`)).text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    expect(action).to.equal(`/u/${token}`);
    const fields = new URLSearchParams(
      [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
    );
    const res = await k.kit.request(action ?? '', {
      method: 'POST',
      body: fields,
      headers: { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(res.status).to.equal(200);
    expect((await marketing())?.status).to.equal('denied');
    expect(await k.person.transitions()).to.equal(1);
  });

  it('C5: after unsubscribing, the page says so and offers no second button', async () => {
    const token = await k.person.token('unsubscribe:marketing');
    await k.kit.request(`/u/${token}`, { method: 'POST', body: oneClickForm() });
    const page = await (await k.kit.request(`/u/${token}`)).text();
    expect(page).to.include('You are already unsubscribed.');
    expect(page).to.not.include('<form');
    expect(await k.person.transitions()).to.equal(1);
  });

  it('someone with no records yet (a sender ran `link` for a new address): the page says they are subscribed and offers the one button, en and fr', async () => {
    const links = await k.kit.request('/v1/links', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', purpose: 'marketing' }),
    });
    expect(links.status).to.equal(200);
    const path = new URL(((await links.json()) as { unsubscribeUrl: string }).unsubscribeUrl).pathname;
    const snapshot = await k.kit.snapshot({ ignore: READ_AUDIT_TABLES });

    const page = await (await k.kit.request(path)).text();
    expect(page).to.include('You are subscribed to Marketing emails: you have not unsubscribed.');
    expect(page).to.not.include('already unsubscribed');
    expect(page).to.match(/<form method="post"[\s\S]*<button type="submit" class="primary">Unsubscribe<\/button>/);
    const fr = await (await k.kit.request(`${path}?lang=fr`)).text();
    expect(fr).to.include('Vous êtes abonné à Courriels de marketing : vous ne vous êtes pas désabonné.');
    expect(fr).to.include('Me désabonner</button>');
    // R42: the GETs changed nothing.
    expect(await k.kit.snapshot({ ignore: READ_AUDIT_TABLES })).to.deep.equal(snapshot);

    const done = await (await k.kit.request(path, { method: 'POST', body: oneClickForm() })).text();
    expect(done).to.include('You are unsubscribed');
    const after = await (await k.kit.request(path)).text();
    expect(after).to.include('You are already unsubscribed.');
    expect(after).to.not.include('<form');
  });

  it('French: ?lang=fr is kept through the form, the answer and the preference link', async () => {
    const token = await k.person.token('unsubscribe:marketing');
    const page = await (await k.kit.request(`/u/${token}?lang=fr`)).text();
    expect(page).to.match(/<html lang="fr" dir="ltr">/);
    expect(page).to.include('Me désabonner');
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(action).to.equal(`/u/${token}?lang=fr`);
    const done = await (await k.kit.request(action, { method: 'POST', body: oneClickForm() })).text();
    expect(done).to.include('Vous êtes désabonné');
    expect(done).to.match(/href="\/p\/[^"?]+\?lang=fr"/);
    const byHeader = await (await k.kit.request(`/u/${token}`, { headers: { 'Accept-Language': 'fr-CA' } })).text();
    expect(byHeader).to.include('Vous êtes déjà désabonné.');
  });

  it('C10/R41: the one-click route applies no CSRF or Origin check', async () => {
    const token = await k.person.token('unsubscribe:marketing');
    const res = await k.kit.request(`/u/${token}`, {
      method: 'POST',
      body: oneClickForm(),
      headers: { Origin: 'https://mail.provider.example', 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(res.status).to.equal(200);
    expect((await marketing())?.status).to.equal('denied');
  });

  it('R42: a POST without the One-Click body changes nothing and gets a friendly 400', async () => {
    const token = await k.person.token('unsubscribe:marketing');
    for (const body of [new URLSearchParams({ 'List-Unsubscribe': 'Nope' }), 'List-Unsubscribe=One-Click']) {
      const res = await k.kit.request(`/u/${token}`, {
        method: 'POST',
        body,
        headers: typeof body === 'string' ? { 'Content-Type': 'text/plain' } : {},
      });
      expect(res.status).to.equal(400);
      expect(await res.text()).to.include('<h1>');
    }
    expect(await k.person.transitions()).to.equal(0);
  });

  it('R36: unsubscribe:* withdraws every purpose the person can turn off, never the primary one', async () => {
    const token = await k.person.token('unsubscribe:*');
    const res = await k.kit.request(`/u/${token}`, { method: 'POST', body: oneClickForm() });
    expect(res.status).to.equal(200);
    const state = await k.person.state();
    expect(state.marketing?.status).to.equal('denied');
    expect(state['ad-sharing']?.status).to.equal('denied');
    expect(state.application?.reason).to.not.equal('opted-out');
  });

  it('B11/R45: a one-click POST with Sec-GPC: 1 also records the GPC opt-out and says so', async () => {
    const token = await k.person.token('unsubscribe:marketing');
    const res = await k.kit.request(`/u/${token}`, {
      method: 'POST',
      body: oneClickForm(),
      headers: { 'Sec-GPC': '1' },
    });
    expect(await res.text()).to.include('Opt-Out Request Honored');
    const state = await k.person.state();
    expect(state['ad-sharing']?.reason).to.equal('gpc');
    expect(state.marketing?.status).to.equal('denied');
  });
});
