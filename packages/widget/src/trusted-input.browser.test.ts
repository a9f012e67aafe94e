/**
 * Trusted input only (R16, B3): page script can click, dispatch a click or synthesise keys on a
 * consent control, but only the browser makes trusted events. Whatever script does is recorded
 * as `programmatic` and never grants express consent; the real mouse (the runner's driver) still
 * gives `pointer`. A real Space press giving `keyboard` is in examples/e2e (trusted-input).
 */
import type { ConsentRecord } from '@consentkit/core';
import { fixture, realClick, until } from '@consentkit/test-support/browser';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { useMemoryClient } from '../test/support/memory-client.js';
import { ConsentCheckbox } from './consent-checkbox/consent-checkbox.js';
import { ConsentOptOut } from './consent-optout/consent-optout.js';
import { ConsentPreferences } from './consent-preferences/consent-preferences.js';
import type { ConsentCapturedEvent } from './events/consent-captured-event.js';
import type { ConsentChangeEvent } from './events/consent-change-event.js';

ConsentCheckbox.define();
ConsentOptOut.define();
ConsentPreferences.define();

// credit-check is express in the test policy; marketing is opt-out ("don't send me offers").
const FORM = `<form id="apply" data-consent-purpose="application-processing">
  <consent-checkbox name="credit" purpose="credit-check">Share my financial details</consent-checkbox>
  <consent-checkbox name="no-mkt" purpose="marketing">Don't send me offers</consent-checkbox>
  <button>Apply</button>
</form>`;

const inner = (el: Element): HTMLInputElement => el.shadowRoot?.querySelector('input') as HTMLInputElement;

const spaceKey = (type: 'keydown' | 'keyup'): KeyboardEvent =>
  new KeyboardEvent(type, { key: ' ', code: 'Space', bubbles: true, composed: true });

/** Every way page script can "click" a box; each must be `programmatic`. */
const SCRIPTED: ReadonlyArray<readonly [string, (el: ConsentCheckbox) => void]> = [
  ['host click()', (el) => el.click()],
  ['host dispatchEvent(click)', (el) => el.dispatchEvent(new MouseEvent('click', { bubbles: true }))],
  ['inner input click()', (el) => inner(el).click()],
  [
    'inner input dispatchEvent(click)',
    (el) => inner(el).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })),
  ],
  [
    'synthesised Space on the host, then click()',
    (el) => {
      el.dispatchEvent(spaceKey('keydown'));
      el.dispatchEvent(spaceKey('keyup'));
      el.click();
    },
  ],
  [
    'synthesised pointerdown and Space on the inner input, then its click()',
    (el) => {
      inner(el).dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      inner(el).dispatchEvent(spaceKey('keydown'));
      inner(el).dispatchEvent(spaceKey('keyup'));
      inner(el).click();
    },
  ],
];

