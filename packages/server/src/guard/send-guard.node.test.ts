import type { AddressInfo } from 'node:net';
import type { Decision } from '@consentkit/core';
import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeKitOnStores, type LedgerPerson } from '@consentkit/test-support/server';
import { serve } from '@hono/node-server';
import { expect } from 'chai';
import nodemailer from 'nodemailer';
import { formsOf } from '../../test/support/page-forms.js';
import { sendGridKit } from '../../test/support/provider-kits.js';
import { GuardError } from './guard-error.js';
import { guardPlugin, RecipientRefused } from './nodemailer-guard.js';
import { createSendGuard } from './send-guard.js';

// The sender's guard against the real server (over HTTP) on both stores: it refuses exactly the
// people who opted out, whichever route they took — the form, one-click, the preference page, GPC,
// an email provider's webhook — and lets everyone else through.

const provider = sendGridKit();

describeKitOnStores('the sender’s guard', { app: { providers: provider.options } }, (k) => {
  let url = '';
  let close: () => Promise<void> = async () => {};
  before(async () => {
    const server = serve({ fetch: k.kit.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  });
  after(() => close());

  const guardFor = (purpose: string) => createSendGuard({ ledgerUrl: url, apiKey: TEST_API_KEY, purpose, cacheMs: 0 });

  /** The guard refuses `out` alone: `control` (a person who did nothing) goes through. */
  async function expectOnlyRefused(purpose: string, out: LedgerPerson, control: LedgerPerson) {
    const verdict = await guardFor(purpose).check([out.email, control.email]);
    expect(verdict.allowed).to.deep.equal([control.email]);
    expect(verdict.skipped).to.have.length(1);
    expect(verdict.skipped[0]).to.include({ email: out.email, status: 'denied' });
    expect(verdict.skipped[0]?.recordId, 'the record the refusal rests on').to.be.a('string');
  }

  it('refuses a person who opted out on the form (a signed opt-out record)', async () => {
    const control = await k.kit.person();
    expect((await guardFor('marketing').check([k.person.email])).allowed).to.deep.equal([k.person.email]);
    const decisions: Decision[] = [
      { purpose: 'application-processing', granted: true, basis: 'implied' },
      { purpose: 'marketing', granted: false, basis: 'opt-out' },
    ];
    const signed = await k.person.sign({ decisions });
    expect((await k.kit.post([{ jws: signed.jws, opening: signed.opening }])).status).to.equal(200);
    await expectOnlyRefused('marketing', k.person, control);
  });

  it('refuses a person who used one-click unsubscribe (POST /u/…)', async () => {
    const control = await k.kit.person();
    const token = await k.person.token('unsubscribe:marketing');
    const clicked = await k.kit.request(`/u/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }).toString(),
    });
    expect(clicked.status).to.equal(200);
    await expectOnlyRefused('marketing', k.person, control);
  });

  it('refuses a person who withdrew on the preference page (POST /p/…)', async () => {
    const control = await k.kit.person();
    const token = await k.person.token('preferences');
    const form = formsOf(await (await k.kit.request(`/p/${token}`)).text()).get('marketing');
    if (!form) throw new Error('the preference page has no marketing form');
    expect(form.fields.get('granted')).to.equal('false');
    const saved = await k.kit.request(form.action, { method: 'POST', body: form.fields });
    expect(saved.status).to.equal(200);
    await expectOnlyRefused('marketing', k.person, control);
  });

  it('refuses a person whose browser sent GPC (the opt-out record the SDK makes for it)', async () => {
    const control = await k.kit.person();
    // partner-sharing is express: the control's grant counts only when the site's backend vouches
    // for it (posted with the site's key), else it stays pending and the guard skips it too.
    const vouched = await control.sign({
      decisions: [{ purpose: 'partner-sharing', granted: true, basis: 'express' }],
    });
    const site = { authorization: `Bearer ${TEST_API_KEY}` };
    expect((await k.kit.post([{ jws: vouched.jws, opening: vouched.opening }], site)).status).to.equal(200);
    // What the SDK records on a GPC signal: the policy's GPC purposes declined, method gpc, no interaction.
    const signed = await k.person.sign({
      decisions: [{ purpose: 'partner-sharing', granted: false, basis: 'express' }],
      method: 'gpc',
      interaction: 'none',
      gpc: true,
    });
    expect((await k.kit.post([{ jws: signed.jws, opening: signed.opening }])).status).to.equal(200);
    await expectOnlyRefused('partner-sharing', k.person, control);
  });

  it("refuses a person who unsubscribed through the email provider's own link (its webhook)", async () => {
    const control = await k.kit.person();
    const request = await provider.request([{ kind: 'unsubscribe', email: k.person.email ?? '' }]);
    const response = await k.kit.request(request.path, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    expect(response.status, await response.clone().text()).to.equal(200);
    await expectOnlyRefused('marketing', k.person, control);
  });

  it('the nodemailer plugin refuses a message to an opted-out recipient and sends the others', async () => {
    const control = await k.kit.person();
    const token = await k.person.token('unsubscribe:marketing');
    await k.kit.request(`/u/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }).toString(),
    });
    const transporter = nodemailer.createTransport({ jsonTransport: true });
    transporter.use('compile', guardPlugin(guardFor('marketing')));
    const base = { from: 'news@allstream.example', subject: 'News', text: 'Hello' };
    const sent = await transporter.sendMail({ ...base, to: `Control <${control.email}>` });
    expect(JSON.parse(String(sent.message)).to[0].address).to.equal(control.email);
    const refused = await transporter
      .sendMail({ ...base, to: control.email ?? '', bcc: [{ name: 'Out', address: k.person.email ?? '' }] })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).to.be.instanceOf(RecipientRefused);
    expect((refused as RecipientRefused).code).to.equal('recipient-opted-out');
    expect((refused as RecipientRefused).message).to.match(/^\[consentkit\]/);
    expect((refused as RecipientRefused).skipped.map((s) => s.email)).to.deep.equal([k.person.email]);
  });

  it('fails closed: a wrong key or an unknown purpose sends nothing, with guard-unavailable', async () => {
    for (const guard of [
      createSendGuard({ ledgerUrl: url, apiKey: 'not-a-key', purpose: 'marketing' }),
      createSendGuard({ ledgerUrl: url, apiKey: TEST_API_KEY, purpose: 'no-such-purpose' }),
    ]) {
      const error = await guard.check([k.person.email ?? '']).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(GuardError);
      expect((error as GuardError).code).to.equal('guard-unavailable');
    }
  });
});
