import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { describeEachStore } from '@consentkit/test-support/server';
import { expect } from 'chai';

describeEachStore('GET /v1/subjects/{ref}', (s) => {
  let ref = '';
  before(async () => {
    ref = await s.t.enrol('dana@example.com');
  });

  const get = (path: string, headers: Record<string, string> = {}) => s.t.app.request(path, { headers });

  it('requires the API key: 401 without one or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-key-wrong-key-wrong' }, { 'x-api-key': 'short' }]) {
      const response = await get(`/v1/subjects/${ref}/state`, headers);
      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.match(/^Bearer/);
      expect(response.headers.get('content-type')).to.equal('application/problem+json');
    }
    expect((await get(`/v1/subjects/${ref}/records`)).status).to.equal(401);
  });

  it('answers state by subject ref or by email (Bearer or X-API-Key)', async () => {
    const byRef = await get(`/v1/subjects/${ref}/state`, { authorization: `Bearer ${TEST_API_KEY}` });
    expect(byRef.status).to.equal(200);
    const byEmail = await get('/v1/subjects/DANA%40example.com/state', { 'x-api-key': TEST_API_KEY });
    const a = (await byRef.json()) as { subject: string; state: Record<string, { status: string }> };
    const b = (await byEmail.json()) as typeof a;
    expect(b.subject).to.equal(ref);
    expect(a.state['application-processing']?.status).to.equal('granted');
    expect(a.state['partner-sharing']?.status).to.not.equal('granted');
  });

  it('lists the history with receipts', async () => {
    const response = await get(`/v1/subjects/${ref}/records`, { authorization: `Bearer ${TEST_API_KEY}` });
    const body = (await response.json()) as {
      records: { seq: number; receipt: string; record: { method: string } }[];
    };
    expect(body.records).to.have.length(1);
    expect(body.records[0]?.record.method).to.equal('form-submit');
    expect(body.records[0]?.receipt.split('.')).to.have.length(3);
  });

  it('404 for an unknown ref or address, 400 for a bad query', async () => {
    const auth = { authorization: `Bearer ${TEST_API_KEY}` };
    expect((await get('/v1/subjects/nobody%40example.com/state', auth)).status).to.equal(404);
    expect((await get('/v1/subjects/01890000-0000-7000-8000-000000000000/state', auth)).status).to.equal(404);
    expect((await get('/v1/subjects/not-a-ref/records', auth)).status).to.equal(404);
    expect((await get(`/v1/subjects/${ref}/state?gpc=maybe`, auth)).status).to.equal(400);
  });
});
