import { cleanup, expectAccessible, mount, shadowText, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { type ScriptedAnswer, scriptedServer } from '../../test/support/scripted-server.js';
import { createAdminClient } from '../client/admin-client.js';
import type { Delivery } from '../client/api-types.js';
import { ConsentAdminFailedDeliveries } from './failed-deliveries.js';

ConsentAdminFailedDeliveries.define();

const FAILED: Delivery = {
  id: 'd1',
  partner: 'acme-mail',
  eventType: 'consent.withdrawn',
  recordId: '0190f000-0000-7000-8000-000000000003',
  purpose: 'partner-sharing',
  status: 'failed',
  attempts: 8,
  lastStatus: 503,
  lastError: 'Service Unavailable',
  nextAttemptAt: null,
  createdAt: '2026-01-03T09:00:00.000Z',
  updatedAt: '2026-01-03T12:00:00.000Z',
};

describe('<consent-admin-failed-deliveries>', () => {
  afterEach(cleanup);

  async function panel(answer: ScriptedAnswer | undefined) {
    const server = scriptedServer(answer ? { '/v1/partners/deliveries': answer } : {});
    const el = await mount<ConsentAdminFailedDeliveries>('consent-admin-failed-deliveries', (e) => {
      e.client = createAdminClient({ key: 'ck_test', baseUrl: '', fetch: server.fetch });
    });
    await until(() => el.shadowRoot?.querySelector('[data-field], [data-delivery]'), 'the panel state');
    return { el, server };
  }

  it("lists failed deliveries from the partner queue's API, accessibly (R61)", async () => {
    const { el, server } = await panel({ status: 200, body: { deliveries: [FAILED] } });
    expect(server.requests[0]?.url).to.equal('/v1/partners/deliveries?status=failed&limit=50');
    const row = shadowText(el, 'tr[data-delivery="d1"]');
    expect(row).to.include('acme-mail');
    expect(row).to.include('consent.withdrawn');
    expect(row).to.include('HTTP 503');
    expect(row).to.include('Service Unavailable');
    await expectAccessible(el);
  });

  it('says "not available" when the server has no partner queue (404)', async () => {
    const { el } = await panel(undefined);
    expect(shadowText(el, '[data-field="not-available"]')).to.include('Not available');
    await expectAccessible(el);
  });

  it('says an admin key is needed when the key only reads (403)', async () => {
    const { el } = await panel({ status: 403, body: { status: 403, detail: 'needs admin' } });
    expect(shadowText(el, '[data-field="forbidden"]')).to.include('admin scope');
  });

  it('says when nothing failed', async () => {
    const { el } = await panel({ status: 200, body: { deliveries: [] } });
    expect(shadowText(el, '[data-field="empty"]')).to.equal('No failed deliveries.');
  });
});
