import { cleanup, expectAccessible, fixture } from '@consentkit/test-support/browser';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { configure, resetConfig } from '../config.js';
import { loadLocale } from '../i18n/locale-tables.js';
import { ConsentNotice } from './consent-notice.js';

ConsentNotice.define();

describe('<consent-notice>', () => {
  beforeEach(() => configure({ policy: testPolicy() }));
  afterEach(() => {
    cleanup();
    resetConfig();
  });

  it('is accessible (axe, WCAG 2.2 AA) (E8)', async () => {
    const el = await fixture<ConsentNotice>('<consent-notice></consent-notice>');
    await expectAccessible(el);
  });

  it('renders the data table with the seven policy columns and a row header (R25)', async () => {
    const el = await fixture<ConsentNotice>('<consent-notice></consent-notice>');
    const table = el.shadowRoot?.querySelector('table') as HTMLTableElement;
    expect(table.caption?.textContent).to.equal('Information we collect — AllStream');
    const headers = Array.from(table.tHead?.rows[0]?.cells ?? [], (c) => c.textContent);
    expect(headers).to.deep.equal([
      'Type of information',
      'What we collect',
      'Who collects it',
      'Purpose',
      'Who uses it',
      'Stored by',
      'Shared with',
    ]);
    const row = table.tBodies[0]?.rows[0];
    expect(Array.from(row?.cells ?? [], (c) => c.textContent)).to.deep.equal([
      'Contact information',
      'Name',
      'Our website or IT support team',
      'Application forms',
      'Our website or IT support team',
      'Electronic file',
      // A recipient with a description is shown by it, so the person learns who they are.
      'Partners under contract to protect your data as we do, to use it only for the agreed purposes, and to let us audit them.',
    ]);
    expect(row?.cells[0]?.tagName).to.equal('TH');
    expect(row?.cells[0]?.getAttribute('scope')).to.equal('row');
  });

  it('states the consent practices and the right to withdraw in plain words (R19, R25)', async () => {
    const el = await fixture<ConsentNotice>('<consent-notice></consent-notice>');
    const text = el.shadowRoot?.textContent ?? '';
    expect(text).to.include('Express consent');
    expect(text).to.include('we ask for it before collecting anything sensitive');
    expect(text).to.include('You can withdraw any consent at any time, as easily as you gave it');
    expect(text).to.include('We will never refuse you service because you decline to give information we do not need.');
  });

  it('speaks French from lang', async () => {
    await loadLocale('fr'); // French is a chunk of its own, loaded on first use
    const el = await fixture<ConsentNotice>('<consent-notice lang="fr-CA"></consent-notice>');
    const table = el.shadowRoot?.querySelector('table') as HTMLTableElement;
    expect(table.tHead?.rows[0]?.cells[0]?.textContent).to.equal('Type de renseignements');
    expect(table.tBodies[0]?.rows[0]?.cells[1]?.textContent).to.equal('Nom');
    expect(el.shadowRoot?.textContent).to.include('Consentement exprès');
    await expectAccessible(el);
  });

  it('renders nothing until a policy is configured, then updates', async () => {
    resetConfig();
    const el = await fixture<ConsentNotice>('<consent-notice></consent-notice>');
    expect(el.shadowRoot?.querySelector('table')).to.equal(null);
    configure({ policy: testPolicy() });
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('table')).to.not.equal(null);
  });
});
