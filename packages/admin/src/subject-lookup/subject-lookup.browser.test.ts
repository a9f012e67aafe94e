import { cleanup, expectAccessible, mount, shadowText, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { LOOKUP_TAMPERED } from '../../test/support/sample-data.js';
import { type ScriptedAnswer, scriptedServer } from '../../test/support/scripted-server.js';
import { createAdminClient } from '../client/admin-client.js';
import type { SubjectLookup, SubjectRecord } from '../client/api-types.js';
import { ConsentAdminSubjectLookup } from './subject-lookup.js';

ConsentAdminSubjectLookup.define();

describe('<consent-admin-subject-lookup>', () => {
  afterEach(cleanup);

  /** The ledger's public policy, as far as the dashboard reads it (purpose titles). */
  const POLICY: ScriptedAnswer = {
    status: 200,
    body: {
      policy: { purposes: [{ id: 'marketing', title: { en: 'Marketing emails', fr: 'Courriels de marketing' } }] },
    },
  };

  async function lookUp(query: string, answer: ScriptedAnswer, policy: ScriptedAnswer = POLICY) {
    const server = scriptedServer({ '/v1/admin/subject-lookup': answer, '/v1/policy': policy });
    const el = await mount<ConsentAdminSubjectLookup>('consent-admin-subject-lookup', (e) => {
      e.client = createAdminClient({ key: 'ck_test', baseUrl: '', fetch: server.fetch });
    });
    (el.shadowRoot?.querySelector('#query') as HTMLInputElement).value = query;
    el.shadowRoot?.querySelector('form')?.requestSubmit();
    return { el, server };
  }

  it('is accessible before and after a lookup (axe, WCAG 2.2 AA, R61)', async () => {
    const { el } = await lookUp('ada@example.com', { status: 200, body: LOOKUP_TAMPERED });
    await until(() => el.shadowRoot?.querySelector('tbody tr'), 'the history');
    await expectAccessible(el);
  });

  it('sends the address in a POST body, never in the URL', async () => {
    const { el, server } = await lookUp('ada@example.com', { status: 200, body: LOOKUP_TAMPERED });
    await until(() => el.shadowRoot?.querySelector('tbody tr'), 'the history');
    const lookups = server.requests.filter((r) => r.url.startsWith('/v1/admin/'));
    expect(lookups).to.have.length(1);
    expect(lookups[0]).to.deep.include({ method: 'POST', url: '/v1/admin/subject-lookup' });
    expect(JSON.parse(lookups[0]?.body ?? '{}')).to.deep.equal({ query: 'ada@example.com' });
    expect(server.requests.every((r) => !r.url.includes('ada'))).to.equal(true);
  });

  it("shows a tampered record's failed badges in words and symbols, not colour alone", async () => {
    const { el } = await lookUp('ada@example.com', { status: 200, body: LOOKUP_TAMPERED });
    await until(() => el.shadowRoot?.querySelector('tr[data-seq="3"]'), 'entry 3');
    const badges = (seq: number) =>
      [...(el.shadowRoot?.querySelectorAll(`tr[data-seq="${seq}"] .badge`) ?? [])].map((b) =>
        (b.textContent ?? '').replace(/\s+/g, ' ').trim(),
      );
    expect(badges(1)).to.deep.equal(['✓ Signature valid: checked', '✓ In chain: checked', '✓ Receipt valid: checked']);
    expect(badges(3)).to.deep.equal([
      '✓ Signature valid: checked',
      '✗ NOT in chain: the entry hash does not match the entry (it was changed)',
      '✗ Receipt INVALID: the receipt is signed but does not match the entry',
    ]);
    expect(shadowText(el, 'tr[data-seq="3"] ul')).to.equal('Marketing emails: opted out');
  });

  it('says it in words: "2 records", the current state by purpose name, how each record was made', async () => {
    const { el } = await lookUp('ada@example.com', { status: 200, body: LOOKUP_TAMPERED });
    await until(() => el.shadowRoot?.querySelector('tr[data-seq="3"]'), 'entry 3');
    expect(shadowText(el, '[data-field="summary"]')).to.match(/\. 2 records\.$/);
    expect(shadowText(el, '[data-field="state"]')).to.equal('Marketing emails: opted out');
    expect(shadowText(el, 'tr[data-seq="1"] [data-field="how"]')).to.match(/^Form sent/);
    expect(shadowText(el, 'tr[data-seq="3"] [data-field="how"]')).to.match(/^One-click unsubscribe from an email/);
  });

  it('labels a click on the hosted unsubscribe page as such, and one record in the singular', async () => {
    const record = LOOKUP_TAMPERED.records[0] as SubjectRecord;
    const body: SubjectLookup = {
      ...LOOKUP_TAMPERED,
      records: [
        {
          ...record,
          method: 'preference-page',
          collectionPoint: { url: 'https://ledger.example/u', flow: 'unsubscribe-page' },
          decisions: [{ purpose: 'marketing', granted: false, basis: 'opt-out' }],
        },
      ],
    };
    const { el } = await lookUp('ada@example.com', { status: 200, body });
    await until(() => el.shadowRoot?.querySelector('tbody tr'), 'the history');
    expect(shadowText(el, '[data-field="how"]')).to.match(/^Unsubscribe page/);
    expect(shadowText(el, '[data-field="summary"]')).to.match(/\. 1 record\.$/);
  });

  it('shows no empty table for a person with no records left, and ids when the policy cannot be read', async () => {
    const body: SubjectLookup = { ...LOOKUP_TAMPERED, records: [] };
    const { el } = await lookUp('ada@example.com', { status: 200, body }, { status: 500, body: {} });
    await until(() => el.shadowRoot?.querySelector('[data-field="no-history"]'), 'the answer');
    expect(el.shadowRoot?.querySelector('table')).to.equal(null);
    expect(shadowText(el, '[data-field="summary"]')).to.match(/\. 0 records\.$/);
    expect(shadowText(el, '[data-field="state"]')).to.equal('marketing: opted out');
  });

  it('says plainly when no one matches', async () => {
    const { el } = await lookUp('nobody@example.com', { status: 404, body: { status: 404, detail: 'no subject' } });
    const status = await until(() => el.shadowRoot?.querySelector('[data-field="no-match"]'), 'the answer');
    expect(status.textContent).to.include('No one in the ledger matches');
  });
});
