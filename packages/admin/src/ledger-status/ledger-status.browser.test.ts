import { cleanup, expectAccessible, mount, shadowText, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { LEDGER_OK, LEDGER_TAMPERED } from '../../test/support/sample-data.js';
import { scriptedServer } from '../../test/support/scripted-server.js';
import { createAdminClient } from '../client/admin-client.js';
import { ConsentAdminLedgerStatus } from './ledger-status.js';

ConsentAdminLedgerStatus.define();

describe('<consent-admin-ledger-status>', () => {
  afterEach(cleanup);

  async function panel(body: unknown) {
    const server = scriptedServer({ '/v1/admin/ledger-status': { status: 200, body } });
    const el = await mount<ConsentAdminLedgerStatus>('consent-admin-ledger-status', (e) => {
      e.client = createAdminClient({ key: 'ck_test', baseUrl: '', fetch: server.fetch });
    });
    await until(() => el.shadowRoot?.querySelector('[data-ledger-ok]'), 'the verdict');
    return { el, server };
  }

  it('is accessible, intact or not (axe, WCAG 2.2 AA, R61)', async () => {
    await expectAccessible((await panel(LEDGER_OK)).el);
    cleanup();
    await expectAccessible((await panel(LEDGER_TAMPERED)).el);
  });

  it('states an intact ledger in words, with the entries and the last checkpoint', async () => {
    const { el } = await panel(LEDGER_OK);
    expect(shadowText(el, '[data-ledger-ok]')).to.equal('✓ Verified: the ledger is intact');
    expect(shadowText(el, '[data-field="entries"]')).to.equal('5');
    expect(shadowText(el, 'dl')).to.include('entry 4, signed Jan 3, 2026');
  });

  it('names the first bad entry and the reason when verification fails (R72)', async () => {
    const { el } = await panel(LEDGER_TAMPERED);
    expect(shadowText(el, '[data-ledger-ok]')).to.equal('✗ Verification FAILED');
    expect(shadowText(el, '[data-field="fault"]')).to.equal('entry 3: entryHash does not match the entry (changed)');
  });

  it('"Check again" asks the server again', async () => {
    const { el, server } = await panel(LEDGER_OK);
    el.shadowRoot?.querySelector('button')?.click();
    await until(() => (server.requests.length === 2 ? true : undefined), 'a second request');
    expect(server.requests.map((r) => r.url)).to.deep.equal(['/v1/admin/ledger-status', '/v1/admin/ledger-status']);
  });
});
