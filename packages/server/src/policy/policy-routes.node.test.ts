import { policyDigest } from '@consentkit/core';
import { describeEachStore } from '@consentkit/test-support/server';
import { expect } from 'chai';

describeEachStore('GET /v1/policy', (s) => {
  it('serves the policy with its digest as a strong ETag, and 304 for If-None-Match', async () => {
    const response = await s.t.app.request('/v1/policy');
    expect(response.status).to.equal(200);
    const digest = await policyDigest(s.t.policy);
    expect(response.headers.get('etag')).to.equal(`"${digest}"`);
    const body = (await response.json()) as { digest: string; policy: { id: string } };
    expect(body.digest).to.equal(digest);
    expect(body.policy.id).to.equal('allstream');

    const cached = await s.t.app.request('/v1/policy', { headers: { 'if-none-match': `"${digest}"` } });
    expect(cached.status).to.equal(304);
    expect(await cached.text()).to.equal('');
    const stale = await s.t.app.request('/v1/policy', { headers: { 'if-none-match': '"0000"' } });
    expect(stale.status).to.equal(200);
  });

  it('records the served version so records made under it verify later', async () => {
    const rows = await s.db.store.query<{ id: string; version: string }>('SELECT id, version FROM policies');
    expect(rows).to.deep.equal([{ id: 'allstream', version: s.t.policy.version }]);
  });

  it('publishes an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const response = await s.t.app.request('/v1/openapi.json');
    expect(response.status).to.equal(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).to.equal('3.1.0');
    expect(Object.keys(doc.paths)).to.include.members(['/v1/policy', '/v1/records', '/v1/subjects/{ref}/state']);
    expect(JSON.stringify(doc.paths['/v1/records'])).to.include('#/components/schemas/RecordsResponse');
    expect(JSON.stringify(doc.components.schemas.RecordResult)).to.include('chain-broken');
  });

  it('answers unknown API paths with a problem document, never a stack trace', async () => {
    const response = await s.t.app.request('/v1/nope');
    expect(response.status).to.equal(404);
    expect(response.headers.get('content-type')).to.equal('application/problem+json');
  });
});
