import type { PublicJwk } from '@consentkit/core';
import {
  ISO_27560_SCHEMA_VERSION,
  type Iso27560Receipt,
  type Iso27560Record,
  KANTARA_VERSION,
  type KantaraReceipt,
  missingIso27560Fields,
  validateKantaraReceipt,
  verifyKantaraReceipt,
} from '@consentkit/core/projections';
import { createTestSigner, TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeEachStore, postRecords, signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createApiKey } from '../access/api-keys.js';
import { listAudit } from '../access/audit-log.js';

// Projections: each stored record as a Kantara Consent Receipt v1.1 (R1–R7) and as an
// ISO/IEC TS 27560 record (R8–R11), over the API, checked with core's validators on both stores.

const HAL = 'hal@example.com';
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

describeEachStore('GET /v1/records/{id}/kantara and /iso-27560', (s) => {
  let grantId = '';
  let withdrawId = '';
  let ref = '';
  before(async () => {
    const signer = await createTestSigner();
    const grant = await signedRecord({ signer, policy: s.t.policy, prev: null, email: HAL });
    const withdraw = await signedRecord({
      signer,
      policy: s.t.policy,
      prev: grant.digest,
      email: HAL,
      decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' }],
    });
    await postRecords(
      s.t.app,
      [grant, withdraw].map((r) => ({ jws: r.jws, opening: r.opening })),
    );
    grantId = grant.record.id;
    withdrawId = withdraw.record.id;
    ref = (await s.db.store.query<{ ref: string }>('SELECT ref FROM subjects'))[0]?.ref ?? '';
  });

  const get = (path: string, headers: Record<string, string> = auth) => s.t.app.request(path, { headers });

  it('R1–R6: the Kantara projection passes the v1.1 validator, with seconds, policyUrl and no identifier', async () => {
    const response = await get(`/v1/records/${grantId}/kantara`);
    expect(response.status).to.equal(200);
    const body = (await response.json()) as KantaraReceipt & Record<string, unknown>;
    const checked = validateKantaraReceipt(body);
    expect(checked.ok, JSON.stringify(checked.error?.issues)).to.equal(true);
    expect(body.version).to.equal(KANTARA_VERSION);
    expect(body.consentReceiptID).to.equal(grantId);
    // R1: Unix seconds, never milliseconds or ISO text; the key is policyUrl exactly.
    expect(Number.isInteger(body.consentTimestamp)).to.equal(true);
    expect(body.consentTimestamp).to.be.within(Math.floor(Date.now() / 1000) - 600, Math.floor(Date.now() / 1000));
    expect(body).to.have.property('policyUrl');
    expect(body).to.not.have.property('policyURL');
    // The person appears as the record's commitment, never as the address.
    expect(JSON.stringify(body)).to.not.include(HAL);
    expect(body.piiPrincipalId).to.match(/^commitment:/);
    // R3: a purpose disclosed to a third party names it.
    for (const service of body.services) {
      for (const p of service.purposes) {
        if (p.thirdPartyDisclosure) expect(p.thirdPartyName, p.purpose).to.be.a('string').and.not.equal('');
      }
    }
  });

  it('R7: ?signed=true is the same receipt as a JWS by the ledger key (ES256/EdDSA, never HS256)', async () => {
    const plain = await (await get(`/v1/records/${grantId}/kantara`)).json();
    const response = await get(`/v1/records/${grantId}/kantara?signed=true`);
    expect(response.headers.get('content-type')).to.equal('application/jose');
    const jwks = (await (await s.t.app.request('/.well-known/jwks.json')).json()) as {
      keys: (PublicJwk & { kid: string })[];
    };
    const verified = await verifyKantaraReceipt(await response.text(), {
      key: async (h) => jwks.keys.find((k) => k.kid === h.kid),
      algorithms: ['ES256', 'EdDSA'],
    });
    expect(verified.receipt).to.deep.equal(plain);
    expect(['ES256', 'EdDSA']).to.include(verified.header.alg);
  });

  it('R8–R10: the 27560 projection has the four sections and every mandatory field; ?receipt=true wraps it', async () => {
    const response = await get(`/v1/records/${grantId}/iso-27560`);
    expect(response.status).to.equal(200);
    const body = (await response.json()) as Iso27560Record;
    expect(Object.keys(body).sort()).to.deep.equal(['events', 'header', 'parties', 'processing']);
    expect(missingIso27560Fields(body)).to.deep.equal([]);
    expect(body.header).to.include({ recordId: grantId, piiPrincipalId: `ref:${ref}` });
    expect(JSON.stringify(body)).to.not.include(HAL);
    const wrapped = (await (await get(`/v1/records/${grantId}/iso-27560?receipt=true`)).json()) as Iso27560Receipt;
    expect(wrapped.schemaVersion).to.equal(ISO_27560_SCHEMA_VERSION);
    expect(wrapped.receiptId).to.be.a('string').and.not.equal('');
    expect(wrapped.recordId).to.equal(grantId);
    expect(missingIso27560Fields(wrapped.record)).to.deep.equal([]);
  });

  it('R11: a withdrawal is a new event; the grant’s events are unchanged', async () => {
    const first = (await (await get(`/v1/records/${grantId}/iso-27560`)).json()) as Iso27560Record;
    const second = (await (await get(`/v1/records/${withdrawId}/iso-27560`)).json()) as Iso27560Record;
    expect(second.events.slice(0, first.events.length)).to.deep.equal(first.events);
    const marketing = second.events.filter((e) => e.purposeId === 'marketing');
    expect(marketing.map((e) => e.eventType)).to.deep.equal(['given', 'withdrawn']);
    expect(marketing.map((e) => e.isValidForProcessing)).to.deep.equal([true, false]);
  });

  it('answers 404 for an unknown id, 400 for a malformed id or query, 401/403 without a read key', async () => {
    const unknown = await get('/v1/records/01900000-0000-7000-8000-000000000000/kantara');
    expect(unknown.status).to.equal(404);
    expect(unknown.headers.get('content-type')).to.equal('application/problem+json');
    expect(((await unknown.json()) as { detail: string }).detail).to.match(/no record/);
    const malformed = await get('/v1/records/not-a-uuid/iso-27560');
    expect(malformed.status).to.equal(400);
    expect(((await malformed.json()) as { detail: string }).detail).to.match(/record ids are UUIDs/);
    expect((await get(`/v1/records/${grantId}/kantara?signed=yes`)).status).to.equal(400);
    expect((await get(`/v1/records/${grantId}/iso-27560?nope=1`)).status).to.equal(400);
    expect((await get(`/v1/records/${grantId}/kantara`, {})).status).to.equal(401);
    const ingest = await createApiKey(s.db.store, { name: 'ingest-projections', scope: 'ingest' });
    expect((await get(`/v1/records/${grantId}/kantara`, { authorization: `Bearer ${ingest.key}` })).status).to.equal(
      403,
    );
    const read = await createApiKey(s.db.store, { name: 'read-projections', scope: 'read' });
    expect((await get(`/v1/records/${grantId}/kantara`, { authorization: `Bearer ${read.key}` })).status).to.equal(200);
  });

  it('audits each projection as a read of the person’s records', async () => {
    const before = (await listAudit(s.db.store)).length;
    await get(`/v1/records/${withdrawId}/kantara`);
    await get(`/v1/records/${withdrawId}/iso-27560`);
    const added = (await listAudit(s.db.store)).slice(before);
    expect(added.map((a) => [a.action, a.target, a.detail])).to.deep.equal([
      ['record.projection', ref, { recordId: withdrawId, projection: 'kantara' }],
      ['record.projection', ref, { recordId: withdrawId, projection: 'iso-27560' }],
    ]);
  });

  it('is listed in the OpenAPI document', async () => {
    const doc = (await (await s.t.app.request('/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(doc.paths).to.include.keys(
      '/v1/records/{id}/kantara',
      '/v1/records/{id}/iso-27560',
      '/v1/subjects/{ref}/export',
    );
  });
});
