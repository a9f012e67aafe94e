import { cleanup, expectAccessible, mount, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { COLLECTION_POINTS } from '../../test/support/sample-data.js';
import { scriptedServer } from '../../test/support/scripted-server.js';
import { createAdminClient } from '../client/admin-client.js';
import { ConsentAdminCollectionPoints } from './collection-points.js';

ConsentAdminCollectionPoints.define();

describe('<consent-admin-collection-points>', () => {
  afterEach(cleanup);

  async function table() {
    const server = scriptedServer({ '/v1/admin/stats/collection-points': { status: 200, body: COLLECTION_POINTS } });
    const el = await mount<ConsentAdminCollectionPoints>('consent-admin-collection-points', (e) => {
      e.client = createAdminClient({ key: 'ck_test', baseUrl: '', fetch: server.fetch });
    });
    await until(() => el.shadowRoot?.querySelector('tbody tr'), 'the rows');
    return el;
  }

  it('is accessible (axe, WCAG 2.2 AA, R61)', async () => {
    await expectAccessible(await table());
  });

  it('gives each point its rate as a percentage, and "n/a" where nothing could be opted out of', async () => {
    const el = await table();
    const rows = [...(el.shadowRoot?.querySelectorAll('tbody tr') ?? [])].map((tr) => [
      tr.querySelector('th')?.textContent?.trim(),
      tr.querySelector('[data-field="rate"]')?.textContent?.trim(),
    ]);
    expect(rows).to.deep.equal([
      ['https://shop.example/apply — form application', '33.3%'],
      ['https://shop.example/account — flow preference-page', 'n/a (no opt-out choice offered)'],
    ]);
  });

  it('says so when the server cannot be reached', async () => {
    const server = scriptedServer({ '/v1/admin/stats/collection-points': 'network-error' });
    const el = await mount<ConsentAdminCollectionPoints>('consent-admin-collection-points', (e) => {
      e.client = createAdminClient({ key: 'ck_test', baseUrl: '', fetch: server.fetch });
    });
    const alert = await until(() => el.shadowRoot?.querySelector('[role="alert"]'), 'the alert');
    expect(alert.textContent).to.include('could not be reached');
  });
});
