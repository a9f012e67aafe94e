import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createTestLedger, TEST_API_KEY, type TestLedger } from '../../test/support/ledger-fixture.js';
import { storeFactories, type TestStore } from '../../test/support/stores.js';
import { createApp } from '../runtime/app.js';

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

describe('createApp extra routes and static mounts', () => {
  let db: TestStore;
  let t: TestLedger;
  let dir = '';
  before(async () => {
    const [pglite] = storeFactories();
    if (!pglite) throw new Error('no store');
    db = await pglite.create();
    t = await createTestLedger(db.store);
    dir = mkdtempSync(join(tmpdir(), 'ck-static-'));
    writeFileSync(join(dir, 'page.html'), '<p>hello</p>');
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves files under the folder only, lists a folder without index.html, and mounts fetch handlers', async () => {
    const app = createApp({
      context: t.context,
      staticMounts: [{ path: '/examples', target: dir }],
      routes: [
        { method: 'POST', path: '/examples/apply', handler: async (r) => new Response(`got ${await r.text()}`) },
      ],
      log: () => {},
    });
    expect(await (await app.request('/examples/page.html')).text()).to.equal('<p>hello</p>');
    expect(await (await app.request('/examples/')).text()).to.include('href="/examples/page.html"');
    expect((await app.request('/examples/..%2f..%2fetc%2fpasswd')).status).to.equal(404);
    const posted = await app.request('/examples/apply', { method: 'POST', body: 'form' });
    expect(await posted.text()).to.equal('got form');
  });
});
