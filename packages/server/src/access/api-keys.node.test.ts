import { createHash } from 'node:crypto';
import { createTestSigner, TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeEachStore, postRecords, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createApp } from '../runtime/app.js';
import { loadConfig } from '../runtime/config.js';
import { type CreatedApiKey, createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { listAudit, verifyAudit } from './audit-log.js';

// Access: scoped keys stored as hashes; 401 for no / unknown / revoked key, 403 for a
// key without the scope; every read of personal data lands in the audit trail.
type Problem = { status: number; code: string; detail: string };

describeEachStore('scoped API keys', (s) => {
  let ref = '';
  const keys: Record<'ingest' | 'read' | 'admin' | 'revoked', CreatedApiKey | undefined> = {
    ingest: undefined,
    read: undefined,
    admin: undefined,
    revoked: undefined,
  };
  const bearer = (k: CreatedApiKey | undefined) => ({ authorization: `Bearer ${k?.key ?? ''}` });

  before(async () => {
    ref = await s.t.enrol('iris@example.com');
    keys.ingest = await createApiKey(s.db.store, { name: 'website', scope: 'ingest' });
    keys.read = await createApiKey(s.db.store, { name: 'crm', scope: 'read' });
    keys.admin = await createApiKey(s.db.store, { name: 'dpo', scope: 'admin' });
    keys.revoked = await createApiKey(s.db.store, { name: 'old laptop', scope: 'admin' });
    expect(await revokeApiKey(s.db.store, keys.revoked.id)).to.equal(true);
  });

  const problem = async (response: Response, status: number): Promise<Problem> => {
    expect(response.status).to.equal(status);
    expect(response.headers.get('content-type')).to.equal('application/problem+json');
    return (await response.json()) as Problem;
  };

  it('stores only a SHA-256 of each high-entropy ck_ key, never the key', async () => {
    expect(keys.read?.key).to.match(/^ck_[A-Za-z0-9_-]{43}$/);
    const rows = await s.db.store.query('SELECT * FROM api_keys');
    const text = JSON.stringify(rows);
    for (const k of [keys.ingest, keys.read, keys.admin, keys.revoked]) {
      expect(text).to.not.include(k?.key);
      expect(text).to.include(
        createHash('sha256')
          .update(k?.key ?? '')
          .digest('hex'),
      );
    }
    const listed = await listApiKeys(s.db.store);
    expect(listed.map((k) => k.scope)).to.deep.equal(['ingest', 'read', 'admin', 'admin']);
    expect(listed.find((k) => k.id === keys.revoked?.id)?.revokedAt).to.be.a('string');
    expect(await revokeApiKey(s.db.store, keys.revoked?.id ?? '')).to.equal(false);
  });

  it('401 with a clear message for a missing, unknown or revoked key', async () => {
    const path = `/v1/subjects/${ref}/state`;
    expect((await problem(await s.t.app.request(path), 401)).detail).to.match(/API key is required/);
    const unknown = await s.t.app.request(path, { headers: { authorization: `Bearer ck_${'A'.repeat(43)}` } });
    expect((await problem(unknown, 401)).detail).to.match(/unknown key/);
    const revoked = await s.t.app.request(path, { headers: bearer(keys.revoked) });
    const body = await problem(revoked, 401);
    expect(body.detail).to.match(/revoked/);
    expect(revoked.headers.get('www-authenticate')).to.match(/^Bearer/);
  });

  it('read keys read; ingest keys get 403 naming the scope they lack', async () => {
    for (const endpoint of ['state', 'records']) {
      const ok = await s.t.app.request(`/v1/subjects/${ref}/${endpoint}`, {
        headers: { 'x-api-key': keys.read?.key ?? '' },
      });
      expect(ok.status, endpoint).to.equal(200);
      const denied = await s.t.app.request(`/v1/subjects/${ref}/${endpoint}`, { headers: bearer(keys.ingest) });
      const body = await problem(denied, 403);
      expect(body.code).to.equal('forbidden');
      expect(body.detail).to.include('"ingest"').and.include('"read"');
    }
    const links = await s.t.app.request('/v1/links', {
      method: 'POST',
      headers: { ...bearer(keys.read), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'iris@example.com', purpose: 'marketing' }),
    });
    expect(links.status).to.equal(200);
  });

  it('DELETE /v1/subjects/{ref} needs admin: 403 for read, 200 for an admin key', async () => {
    const signed = await signedRecord({
      signer: await createTestSigner(),
      policy: s.t.policy,
      prev: null,
      email: 'jack@example.com',
    });
    await postRecords(s.t.app, [{ jws: signed.jws, opening: signed.opening }]);
    const path = '/v1/subjects/jack%40example.com';
    const denied = await problem(await s.t.app.request(path, { method: 'DELETE', headers: bearer(keys.read) }), 403);
    expect(denied.detail).to.include('"admin"');
    const erased = await s.t.app.request(path, { method: 'DELETE', headers: bearer(keys.admin) });
    expect(erased.status).to.equal(200);
    expect((await s.t.app.request(path, { method: 'DELETE', headers: bearer(keys.admin) })).status).to.equal(404);
  });

  it('CONSENTKIT_API_KEY stays an admin key, and stored keys work without it', async () => {
    const auth = { authorization: `Bearer ${TEST_API_KEY}` };
    expect((await s.t.app.request(`/v1/subjects/${ref}/state`, { headers: auth })).status).to.equal(200);
    const noConfigKey = createApp({ context: s.t.context, log: () => {} });
    expect((await noConfigKey.request(`/v1/subjects/${ref}/state`, { headers: bearer(keys.read) })).status).to.equal(
      200,
    );
    expect((await noConfigKey.request(`/v1/subjects/${ref}/state`, { headers: auth })).status).to.equal(401);
  });

  it('POST /v1/records stays open, unless CONSENTKIT_INGEST_REQUIRES_KEY asks for an ingest key', async () => {
    const signer = await createTestSigner();
    const record = (prev: string | null) => signedRecord({ signer, policy: s.t.policy, prev });
    const closed = createApp({ context: s.t.context, apiKey: TEST_API_KEY, ingestRequiresKey: true, log: () => {} });
    const first = await record(null);
    const post = (headers: Record<string, string>) => postRecords(closed, [{ jws: first.jws }], headers);
    expect((await problem(await post({}), 401)).detail).to.match(/API key is required/);
    expect((await problem(await post(bearer(keys.read)), 403)).detail).to.include('"ingest"');
    const accepted = await post(bearer(keys.ingest));
    expect(accepted.status).to.equal(200);
    const open = await postRecords(s.t.app, [{ jws: (await record(first.digest)).jws }]);
    expect(open.status).to.equal(200);
  });

  it('audits every read by key id and subject ref, never by the address used to look it up', async () => {
    const before = (await listAudit(s.db.store)).length;
    await s.t.app.request('/v1/subjects/IRIS%40example.com/state', { headers: bearer(keys.read) });
    const entries = await listAudit(s.db.store);
    expect(entries).to.have.length(before + 1);
    expect(entries.at(-1)).to.include({ actor: `key:${keys.read?.id}`, action: 'subject.state', target: ref });
    expect(JSON.stringify(entries).toLowerCase()).to.not.include('iris@example.com');
    expect(entries.some((e) => e.action === 'subject.records')).to.equal(true);
    expect(entries.some((e) => e.action === 'links.create')).to.equal(true);
    expect(entries.some((e) => e.action === 'subject.erase' && e.actor === `key:${keys.admin?.id}`)).to.equal(true);
    // Refused calls read nothing, so they are not reads to audit.
    expect(entries.some((e) => e.actor === `key:${keys.ingest?.id}`)).to.equal(false);
    expect(await verifyAudit(s.db.store)).to.deep.equal({ ok: true, count: entries.length });
  });
});

describe('CONSENTKIT_INGEST_REQUIRES_KEY', () => {
  it('is off by default, on with true/1 (variable or flag), and rejects anything else', () => {
    expect(loadConfig({ env: {} }).ingestRequiresKey).to.equal(false);
    expect(loadConfig({ env: { CONSENTKIT_INGEST_REQUIRES_KEY: 'TRUE' } }).ingestRequiresKey).to.equal(true);
    expect(loadConfig({ env: {}, argv: ['--ingest-requires-key', '1'] }).ingestRequiresKey).to.equal(true);
    expect(() => loadConfig({ env: { CONSENTKIT_INGEST_REQUIRES_KEY: 'maybe' } })).to.throw(
      /CONSENTKIT_INGEST_REQUIRES_KEY \(--ingest-requires-key\): must be true or false/,
    );
  });
});
