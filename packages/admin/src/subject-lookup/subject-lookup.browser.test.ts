import { cleanup, expectAccessible, mount, shadowText, until } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { LOOKUP_TAMPERED } from '../../test/support/sample-data.js';
import { type ScriptedAnswer, scriptedServer } from '../../test/support/scripted-server.js';
import { createAdminClient } from '../client/admin-client.js';
import { ConsentAdminSubjectLookup } from './subject-lookup.js';

ConsentAdminSubjectLookup.define();

describe('<consent-admin-subject-lookup>', () => {
  afterEach(cleanup);

  async function lookUp(query: string, answer: ScriptedAnswer) {
    const server = scriptedServer({ '/v1/admin/subject-lookup': answer });
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
    expect(server.requests).to.have.length(1);
    expect(server.requests[0]).to.deep.include({ method: 'POST', url: '/v1/admin/subject-lookup' });
    expect(JSON.parse(server.requests[0]?.body ?? '{}')).to.deep.equal({ query: 'ada@example.com' });
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
    expect(shadowText(el, 'tr[data-seq="3"] ul')).to.equal('marketing: opted out (opt-out)');
  });

  it('says plainly when no one matches', async () => {
    const { el } = await lookUp('nobody@example.com', { status: 404, body: { status: 404, detail: 'no subject' } });
    const status = await until(() => el.shadowRoot?.querySelector('[data-field="no-match"]'), 'the answer');
    expect(status.textContent).to.include('No one in the ledger matches');
  });
});
