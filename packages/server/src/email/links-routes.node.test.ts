import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeEachStore } from '@consentkit/test-support/server';
import { expect } from 'chai';

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
    const links = (await response.json()) as { unsubscribeUrl: string; headerLines: string[] };
    expect(links.unsubscribeUrl).to.match(/^https:\/\/ledger\.example\/u\//);
    expect(links.headerLines[1]).to.equal('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect((await post({ email: 'not-an-email', purpose: 'marketing' })).status).to.equal(400);
    expect((await post({ email: 'ivy@example.com', purpose: 'nope' })).status).to.equal(400);
  });
});
