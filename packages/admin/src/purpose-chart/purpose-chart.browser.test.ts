import { cleanup, expectAccessible, mount, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { PURPOSE_STATS } from '../../test/support/sample-data.js';
import { scriptedServer } from '../../test/support/scripted-server.js';
import { createAdminClient } from '../client/admin-client.js';
import { ConsentAdminPurposeChart } from './purpose-chart.js';

ConsentAdminPurposeChart.define();

describe('<consent-admin-purpose-chart>', () => {
  afterEach(cleanup);

  async function chart() {
    const server = scriptedServer({ '/v1/admin/stats/purposes': { status: 200, body: PURPOSE_STATS } });
    const el = await mount<ConsentAdminPurposeChart>('consent-admin-purpose-chart', (e) => {
      e.client = createAdminClient({ key: 'ck_test', baseUrl: '', fetch: server.fetch });
    });
    await until(() => el.shadowRoot?.querySelector('table'), 'the table');
    return { el, server };
  }

  it('is accessible with its chart and table (axe, WCAG 2.2 AA, R61)', async () => {
    const { el } = await chart();
    await expectAccessible(el);
  });

  it('draws an SVG with role="img", a title and a summary, and the same figures as a table', async () => {
    const { el, server } = await chart();
    expect(server.requests[0]?.url).to.match(/^\/v1\/admin\/stats\/purposes\?from=\d{4}-\d{2}-\d{2}&to=.*&bucket=day$/);
    expect(server.requests[0]?.authorization).to.equal('Bearer ck_test');
    const svg = el.shadowRoot?.querySelector('svg[role="img"]');
    const labelled = (svg?.getAttribute('aria-labelledby') ?? '')
      .split(' ')
      .map((id) => svg?.querySelector(`[id="${id}"]`)?.textContent)
      .join(' ');
    expect(labelled).to.include('Consent state for marketing');
    expect(labelled).to.include('On 2026-01-03: 2 granted, 2 opted out, 0 withdrawn');
    // Two days with people: day 2 has granted + opted out, day 3 the same; day 1 draws nothing.
    expect(svg?.querySelectorAll('rect')).to.have.length(4);
    const row = el.shadowRoot?.querySelector('tr[data-day="2026-01-02"]');
    const cells = [...(row?.querySelectorAll('td') ?? [])].map((td) => td.textContent?.trim());
    expect(cells).to.deep.equal(['3', '1', '0', '4']);
    // Newest first in the table.
    expect(el.shadowRoot?.querySelector('tbody tr')?.getAttribute('data-day')).to.equal('2026-01-03');
  });

  it('switches purpose with the select', async () => {
    const { el } = await chart();
    const select = el.shadowRoot?.querySelector('select') as HTMLSelectElement;
    select.value = 'partner-sharing';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const row = el.shadowRoot?.querySelector('table[data-purpose="partner-sharing"] tr[data-day="2026-01-03"]');
    expect(row?.querySelector('[data-field="withdrawn"]')?.textContent?.trim()).to.equal('1');
  });

  it('asks again for the range the form gives', async () => {
    const { el, server } = await chart();
    (el.shadowRoot?.querySelector('#from') as HTMLInputElement).value = '2025-12-01';
    (el.shadowRoot?.querySelector('#to') as HTMLInputElement).value = '2025-12-31';
    el.shadowRoot?.querySelector('form')?.requestSubmit();
    // (The panel also reads the policy once, for purpose titles.)
    const stats = () => server.requests.filter((r) => r.url.startsWith('/v1/admin/stats/'));
    await until(() => (stats().length === 2 ? true : undefined), 'the second request');
    expect(stats()[1]?.url).to.equal('/v1/admin/stats/purposes?from=2025-12-01&to=2025-12-31&bucket=day');
  });

  it("shows the server's reason when the range is refused", async () => {
    const server = scriptedServer({
      '/v1/admin/stats/purposes': { status: 400, body: { status: 400, detail: 'ask for at most 366 days at a time' } },
    });
    const el = await mount<ConsentAdminPurposeChart>('consent-admin-purpose-chart', (e) => {
      e.client = createAdminClient({ key: 'ck_test', baseUrl: '', fetch: server.fetch });
    });
    const alert = await until(() => el.shadowRoot?.querySelector('[role="alert"]'), 'the alert');
    expect(alert.textContent).to.include('at most 366 days');
  });
});
