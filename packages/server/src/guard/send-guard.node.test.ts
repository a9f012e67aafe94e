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

  it("adds the ledger's List-Unsubscribe and One-Click headers through nodemailer's compile step; the link unsubscribes", async () => {
    const person = await k.kit.person();
    const email = person.email ?? '';
    // A stream transport builds the message as a mailbox provider receives it (RFC 5322 bytes).
    const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    transporter.use('compile', guardPlugin(guardFor('marketing')));
    const base = { from: 'news@allstream.example', subject: 'News', text: 'Hello' };
    const sent = await transporter.sendMail({ ...base, to: `Person <${email}>`, headers: { 'X-Campaign': 'winter' } });
    // The header block, unfolded (RFC 5322 §2.2.3: a long List-Unsubscribe is folded onto two lines).
    const head = (String(sent.message).split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n(?=[ \t])/g, '');
    const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(head)?.[1];
    // The very values the ledger's linker makes for this person and purpose (POST /v1/links).
    const links = await k.kit.request('/v1/links', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, purpose: 'marketing' }),
    });
    const expected = ((await links.json()) as { headers: Record<string, string> }).headers;
    const listUnsubscribe = header('List-Unsubscribe') ?? '';
    expect(listUnsubscribe).to.match(/^<https:\/\/ledger\.example\/u\/[A-Za-z0-9_-]+>/);
    expect(listUnsubscribe.split('/u/')[0]).to.equal(expected['List-Unsubscribe']?.split('/u/')[0]);
    expect(listUnsubscribe.toLowerCase().includes(email.split('@')[0] ?? email), 'the link is opaque').to.equal(false);
    expect(header('List-Unsubscribe-Post')).to.equal('List-Unsubscribe=One-Click');
    expect(header('X-Campaign'), "the sender's own headers stay").to.equal('winter');

    // RFC 8058: the mailbox provider POSTs List-Unsubscribe=One-Click to the URI; the person is out.
    const uri = /^<([^>]+)>/.exec(listUnsubscribe)?.[1] ?? '';
    const clicked = await k.kit.request(new URL(uri).pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(clicked.status).to.equal(200);
    const after = await guardFor('marketing').check([email]);
    expect(after.allowed).to.deep.equal([]);
    expect(after.skipped[0]).to.include({ email, status: 'denied', reason: 'opted-out' });
  });

  it('adds no List-Unsubscribe to a message for several recipients, nor over one the sender set', async () => {
    const [a, b] = [await k.kit.person(), await k.kit.person()];
    const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    transporter.use('compile', guardPlugin(guardFor('marketing')));
    const base = { from: 'news@allstream.example', subject: 'News', text: 'Hello' };
    const both = String((await transporter.sendMail({ ...base, to: [a.email ?? '', b.email ?? ''] })).message);
    expect(both).to.not.match(/^List-Unsubscribe/im);
    const own = String(
      (
        await transporter.sendMail({
          ...base,
          to: a.email ?? '',
          list: { unsubscribe: 'https://news.allstream.example/own-unsubscribe' },
        })
      ).message,
    );
    expect(own.replace(/\r?\n(?=[ \t])/g, '')).to.match(
      /^List-Unsubscribe:\s*<https:\/\/news\.allstream\.example\/own-unsubscribe>$/im,
    );
    expect(own).to.not.match(/ledger\.example\/u\//);
    // Turned off, a one-recipient message gets none either.
    const plain = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    plain.use('compile', guardPlugin(guardFor('marketing'), { listUnsubscribe: false }));
    expect(String((await plain.sendMail({ ...base, to: a.email ?? '' })).message)).to.not.match(/^List-Unsubscribe/im);
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
