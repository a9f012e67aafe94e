import { describeEachStore } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createUnsubscribeLinker, formatListUnsubscribe } from './list-unsubscribe.js';

describe('formatListUnsubscribe (R39, R40)', () => {
  it('puts exactly one https URI first, then mailto, and the one-click Post header', () => {
    const headers = formatListUnsubscribe({ url: 'https://ledger.example/u/abc', mailto: 'unsub@news.example' });
    expect(headers['List-Unsubscribe']).to.equal(
      '<https://ledger.example/u/abc>, <mailto:unsub@news.example?subject=unsubscribe>',
    );
    expect(headers['List-Unsubscribe-Post']).to.equal('List-Unsubscribe=One-Click');
  });

  it('refuses plain http except on localhost', () => {
    expect(() => formatListUnsubscribe({ url: 'http://ledger.example/u/abc' })).to.throw(/https/);
    expect(formatListUnsubscribe({ url: 'http://localhost:8787/u/abc' })['List-Unsubscribe']).to.equal(
      '<http://localhost:8787/u/abc>',
    );
  });
});

describeEachStore('createUnsubscribeLinker', (s) => {
  it('gives opaque links (no address) that the hosted pages accept, and ready header lines', async () => {
    const linker = createUnsubscribeLinker({
      context: s.t.context,
      publicUrl: 'https://ledger.example',
      mailto: 'unsub@news.example',
    });
    const links = await linker.linksFor({ email: 'Frank@Example.com', purpose: 'marketing' });
    expect(links.unsubscribeUrl).to.match(/^https:\/\/ledger\.example\/u\/[\w.-]+$/);
    expect(links.preferencesUrl).to.match(/^https:\/\/ledger\.example\/p\/[\w.-]+$/);
    expect(links.unsubscribeUrl.toLowerCase()).to.not.include('frank');
    expect(links.headerLines).to.deep.equal([
      `List-Unsubscribe: <${links.unsubscribeUrl}>, <mailto:unsub@news.example?subject=unsubscribe>`,
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    ]);
    // The same person gets the same subject; the link works on the hosted page.
    const again = await linker.linksFor({ email: 'frank@example.com', purpose: '*' });
    expect(again.subjectRef).to.equal(links.subjectRef);
    const page = await s.t.app.request(new URL(links.unsubscribeUrl).pathname);
    expect(page.status).to.equal(200);
  });

  it('refuses a purpose the policy does not have', async () => {
    const linker = createUnsubscribeLinker({ context: s.t.context, publicUrl: 'https://ledger.example' });
    let message = '';
    try {
      await linker.linksFor({ email: 'x@example.com', purpose: 'nope' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/not in the current policy/);
  });
});
