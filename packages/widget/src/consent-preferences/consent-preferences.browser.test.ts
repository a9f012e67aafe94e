import { expectAccessible, fixture, realClick, until } from '@consentkit/test-support/browser';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { useMemoryClient } from '../../test/support/memory-client.js';
import { loadLocale } from '../i18n/locale-tables.js';
import { ConsentPreferences } from './consent-preferences.js';

ConsentPreferences.define();

function toggle(el: ConsentPreferences, purpose: string): HTMLInputElement {
  return el.shadowRoot?.querySelector(`#p-${purpose}`) as HTMLInputElement;
}

describe('<consent-preferences>', () => {
  const memory = useMemoryClient(() => testPolicy());

  it('is accessible (axe, WCAG 2.2 AA) (E8)', async () => {
    const el = await fixture<ConsentPreferences>('<consent-preferences></consent-preferences>');
    await expectAccessible(el);
  });

  it('lists every non-primary purpose with its description and state', async () => {
    const el = await fixture<ConsentPreferences>('<consent-preferences></consent-preferences>');
    const rows = el.shadowRoot?.querySelectorAll('[part="purpose"]') ?? [];
    expect(rows.length).to.equal(5); // AllStream's five purposes beside the primary one
    expect(toggle(el, 'credit-check').checked).to.equal(false); // express: off until granted
    expect(toggle(el, 'marketing').checked).to.equal(true); // opt-out: on until opted out
    expect(el.shadowRoot?.textContent).to.include(
      'News and offers about AllStream services similar to the one you applied for.',
    );
  });

  it('grants and withdraws with the same single action, each recorded at once (R19, R27)', async () => {
    const el = await fixture<ConsentPreferences>('<consent-preferences purposes="credit-check"></consent-preferences>');
    // A person's real clicks: a script's click() would be programmatic and grant nothing (B3).
    await realClick(toggle(el, 'credit-check'));
    await until(() => memory().backend.entries().length === 1);
    await el.updateComplete;
    await realClick(toggle(el, 'credit-check'));
    await until(() => memory().backend.entries().length === 2);
    const [grant, withdraw] = memory()
      .backend.entries()
      .map((e) => e.record);
    expect(grant?.method).to.equal('preference-page');
    expect(grant?.decisions[0]).to.include({ purpose: 'credit-check', granted: true, basis: 'express' });
    expect(withdraw?.decisions[0]).to.include({ purpose: 'credit-check', granted: false, basis: 'express' });
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('[part="state"]')?.textContent).to.equal('Off');
  });

  it('shows the state the client knows', async () => {
    await memory().client.capture({ decisions: [{ purpose: 'marketing', granted: false }], method: 'api' });
    const el = await fixture<ConsentPreferences>('<consent-preferences></consent-preferences>');
    await until(() => !toggle(el, 'marketing').checked);
    expect(toggle(el, 'marketing').checked).to.equal(false);
  });

  it('speaks French', async () => {
    await loadLocale('fr'); // French is a chunk of its own, loaded on first use
    const el = await fixture<ConsentPreferences>('<consent-preferences lang="fr"></consent-preferences>');
    expect(el.shadowRoot?.querySelector('legend')?.textContent).to.equal('Vos préférences de confidentialité');
    await expectAccessible(el);
  });
});