describe('trusted input only (R16, B3)', () => {
  const memory = useMemoryClient(() => testPolicy());

  async function setUp(): Promise<{
    form: HTMLFormElement;
    credit: ConsentCheckbox;
    optOut: ConsentCheckbox;
    changes: ConsentChangeEvent['detail'][];
  }> {
    const form = await fixture<HTMLFormElement>(FORM);
    form.addEventListener('submit', (e) => e.preventDefault());
    const changes: ConsentChangeEvent['detail'][] = [];
    form.addEventListener('consent-change', (e) => changes.push(e.detail));
    const credit = form.querySelector('[purpose="credit-check"]') as ConsentCheckbox;
    const optOut = form.querySelector('[purpose="marketing"]') as ConsentCheckbox;
    return { form, credit, optOut, changes };
  }

  async function submit(form: HTMLFormElement): Promise<ConsentRecord> {
    const captured = new Promise<ConsentCapturedEvent>((resolve) =>
      form.addEventListener('consent-captured', resolve, { once: true }),
    );
    form.requestSubmit();
    const { detail } = await captured;
    const entry = memory()
      .backend.entries()
      .find((e) => e.record.id === detail.recordId);
    if (!entry) throw new Error(`record ${detail.recordId} is not in the memory ledger`);
    return entry.record;
  }

  const decision = (record: ConsentRecord, purpose: string) => record.decisions.find((d) => d.purpose === purpose);

  for (const [how, act] of SCRIPTED) {
    it(`${how}: programmatic in consent-change and in the signed record, and no express grant`, async () => {
      const { form, credit, optOut, changes } = await setUp();
      act(credit);
      act(optOut);
      await credit.updateComplete;
      await optOut.updateComplete;
      // The boxes did toggle (script can do that), but nobody acted.
      expect(credit.checked).to.equal(true);
      expect(optOut.checked).to.equal(true);
      expect(changes.map((c) => [c.purpose, c.interaction])).to.deep.equal([
        ['credit-check', 'programmatic'],
        ['marketing', 'programmatic'],
      ]);
      const record = await submit(form);
      // The script's opt-out is recorded as the script's (refusing is safe at every level) ...
      expect(decision(record, 'marketing')).to.include({ granted: false, interaction: 'programmatic' });
      // ... and its express grant is no decision at all: the record carries no grant for it.
      expect(decision(record, 'credit-check')).to.equal(undefined);
      expect(record.decisions.some((d) => d.basis === 'express' && d.granted)).to.equal(false);
    });
  }

  it('a real click on the box is pointer, in consent-change and in the signed record', async () => {
    const { form, credit, changes } = await setUp();
    await realClick(inner(credit));
    await until(() => changes.length === 1);
    expect(credit.checked).to.equal(true);
    expect(changes[0]).to.include({ purpose: 'credit-check', granted: true, interaction: 'pointer' });
    const record = await submit(form);
    expect(decision(record, 'credit-check')).to.include({ granted: true, basis: 'express', interaction: 'pointer' });
  });

  it('a real click on the label text is pointer', async () => {
    const { credit, changes } = await setUp();
    await realClick(credit.shadowRoot?.querySelector('[part="label"]') as HTMLElement);
    await until(() => changes.length === 1);
    expect(changes[0]).to.include({ purpose: 'credit-check', interaction: 'pointer' });
  });

  it('a real click on a <label for> outside the box is pointer', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      '<div><label for="tick">Share my financial details</label> <consent-checkbox id="tick" purpose="credit-check"></consent-checkbox></div>',
    );
    const box = wrapper.querySelector('consent-checkbox') as ConsentCheckbox;
    const changes: ConsentChangeEvent['detail'][] = [];
    box.addEventListener('consent-change', (e) => changes.push(e.detail));
    await realClick(wrapper.querySelector('label') as HTMLLabelElement);
    await until(() => changes.length === 1);
    expect(box.checked).to.equal(true);
    expect(changes[0]).to.include({ interaction: 'pointer' });
  });

  it("a script writing back the value after a person's real click keeps the click in the record", async () => {
    const { form, credit } = await setUp();
    await realClick(inner(credit));
    await until(() => credit.checked);
    // What React's checked={state} and Vue's :checked do on every render after the click.
    const shown = credit.checked;
    credit.checked = shown;
    await credit.updateComplete;
    const record = await submit(form);
    expect(decision(record, 'credit-check')).to.include({ granted: true, interaction: 'pointer' });
  });

  it('<consent-optout>: a script click is programmatic and grants nothing; a real click is pointer', async () => {
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="partner-sharing"></consent-optout>');
    const changes: ConsentChangeEvent['detail'][] = [];
    const errors: string[] = [];
    el.addEventListener('consent-change', (e) => changes.push(e.detail));
    el.addEventListener('consent-error', (e) => errors.push(e.detail.code));
    const button = el.renderRoot.querySelector('button') as HTMLButtonElement;
    button.click();
    expect(changes[0]).to.include({ purpose: 'partner-sharing', granted: true, interaction: 'programmatic' });
    // Core refuses a programmatic express grant: nothing reaches the ledger, and it says so.
    await until(() => errors.length === 1);
    expect(memory().backend.entries()).to.have.length(0);
    // The button now withdraws; the person grants for real with two real clicks (withdraw, grant).
    await realClick(el.renderRoot.querySelector('button') as HTMLButtonElement);
    await realClick(el.renderRoot.querySelector('button') as HTMLButtonElement);
    await until(() => changes.length === 3);
    expect(changes.slice(1).map((c) => c.interaction)).to.deep.equal(['pointer', 'pointer']);
    await until(() => memory().backend.entries().length === 2);
    const last = memory().backend.entries().at(-1)?.record;
    expect(last?.decisions[0]).to.include({ purpose: 'partner-sharing', granted: true, interaction: 'pointer' });
  });

  it('<consent-preferences>: a script click is programmatic; a real click on a toggle is pointer', async () => {
    const el = await fixture<ConsentPreferences>('<consent-preferences purposes="marketing"></consent-preferences>');
    const changes: ConsentChangeEvent['detail'][] = [];
    el.addEventListener('consent-change', (e) => changes.push(e.detail));
    const toggle = () => el.renderRoot.querySelector('input') as HTMLInputElement;
    toggle().click();
    expect(changes[0]).to.include({ purpose: 'marketing', interaction: 'programmatic' });
    await el.updateComplete;
    await realClick(toggle());
    await until(() => changes.length === 2);
    expect(changes[1]).to.include({ purpose: 'marketing', interaction: 'pointer' });
    await until(() => memory().backend.entries().length === 2);
    const interactions = memory()
      .backend.entries()
      .map((e) => e.record.decisions[0]?.interaction);
    expect(interactions).to.deep.equal(['programmatic', 'pointer']);
  });
});
