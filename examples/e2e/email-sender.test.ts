// The email example's sender, without a browser: the message a mailbox provider receives carries
// the ledger's RFC 8058 headers, a DKIM signature that verifies and covers both of them, and
// links that match the headers; the `send.ts` script itself works end to end with --eml.
// Run with the e2e journeys (same ledger helper); no browser involved.
// Covers R39, R40 (sender side) and C1 (docs/requirements.md).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createUnsubscribeLinker } from '@consentkit/server';
import { expect } from 'chai';
import { generateDkimKey, headerValue, verifyDkim } from '../email/dkim.js';
import { composeMarketingEmail, fetchLinks, renderEml, renderMarketingEmail, sendOverSmtp } from '../email/mailer.js';
import { startSmtpSink } from '../email/smtp-sink.js';
import { API_KEY, ROOT, startLedger, type TestLedger, UNSUBSCRIBE_MAILTO } from './support/ledger.js';

describe('examples/email sender', () => {
  let ledger: TestLedger;
  before(async () => {
    ledger = await startLedger();
  });
  after(async () => {
    await ledger?.stop();
  });

  const compose = async (email: string) => {
    // What a sender does: ask the running ledger for the person's links (POST /v1/links).
    const links = await ledger.linksFor(email, 'marketing');
    const dkim = generateDkimKey({ domainName: 'news.allstream.example', keySelector: 'test' });
    const message = composeMarketingEmail({
      from: 'AllStream <offers@news.allstream.example>',
      to: email,
      name: 'Ada',
      links,
      dkim,
    });
    return { links, dkim, message };
  };

  it('delivers over SMTP with List-Unsubscribe (one web URI + mailto), One-Click and DKIM over both (R39, R40)', async () => {
    const email = 'ada.sender@example.com';
    const { links, dkim, message } = await compose(email);
    const sink = await startSmtpSink();
    let raw: string;
    try {
      await sendOverSmtp(message, sink);
      const received = await sink.waitFor(1);
      expect(received.to).to.deep.equal([email]);
      raw = received.raw;
    } finally {
      await sink.close();
    }
    const listUnsubscribe = headerValue(raw, 'List-Unsubscribe') ?? '';
    expect(listUnsubscribe).to.equal(`<${links.unsubscribeUrl}>, <mailto:${UNSUBSCRIBE_MAILTO}?subject=unsubscribe>`);
    expect(listUnsubscribe.toLowerCase().includes('ada.sender'), 'the token is opaque').to.equal(false);
    expect(headerValue(raw, 'List-Unsubscribe-Post')).to.equal('List-Unsubscribe=One-Click');

    const result = verifyDkim(raw, dkim.publicKey);
    expect(result.ok, result.ok ? '' : result.reason).to.equal(true);
    expect(result.signedHeaders).to.include.members(['list-unsubscribe', 'list-unsubscribe-post', 'from']);

    // The verifier is not a rubber stamp: a relay rewriting the header after signing breaks it.
    const tampered = raw.replace(links.unsubscribeUrl, `${links.unsubscribeUrl.slice(0, -2)}xx`);
    expect(verifyDkim(tampered, dkim.publicKey).ok).to.equal(false);
    const otherKey = generateDkimKey({ domainName: 'news.allstream.example', keySelector: 'test' });
    expect(verifyDkim(raw, otherKey.publicKey).ok).to.equal(false);
  });

  it('renders the same signed message as .eml', async () => {
    const { links, dkim, message } = await compose('grace.sender@example.com');
    const raw = (await renderEml(message)).toString('utf8');
    expect(verifyDkim(raw, dkim.publicKey).ok).to.equal(true);
    expect(headerValue(raw, 'List-Unsubscribe')).to.include(links.unsubscribeUrl);
    expect(raw).to.include('Content-Type: text/plain');
    expect(raw).to.include('Content-Type: text/html');
  });

  it('send.ts --eml against a running ledger (POST /v1/links) writes a signed message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentkit-send-'));
    try {
      const eml = join(dir, 'out.eml');
      // Asynchronous on purpose: the ledger the script calls runs in this very process.
      const run = await promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          '--conditions=@consentkit/source',
          'examples/email/send.ts',
          '--to',
          'alan@example.com',
          '--name',
          'Alan',
          '--ledger',
          ledger.url,
          '--eml',
          eml,
        ],
        // Generous: tsx compiles the sources in a fresh process. A non-zero exit rejects.
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CONSENTKIT_API_KEY: API_KEY }, timeout: 150_000 },
      );
      expect(run.stdout).to.match(/DKIM: pass/);
      const raw = readFileSync(eml, 'utf8');
      expect(headerValue(raw, 'List-Unsubscribe')).to.match(
        new RegExp(`^<${ledger.url.replace(/[.]/g, '\\.')}/u/[A-Za-z0-9_-]+>, <mailto:${UNSUBSCRIBE_MAILTO}`),
      );
      expect(headerValue(raw, 'List-Unsubscribe-Post')).to.equal('List-Unsubscribe=One-Click');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the store-opening fallback (no --ledger) gives the same headers as the HTTP API', async () => {
    // The in-process equivalent of send.ts without --ledger: the list-unsubscribe function itself.
    const direct = await createUnsubscribeLinker({
      context: ledger.context,
      publicUrl: ledger.url,
      mailto: UNSUBSCRIBE_MAILTO,
    }).linksFor({ email: 'ada.sender@example.com', purpose: 'marketing' });
    const viaHttp = await ledger.linksFor('ada.sender@example.com', 'marketing');
    expect(direct.subjectRef).to.equal(viaHttp.subjectRef);
    expect(direct.headers['List-Unsubscribe-Post']).to.equal(viaHttp.headers['List-Unsubscribe-Post']);
    expect(direct.headers['List-Unsubscribe'].replace(/\/u\/[^>]+>/, '/u/T>')).to.equal(
      viaHttp.headers['List-Unsubscribe'].replace(/\/u\/[^>]+>/, '/u/T>'),
    );
  });

  it('an Arabic recipient’s mail: the footer in Arabic, right to left, its links opening the pages in Arabic (R43)', async () => {
    const email = 'layla.sender@example.com';
    const links = await fetchLinks({
      ledgerUrl: ledger.url,
      apiKey: API_KEY,
      email,
      purpose: 'marketing',
      lang: 'ar-EG',
    });
    expect(links.footer.lang).to.equal('ar');
    expect(links.unsubscribeUrl).to.match(/\/u\/[^?]+\?lang=ar$/);
    expect(links.preferencesUrl).to.match(/\/p\/[^?]+\?lang=ar$/);
    const dkim = generateDkimKey({ domainName: 'news.allstream.example', keySelector: 'test' });
    const message = composeMarketingEmail({
      from: 'AllStream <offers@news.allstream.example>',
      to: email,
      name: 'Layla',
      links,
      dkim,
    });
    expect(message.html).to.include('<td lang="ar" dir="rtl"');
    expect(message.html).to.include(`>${links.footer.unsubscribe}</a>`).and.include('إلغاء الاشتراك في هذه الرسائل');
    expect(message.text).to.include(`${links.footer.unsubscribe}: ${links.unsubscribeUrl}`);
    expect(message.text).to.include('أرسل إليك AllStream هذه الرسالة');
    // The header's link is the body's link, language included; the page it opens is Arabic.
    expect(message.headers['List-Unsubscribe']).to.include(`<${links.unsubscribeUrl}>`);
    const page = await (await fetch(links.unsubscribeUrl)).text();
    expect(page).to.include('<html lang="ar" dir="rtl">');
  });

  it('without a language the footer is English and the links leave the language to the browser', async () => {
    const links = await fetchLinks({
      ledgerUrl: ledger.url,
      apiKey: API_KEY,
      email: 'eve.sender@example.com',
      purpose: 'marketing',
    });
    expect(links.footer).to.include({ lang: 'en', dir: 'ltr', unsubscribe: 'Unsubscribe from these emails' });
    expect(links.unsubscribeUrl).to.not.include('?lang=');
    const html = renderMarketingEmail({ name: 'Eve', subject: 'Offers', links }).html;
    expect(html).to.include('<td lang="en" dir="ltr"').and.include('AllStream sent you this email.');
  });
});
