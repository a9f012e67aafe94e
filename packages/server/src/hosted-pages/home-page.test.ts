import { describeKitOnStores } from '@consentkit/test-support/server';
import { expect } from 'chai';

describeKitOnStores('GET / on the ledger', {}, (k) => {
  it('answers a page saying what this server is, linking /admin and the API document, under the strict CSP', async () => {
    const res = await k.kit.request('/');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(res.headers.get('content-security-policy')).to.match(/^default-src 'none'; script-src 'nonce-[^']+' /);
    expect(res.headers.get('content-security-policy')).to.not.include('unsafe-inline');
    expect(res.headers.get('x-frame-options')).to.equal('DENY');
    const page = await res.text();
    expect(page).to.include('<h1>ConsentKit consent ledger</h1>');
    expect(page).to.include('This server keeps AllStream’s consent records');
    for (const href of ['/admin', '/v1/openapi.json', '/.well-known/jwks.json'])
      expect(page).to.include(`<a href="${href}">`);
    expect(page).to.include('docs/errors.md');
    expect(page).to.not.include('<script');
    expect(page).to.not.include('<footer>');
  });

  it('speaks French when asked', async () => {
    const page = await (await k.kit.request('/', { headers: { 'Accept-Language': 'fr-CA' } })).text();
    expect(page).to.match(/<html lang="fr" dir="ltr">/);
    expect(page).to.include('<h1>Registre de consentements ConsentKit</h1>');
    expect(await (await k.kit.request('/?lang=fr')).text()).to.include('Pour l’équipe qui l’exploite');
  });

  it('only / itself is a page: unknown /v1 paths stay JSON problems, other unknown paths too', async () => {
    for (const path of ['/v1/nope', '/v1', '/nope']) {
      const res = await k.kit.request(path);
      expect(res.status, path).to.equal(404);
      expect(res.headers.get('content-type'), path).to.equal('application/problem+json');
      expect(res.headers.get('content-security-policy'), path).to.equal(null);
    }
    const api = await k.kit.request('/v1/policy');
    expect(api.headers.get('content-security-policy'), 'the API keeps its own headers').to.equal(null);
  });
});
