import { expectAccessible, fixture, realClick, until } from '@consentkit/test-support/browser';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { useMemoryClient } from '../../test/support/memory-client.js';
import { configure } from '../config.js';
import type { ConsentChangeEvent } from '../events/consent-change-event.js';
import { loadLocale } from '../i18n/locale-tables.js';
import { ConsentOptOut } from './consent-optout.js';

ConsentOptOut.define();

describe('<consent-optout>', () => {
  // AllStream, with its marketing emails counted as targeted advertising, so GPC covers them.
  const memory = useMemoryClient(() => testPolicy({ purposes: { marketing: { gpc: 'targeted-advertising' } } }));

  it('is accessible (axe, WCAG 2.2 AA) (E8)', async () => {
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="marketing"></consent-optout>');
    await expectAccessible(el);
  });

  it('is accessible under GPC (E8)', async () => {
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="marketing" gpc></consent-optout>');
    await expectAccessible(el);
  });

  it('shows the current state and opts out with one action, recorded as an opt-out (R22, R27)', async () => {
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="marketing"></consent-optout>');
    const status = () => el.shadowRoot?.querySelector('[part="status"]')?.textContent ?? '';
    expect(status()).to.equal('You are not opted out of Marketing emails.');
    const events: ConsentChangeEvent[] = [];
    el.addEventListener('consent-change', (e) => events.push(e));
    const button = el.shadowRoot?.querySelector('button') as HTMLButtonElement;
    expect(button.textContent?.trim()).to.equal('Opt out of Marketing emails');
    button.click();
    await el.updateComplete;
    expect(el.optedOut).to.equal(true);
    expect(status()).to.equal('You are opted out of Marketing emails.');
    expect(events.map((e) => e.detail.granted)).to.deep.equal([false]);
    await until(() => memory().backend.entries().length === 1);
    const record = memory().backend.entries()[0]?.record;
    expect(record?.decisions[0]).to.include({ purpose: 'marketing', granted: false, basis: 'opt-out' });
    expect(record?.decisions[0]?.wording?.text).to.equal('Opt out of Marketing emails');
    // Opting back in is the same single action (R19).
    (el.renderRoot.querySelector('button') as HTMLButtonElement).click();
    await until(() => memory().backend.entries().length === 2);
    expect(memory().backend.entries()[1]?.record.decisions[0]).to.include({ granted: true });
  });

  it('shows an earlier opt-out from the client state, and a first visit as not opted out', async () => {
    const first = await fixture<ConsentOptOut>('<consent-optout purpose="marketing"></consent-optout>');
    await memory().client.state();
    await first.updateComplete;
    expect(first.optedOut).to.equal(false);
    await memory().client.capture({ decisions: [{ purpose: 'marketing', granted: false }], method: 'api' });
    const later = await fixture<ConsentOptOut>('<consent-optout purpose="marketing"></consent-optout>');
    await until(() => later.optedOut);
    expect(later.renderRoot.querySelector('button')?.textContent?.trim()).to.equal('Opt back in to Marketing emails');
  });

  it('under GPC shows "Opt-Out Request Honored" and offers no opt-in (R48, R50)', async () => {
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="marketing" gpc></consent-optout>');
    expect(el.shadowRoot?.querySelector('[part="gpc"]')?.textContent).to.equal('Opt-Out Request Honored');
    expect(el.shadowRoot?.querySelector('button')).to.equal(null);
    expect(el.shadowRoot?.querySelector('[part="status"]')?.textContent).to.equal(
      'You are opted out of Marketing emails.',
    );
  });

  it('under GPC keeps the opt-out of a purpose GPC does not cover (marketing email is not sale or sharing, R50)', async () => {
    configure({ policy: testPolicy(), client: memory().client });
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="marketing" gpc></consent-optout>');
    expect(el.shadowRoot?.querySelector('[part="gpc"]')).to.equal(null);
    expect(el.shadowRoot?.querySelector('[part="status"]')?.textContent).to.equal(
      'You are not opted out of Marketing emails.',
    );
    expect(el.shadowRoot?.querySelector('button')?.textContent?.trim()).to.equal('Opt out of Marketing emails');
  });

  it('speaks French', async () => {
    await loadLocale('fr'); // French is a chunk of its own, loaded on first use
    const el = await fixture<ConsentOptOut>('<consent-optout lang="fr" purpose="marketing" gpc></consent-optout>');
    expect(el.shadowRoot?.querySelector('[part="gpc"]')?.textContent).to.equal('Demande de retrait respectée');
  });

  it('on an express purpose says it is off until the person agrees, never "not opted out" (R21, R31)', async () => {
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="partner-sharing"></consent-optout>');
    const status = () => el.shadowRoot?.querySelector('[part="status"]')?.textContent ?? '';
    const button = () => el.shadowRoot?.querySelector('button') as HTMLButtonElement;
    // Before the client's state is read, and after it: off, with the grant as the one action.
    expect(status()).to.equal('Sharing with authorized partners: off. We do this only if you agree.');
    await memory().client.state();
    await el.updateComplete;
    expect(status()).to.equal('Sharing with authorized partners: off. We do this only if you agree.');
    expect(el.matches(':state(opted-out)')).to.equal(true);
    expect(button().textContent?.trim()).to.equal('Agree to Sharing with authorized partners');
    await expectAccessible(el);
  });

  it('on an express purpose, the button grants express consent and the next withdraws it (R19, R21)', async () => {
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="partner-sharing"></consent-optout>');
    const events: ConsentChangeEvent[] = [];
    el.addEventListener('consent-change', (e) => events.push(e));
    // A person's real click: a script's click() would be programmatic and grant nothing (B3).
    await realClick(el.renderRoot.querySelector('button') as HTMLButtonElement);
    await until(() => memory().backend.entries().length === 1);
    const record = memory().backend.entries()[0]?.record;
    expect(record?.decisions[0]).to.include({ purpose: 'partner-sharing', granted: true, basis: 'express' });
    expect(record?.decisions[0]?.wording?.text).to.equal('Agree to Sharing with authorized partners');
    expect(events.map((e) => e.detail)).to.deep.equal([
      { purpose: 'partner-sharing', mode: 'express', checked: true, granted: true, interaction: 'pointer' },
    ]);
    expect((await memory().client.state())['partner-sharing']).to.include({
      status: 'granted',
      reason: 'express-granted',
    });
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('[part="status"]')?.textContent).to.equal(
      'Sharing with authorized partners: on, because you agreed.',
    );
    const withdraw = el.shadowRoot?.querySelector('button') as HTMLButtonElement;
    expect(withdraw.textContent?.trim()).to.equal('Withdraw my agreement to Sharing with authorized partners');
    await realClick(withdraw);
    await until(() => memory().backend.entries().length === 2);
    expect(memory().backend.entries()[1]?.record.decisions[0]).to.include({ granted: false, basis: 'express' });
    expect((await memory().client.state())['partner-sharing']).to.include({ status: 'denied', reason: 'withdrawn' });
  });

  it('shows an express grant made earlier as on', async () => {
    await memory().client.capture({
      decisions: [{ purpose: 'partner-sharing', granted: true }],
      method: 'checkbox',
      interaction: 'pointer',
    });
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="partner-sharing"></consent-optout>');
    await until(() => el.shadowRoot?.querySelector('[part="status"]')?.textContent?.includes('on, because') === true);
    expect(el.matches(':state(opted-out)')).to.equal(false);
  });

  it('setting opted-out programmatically records nothing and fires no event (B3)', async () => {
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="marketing"></consent-optout>');
    const events: Event[] = [];
    el.addEventListener('consent-change', (e) => events.push(e));
    el.optedOut = true;
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).to.have.length(0);
    expect(memory().backend.entries()).to.have.length(0);
  });
});
