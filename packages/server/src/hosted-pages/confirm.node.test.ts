// Confirmed opt-in (docs/security.md, "writing consent in someone else's name"): a grant typed into
// a form for an address stays pending until the person confirms it through the link the sender
// mailed (POST /v1/links → /c/{token}). GET shows it and never writes; POST confirms with CSRF like
// /p; the ledger signs a confirmation naming the grant, at `inbox` assurance. Real app, both stores.

import { createHash } from 'node:crypto';
import { createTokenCodec, isPermitted } from '@consentkit/core';
import { TEST_API_KEY, TEST_MASTER_KEY } from '@consentkit/test-support/keys';
import { createPerson } from '@consentkit/test-support/people';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { createTestLedger, describeKitOnStores, READ_AUDIT_TABLES } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { decodeRecord } from '../ledger/records-of.js';
import { rotateKeys } from '../platform/crypto/keyring.js';

const SHARE = { purpose: 'partner-sharing', granted: true, basis: 'express', interaction: 'pointer' } as const;
const CREDIT = { purpose: 'credit-check', granted: true, basis: 'express', interaction: 'pointer' } as const;
const DAY = 86_400_000;

type Links = {
  confirmations: Array<{ purpose: string; recordId: string; url: string }>;
};

describeKitOnStores('confirmed opt-in: /c/{token}', {}, (k) => {
  /** Someone types the person's address into a form and ticks `decisions`, keyless: `device`. */
  async function typedGrant(decisions: ReadonlyArray<typeof SHARE | typeof CREDIT>) {
    const typed = await createPerson({ policy: k.kit.policy, email: k.person.email });
    const signed = await typed.sign({ decisions: [...decisions] });
    const res = await k.kit.post([{ jws: signed.jws, opening: signed.opening }]);
    expect(res.status).to.equal(200);
    return signed.record.id;
  }

  async function linksFor(purpose: string): Promise<Links> {
    const res = await k.kit.request('/v1/links', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify({ email: k.person.email, purpose }),
    });
    expect(res.status).to.equal(200);
    return (await res.json()) as Links;
  }

  const pathOf = (url: string) => new URL(url).pathname;

  /** The page's form as a browser would post it (its action and hidden CSRF field). */
  async function formOf(path: string): Promise<{ action: string; body: URLSearchParams }> {
    const page = await (await k.kit.request(path)).text();
    const action = /<form method="post" action="([^"]+)">/.exec(page)?.[1];
    const csrf = /<input type="hidden" name="csrf" value="([^"]+)">/.exec(page)?.[1];
    expect(action, 'the page has a form').to.be.a('string');
    return { action: action ?? '', body: new URLSearchParams({ csrf: csrf ?? '' }) };
  }

  const entries = () => k.kit.store.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries');

  it('a grant typed for someone else stays pending until the link’s POST; GET alone changes nothing', async () => {
    const grantId = await typedGrant([SHARE]);
    expect((await k.person.state())['partner-sharing']).to.include({ status: 'pending', recordId: grantId });

    const links = await linksFor('partner-sharing');
    expect(links.confirmations).to.have.length(1);
    const link = links.confirmations[0];
    expect(link).to.include({ purpose: 'partner-sharing', recordId: grantId });
    const path = pathOf(link?.url ?? '');
    expect(path).to.match(/^\/c\/[A-Za-z0-9_-]+$/);
    expect(path.length - 3, 'token length').to.be.at.most(120);

    // GET (and HEAD, and a repeat) shows what will be confirmed and writes nothing.
    const before = await k.kit.snapshot({ ignore: READ_AUDIT_TABLES });
    const page = await k.kit.request(path);
    expect(page.status).to.equal(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("default-src 'none'");
    expect(csp).to.not.include("'unsafe-inline'");
    const html = await page.text();
    expect(html).to.include('Confirm your choice');
    expect(html).to.include('Sharing with authorized partners');
    expect((await k.kit.request(path, { method: 'HEAD' })).status).to.equal(200);
    await k.kit.request(path);
    expect(await k.kit.snapshot({ ignore: READ_AUDIT_TABLES })).to.deep.equal(before);
    const pending = await k.person.state();
    expect(pending['partner-sharing']?.status).to.equal('pending');
    expect(isPermitted(pending, 'partner-sharing')).to.equal(false);

    // The person's POST confirms it.
    const form = await formOf(path);
    const done = await k.kit.request(form.action, { method: 'POST', body: form.body });
    expect(done.status).to.equal(200);
    expect(await done.text()).to.include('your choice is confirmed');
    const state = await k.person.state();
    expect(state['partner-sharing']).to.include({ status: 'granted', recordId: grantId });
    expect(isPermitted(state, 'partner-sharing')).to.equal(true);

    // One new entry, signed by the ledger, at inbox, naming the grant; the ledger verifies.
    const rows = await k.kit.store.query<{ jws: string; assurance: string; kid: string }>(
      'SELECT jws, assurance, kid FROM ledger_entries ORDER BY seq DESC LIMIT 1',
    );
    const confirmation = decodeRecord(rows[0]?.jws ?? '');
    expect(confirmation).to.include({ confirms: grantId, method: 'email-confirmation' });
    expect(confirmation.decisions.map((d) => d.purpose)).to.deep.equal(['partner-sharing']);
    expect(rows[0]?.assurance).to.equal('inbox');
    expect(rows[0]?.kid).to.equal(k.kit.context.keyring.signer.kid);
    expect((await k.kit.verify()).ok).to.equal(true);

    // A second POST (double click, retry) writes nothing more; no link is offered any more.
    const count = (await entries())[0]?.n;
    const again = await k.kit.request(form.action, { method: 'POST', body: form.body });
    expect(again.status).to.equal(200);
    expect((await entries())[0]?.n).to.equal(count);
    expect((await linksFor('partner-sharing')).confirmations).to.deep.equal([]);
  });

  it('a confirmation signed before a key rotation still counts: confirming again after a restart writes nothing', async () => {
    const grantId = await typedGrant([CREDIT]);
    const shown = { locale: 'en', wording: { 'credit-check': 'Credit check' } };
    const input = { recordId: grantId, kind: 'confirms', purposes: ['credit-check'], shown } as const;
    // The service itself, as two POSTs that both found the grant pending would reach it.
    const first = await k.kit.context.subjects.vouch(input);
    expect(first.changed).to.equal(true);
    const count = (await entries())[0]?.n;

    await rotateKeys({ store: k.kit.store, masterKey: TEST_MASTER_KEY, purposes: ['signing'] });
    const restarted = await createTestLedger(k.kit.store);
    expect(restarted.context.keyring.signer.kid).to.not.equal(k.kit.context.keyring.signer.kid);
    const again = await restarted.context.subjects.vouch(input);
    expect(again, 'the first confirmation, found').to.include({ changed: false, recordId: first.recordId });
    expect((await entries())[0]?.n, 'no second confirmation').to.equal(count);
    expect((await restarted.verify()).ok).to.equal(true);
  });

  it('a forged, altered, expired, other-purpose or other-page token is refused with the same 404', async () => {
    const grantId = await typedGrant([SHARE]);
    const link = (await linksFor('*')).confirmations.find((c) => c.purpose === 'partner-sharing');
    const good = pathOf(link?.url ?? '').slice(3);
    const { keys, currentKid } = k.kit.context.keyring.tokenKeys;
    const past = createTokenCodec({ keys, currentKid, now: () => Date.now() - 400 * DAY });
    const codec = createTokenCodec({ keys, currentKid });
    const flip = (t: string, i: number) => t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
    const bad: Record<string, string> = {
      forged: Buffer.from(crypto.getRandomValues(new Uint8Array(70))).toString('base64url'),
      altered: flip(good, Math.floor(good.length / 2)),
      expired: await past.issue({ subject: grantId, scope: 'confirm:partner-sharing', ttlDays: 60 }),
      // The record grants partner sharing only: a token for another purpose of it confirms nothing.
      'other purpose': await codec.issue({ subject: grantId, scope: 'confirm:credit-check' }),
      'primary purpose': await codec.issue({ subject: grantId, scope: 'confirm:application-processing' }),
      'unknown record': await codec.issue({ subject: crypto.randomUUID(), scope: 'confirm:partner-sharing' }),
      'unsubscribe token': await k.person.token('unsubscribe:partner-sharing'),
      'preferences token': await k.person.token('preferences'),
    };
    const reference = await (await k.kit.request('/c/x')).text();
    const before = await k.kit.snapshot({ ignore: READ_AUDIT_TABLES });
    for (const [label, token] of Object.entries(bad)) {
      for (const method of ['GET', 'POST']) {
        const res = await k.kit.request(`/c/${token}`, {
          method,
          ...(method === 'POST' ? { body: new URLSearchParams({ csrf: 'x' }) } : {}),
        });
        expect(res.status, `${method} ${label}`).to.equal(404);
        expect(await res.text(), `${method} ${label}`).to.equal(reference);
      }
    }
    // A confirmation token reaches neither the unsubscribe page nor the preference centre.
    expect((await k.kit.request(`/u/${good}`)).status).to.equal(404);
    expect((await k.kit.request(`/p/${good}`)).status).to.equal(404);
    expect(await k.kit.snapshot({ ignore: READ_AUDIT_TABLES })).to.deep.equal(before);
    expect((await k.person.state())['partner-sharing']?.status).to.equal('pending');
    // The good token still works, so the 404s above were refusals.
    expect((await k.kit.request(`/c/${good}`)).status).to.equal(200);
  });

  it('a POST without a valid CSRF field, or from another site, is refused with 403 and confirms nothing', async () => {
    await typedGrant([SHARE]);
    const path = pathOf((await linksFor('partner-sharing')).confirmations[0]?.url ?? '');
    const form = await formOf(path);
    const before = await k.kit.snapshot();
    const attempts: Array<[string, URLSearchParams, Record<string, string>]> = [
      ['no field', new URLSearchParams(), {}],
      ['forged field', new URLSearchParams({ csrf: `${Math.floor(Date.now() / 1000)}.${'A'.repeat(43)}` }), {}],
      ['cross-site', form.body, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    ];
    for (const [label, body, headers] of attempts) {
      const res = await k.kit.request(path, { method: 'POST', body, headers });
      expect(res.status, label).to.equal(403);
      expect(await res.text(), label).to.include('your change was not saved');
    }
    expect(await k.kit.snapshot(), 'a refused form wrote something').to.deep.equal(before);
    expect((await k.person.state())['partner-sharing']?.status).to.equal('pending');
  });

  it('confirms only the purpose the link names: the other grant of the same record stays pending', async () => {
    const grantId = await typedGrant([SHARE, CREDIT]);
    const links = await linksFor('*');
    expect(links.confirmations.map((c) => [c.purpose, c.recordId])).to.deep.equal([
      ['partner-sharing', grantId],
      ['credit-check', grantId],
    ]);
    const path = pathOf(links.confirmations[0]?.url ?? '');
    const form = await formOf(path);
    expect((await k.kit.request(form.action, { method: 'POST', body: form.body })).status).to.equal(200);
    const state = await k.person.state();
    expect(state['partner-sharing']?.status).to.equal('granted');
    expect(state['credit-check']).to.include({ status: 'pending', recordId: grantId });
  });

  it('a grant the person withdrew since is not brought back: the page says there is nothing to confirm', async () => {
    await typedGrant([SHARE]);
    const path = pathOf((await linksFor('partner-sharing')).confirmations[0]?.url ?? '');
    const form = await formOf(path);
    // The person (or anyone: withdrawing counts at every level) withdraws before opening the mail.
    const withdraw = await createPerson({ policy: k.kit.policy, email: k.person.email });
    const signed = await withdraw.sign({ decisions: [{ ...SHARE, granted: false }] });
    await k.kit.post([{ jws: signed.jws, opening: signed.opening }]);
    expect(await (await k.kit.request(path)).text()).to.include('Nothing to confirm');
    const count = (await entries())[0]?.n;
    const res = await k.kit.request(form.action, { method: 'POST', body: form.body });
    expect(res.status).to.equal(200);
    expect((await entries())[0]?.n).to.equal(count);
    expect((await k.person.state())['partner-sharing']?.status).to.equal('denied');
  });

  it('speaks French with ?lang=fr and keeps the language in its form', async () => {
    await typedGrant([SHARE]);
    const path = pathOf((await linksFor('partner-sharing')).confirmations[0]?.url ?? '');
    const res = await k.kit.request(`${path}?lang=fr`);
    const html = await res.text();
    expect(html).to.include('<html lang="fr" dir="ltr">');
    expect(html).to.include('Confirmez votre choix');
    expect(html).to.include(`action="${path}?lang=fr"`);
  });

  it('the confirmation record names the language of the purpose words the page showed, with their hash', async () => {
    const share = allstreamPolicy.purposes.find((p) => p.id === 'partner-sharing');
    const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    // French: the policy has French words. German: it has none, so the page shows (and says) English.
    for (const [lang, words] of [
      ['fr', share?.title.fr],
      ['de', share?.title.en],
    ] as const) {
      const other = await k.kit.person();
      const typed = await createPerson({ policy: k.kit.policy, email: other.email });
      const signed = await typed.sign({ decisions: [SHARE] });
      await k.kit.post([{ jws: signed.jws, opening: signed.opening }]);
      const res = await k.kit.request('/v1/links', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
        body: JSON.stringify({ email: other.email, purpose: 'partner-sharing' }),
      });
      const path = pathOf(((await res.json()) as Links).confirmations[0]?.url ?? '');
      const form = await formOf(`${path}?lang=${lang}`);
      expect(form.action).to.equal(`${path}?lang=${lang}`);
      expect((await k.kit.request(form.action, { method: 'POST', body: form.body })).status).to.equal(200);
      const rows = await k.kit.store.query<{ jws: string }>(
        'SELECT jws FROM ledger_entries WHERE subject_ref = $1 ORDER BY seq DESC LIMIT 1',
        [other.ref],
      );
      const record = decodeRecord(rows[0]?.jws ?? '');
      expect(record.confirms, lang).to.equal(signed.record.id);
      expect(record.locale, lang).to.equal(lang === 'fr' ? 'fr' : 'en');
      const description = lang === 'fr' ? share?.description.fr : share?.description.en;
      expect(record.decisions[0]?.wording?.sha256, lang).to.equal(sha256(`${words}. ${description}`));
    }
  });
});
