import type { Policy } from '@consentkit/core';
import { cleanup, expectAccessible, fixture, realClick, until } from '@consentkit/test-support/browser';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { runFormControlConformance } from '../../test/support/form-control-conformance.js';
import { configure, resetConfig } from '../config.js';
import type { ConsentChangeEvent } from '../events/consent-change-event.js';
import { loadLocale } from '../i18n/locale-tables.js';
import { ConsentCheckbox } from './consent-checkbox.js';

ConsentCheckbox.define();

function input(el: ConsentCheckbox): HTMLInputElement {
  return el.shadowRoot?.querySelector('input') as HTMLInputElement;
}

/** Captures console.warn calls for the duration of `run`. */
async function warnings(run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => seen.push(args.map(String).join(' '));
  try {
    await run();
  } finally {
    console.warn = original;
  }
  return seen;
}

describe('<consent-checkbox>', () => {
  afterEach(() => {
    cleanup();
    resetConfig();
  });

  it('is accessible (axe, WCAG 2.2 AA) in a form (E8)', async () => {
    const form = await fixture(
      '<form><consent-checkbox name="mkt" purpose="marketing">Email me offers</consent-checkbox></form>',
    );
    await expectAccessible(form);
  });

  it('is accessible when required, disabled, opt-out, and labelled by <label for> (E8)', async () => {
    const form = await fixture(`<form>
      <consent-checkbox name="a" required>Share my details with credit agencies</consent-checkbox>
      <consent-checkbox name="b" disabled>Disabled choice</consent-checkbox>
      <consent-checkbox name="c" mode="opt-out" checked>Don't send me offers</consent-checkbox>
      <label for="d">Email me offers</label><consent-checkbox id="d" name="d"></consent-checkbox>
    </form>`);
    await expectAccessible(form);
  });

  it('is accessible with a dark theme set through CSS custom properties (E8)', async () => {
    const wrapper = await fixture(`<div class="dark-theme">
      <consent-checkbox name="a">Email me offers</consent-checkbox></div>`);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      '.dark-theme { background: #111; color: #eee; --consent-accent-color: #8cf; --consent-focus-ring-color: #ffd700; }',
    );
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    try {
      await expectAccessible(wrapper);
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  });

  runFormControlConformance({ tag: 'consent-checkbox' });

  it('exposes role checkbox with the slotted label as its name and an updating checked state (E7, R59)', async () => {
    const el = await fixture<ConsentCheckbox>('<consent-checkbox>Email me offers</consent-checkbox>');
    const box = input(el);
    expect(box.type).to.equal('checkbox');
    // The inner <label> wraps the input and the slot, so the slotted text names it.
    expect(box.closest('label')?.querySelector('slot')).to.not.equal(null);
    box.click();
    await el.updateComplete;
    expect(box.checked).to.equal(true);
  });

  it('a pointer click is recorded as pointer (B2)', async () => {
    const el = await fixture<ConsentCheckbox>('<consent-checkbox purpose="marketing">Offers</consent-checkbox>');
    const events: ConsentChangeEvent[] = [];
    el.addEventListener('consent-change', (e) => events.push(e));
    await realClick(input(el));
    await until(() => events.length === 1);
    expect(events[0]?.detail.interaction).to.equal('pointer');
  });

  it('express mode refuses a checked attribute with a console warning (B1, R23)', async () => {
    let el: ConsentCheckbox | undefined;
    const seen = await warnings(async () => {
      el = await fixture<ConsentCheckbox>(
        '<form><consent-checkbox name="mkt" mode="express" checked>Offers</consent-checkbox></form>',
      );
    });
    const box = (el as unknown as HTMLFormElement).querySelector('consent-checkbox') as ConsentCheckbox;
    expect(box.checked).to.equal(false);
    expect(input(box).checked).to.equal(false);
    expect(new FormData(box.form as HTMLFormElement).has('mkt')).to.equal(false);
    expect(seen.some((line) => line.includes('checked-refused'))).to.equal(true);
    expect(box.consentDecision()).to.equal(undefined); // no purpose: nothing to record
  });

  it('express mode from the policy refuses checked even when the mode attribute says opt-out (R23)', async () => {
    configure({ policy: testPolicy() });
    const seen = await warnings(async () => {
      const el = await fixture<ConsentCheckbox>(
        '<consent-checkbox purpose="credit-check" mode="opt-out" checked>Share</consent-checkbox>',
      );
      expect(el.effectiveMode).to.equal('express');
      expect(el.checked).to.equal(false);
    });
    expect(seen.join('\n')).to.include('checked-refused');
  });

  it('a checked opt-out box is not refused while its policy is still loading', async () => {
    const policy = JSON.stringify(testPolicy());
    configure({ policy: `data:application/json,${encodeURIComponent(policy)}` });
    let el: ConsentCheckbox | undefined;
    const seen = await warnings(async () => {
      el = await fixture<ConsentCheckbox>('<consent-checkbox purpose="marketing" checked>No offers</consent-checkbox>');
      // Rendered before the policy arrived: the mode is not known yet.
      expect(el.effectiveMode).to.equal('express');
      await until(() => el?.effectiveMode === 'opt-out');
      await el.updateComplete;
    });
    expect(el?.checked).to.equal(true);
    expect(seen.join('\n')).not.to.include('checked-refused');
  });

  it('opt-out mode: the box says "don\'t", checked means opted out, a checked attribute is allowed', async () => {
    configure({ policy: testPolicy() });
    const form = await fixture<HTMLFormElement>(
      '<form><consent-checkbox name="no-mkt" purpose="marketing" checked></consent-checkbox></form>',
    );
    const el = form.querySelector('consent-checkbox') as ConsentCheckbox;
    expect(el.effectiveMode).to.equal('opt-out');
    expect(el.checked).to.equal(true);
    expect(el.granted).to.equal(false);
    expect(el.shadowRoot?.textContent).to.include('Do not send me marketing');
    expect(new FormData(form).get('no-mkt')).to.equal('on');
    const decision = el.consentDecision();
    expect(decision).to.include({ purpose: 'marketing', granted: false, basis: 'opt-out', preChecked: true });
    await realClick(input(el));
    await until(() => !el.checked);
    expect(el.granted).to.equal(true);
    expect(el.consentDecision()).to.include({ granted: true, interaction: 'pointer' });
  });

  it('a jurisdiction override turns an opt-out purpose into express (GDPR, R37)', async () => {
    configure({ policy: testPolicy(), jurisdiction: 'DE' });
    // AllStream's loyalty programme is opt-out in Canada and express under GDPR.
    const el = await fixture<ConsentCheckbox>('<consent-checkbox purpose="loyalty-programme"></consent-checkbox>');
    expect(el.effectiveMode).to.equal('express');
    expect(el.consentDecision()).to.include({ basis: 'express', granted: false });
  });

  it('records no decision for a state a script set, and the wording a person saw otherwise (B3, R17)', async () => {
    configure({ policy: testPolicy() });
    const el = await fixture<ConsentCheckbox>(
      '<consent-checkbox purpose="credit-check">  Share my   financial details </consent-checkbox>',
    );
    el.checked = true;
    await el.updateComplete;
    const seen = await warnings(async () => {
      expect(el.consentDecision()).to.equal(undefined);
    });
    expect(seen.join('\n')).to.include('programmatic-not-recorded');
    el.checked = false;
    await el.updateComplete;
    await realClick(input(el));
    await until(() => el.checked);
    expect(el.consentDecision()).to.deep.equal({
      purpose: 'credit-check',
      granted: true,
      basis: 'express',
      wording: 'Share my financial details',
      // No `lang` on this page or the box: the words are in the browser's language.
      locale: navigator.language,
      interaction: 'pointer',
    });
  });

  it("a script writing back the value a person chose changes nothing: the person's act stays (B3)", async () => {
    configure({ policy: testPolicy() });
    const el = await fixture<ConsentCheckbox>('<consent-checkbox purpose="credit-check">Share</consent-checkbox>');
    await realClick(input(el));
    await until(() => el.checked);
    // What React's `checked={state}` does on the render after the click.
    el.checked = true;
    await el.updateComplete;
    expect(el.consentDecision()).to.include({ granted: true, interaction: 'pointer' });
    // A set that does change the value is still a script's, not the person's.
    el.checked = false;
    await el.updateComplete;
    expect(el.consentDecision()).to.include({ granted: false });
    expect(el.consentDecision()?.interaction).to.equal(undefined);
  });

  it('renders the policy label when nothing is slotted, and the withdrawal statement (R19, R25)', async () => {
    configure({ policy: testPolicy() });
    const el = await fixture<ConsentCheckbox>('<consent-checkbox purpose="credit-check"></consent-checkbox>');
    expect(el.wording).to.equal('Yes, send my financial details to a credit agency for this service');
    expect(el.shadowRoot?.querySelector('[part="hint"]')?.textContent).to.equal(
      'You can withdraw your consent at any time.',
    );
    await expectAccessible(el);
  });

  it('speaks French from lang, including the policy label (i18n)', async () => {
    await loadLocale('fr'); // French is a chunk of its own, loaded on first use
    configure({ policy: testPolicy() });
    const el = await fixture<ConsentCheckbox>(
      '<consent-checkbox lang="fr-CA" purpose="credit-check" required></consent-checkbox>',
    );
    expect(el.wording).to.equal(
      'Oui, transmettez mes renseignements financiers à une agence de crédit pour ce service',
    );
    const text = el.shadowRoot?.textContent ?? '';
    expect(text).to.include('Vous pouvez retirer votre consentement à tout moment.');
    expect(text).to.include('(obligatoire)');
  });

  it('takes string overrides from configure() and from the policy', async () => {
    const policy: Policy & { strings: Record<string, Record<string, string>> } = {
      ...testPolicy(),
      strings: { en: { withdrawHint: 'Change your mind any time in your account.' } },
    };
    configure({ policy, strings: { en: { required: 'needed' } } });
    const el = await fixture<ConsentCheckbox>('<consent-checkbox purpose="credit-check" required></consent-checkbox>');
    const text = el.shadowRoot?.textContent ?? '';
    expect(text).to.include('Change your mind any time in your account.');
    expect(text).to.include('(needed)');
  });

  it('lays out right to left without breaking (logical properties)', async () => {
    const el = await fixture<ConsentCheckbox>(
      '<div dir="rtl" lang="ar"><consent-checkbox>موافق</consent-checkbox></div>',
    );
    const box = el.querySelector('consent-checkbox') as ConsentCheckbox;
    await box.updateComplete;
    const inputRect = input(box).getBoundingClientRect();
    const labelRect = (box.renderRoot.querySelector('[part="label"]') as HTMLElement).getBoundingClientRect();
    // In RTL the box sits on the right of its text.
    expect(inputRect.left).to.be.greaterThan(labelRect.left);
  });

  it('offers a hit target of at least 24×24 CSS px (E9, WCAG 2.5.8)', async () => {
    const el = await fixture<ConsentCheckbox>('<consent-checkbox>Offers</consent-checkbox>');
    const row = (el.renderRoot.querySelector('[part="base"]') as HTMLElement).getBoundingClientRect();
    const box = input(el).getBoundingClientRect();
    expect(row.height).to.be.at.least(24);
    expect(box.width).to.be.at.least(24);
    expect(box.height).to.be.at.least(24);
  });

  it('uses no inline style attributes (strict CSP)', async () => {
    const el = await fixture<ConsentCheckbox>('<consent-checkbox required>Offers</consent-checkbox>');
    expect(el.shadowRoot?.querySelectorAll('[style]').length).to.equal(0);
    expect(el.hasAttribute('style')).to.equal(false);
  });

  it('defining twice is a silent no-op', () => {
    ConsentCheckbox.define();
    expect(customElements.get('consent-checkbox')).to.equal(ConsentCheckbox);
  });
});
