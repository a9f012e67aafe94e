import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { createTestLedger, storeFactories, type TestLedger, type TestStore } from '@consentkit/test-support/server';
import { expect } from 'chai';

for (const factory of storeFactories()) {
  describe(`POST /v1/links (${factory.name})`, () => {
    let db: TestStore;
    let t: TestLedger;
    before(async () => {
      db = await factory.create();
      t = await createTestLedger(db.store);
    });
    after(() => db.close());

    const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TEST_API_KEY}` }) =>
      t.app.request('/v1/links', {
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
}
