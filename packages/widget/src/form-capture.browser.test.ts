import { sha256Hex } from '@consentkit/core';
import { fixture, realClick, until } from '@consentkit/test-support/browser';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { useMemoryClient } from '../test/support/memory-client.js';
import { ConsentCheckbox } from './consent-checkbox/consent-checkbox.js';
import type { ConsentCapturedEvent } from './events/consent-captured-event.js';
import { DEFAULT_RECORD_FIELD } from './form-capture.js';

ConsentCheckbox.define();

const FORM = `<form id="apply" data-consent-purpose="application-processing" data-consent-identifier="email">
  <input name="email" type="email" value="Ada@Example.com" aria-label="Email">
  <consent-checkbox name="credit" purpose="credit-check">Share my financial details with credit agencies</consent-checkbox>
  <consent-checkbox name="no-mkt" purpose="marketing">Don't send me offers</consent-checkbox>
  <button>Apply</button>
</form>`;

function box(form: HTMLFormElement, purpose: string): ConsentCheckbox {
  return form.querySelector(`consent-checkbox[purpose="${purpose}"]`) as ConsentCheckbox;
}

describe('capture on submit', () => {
  const memory = useMemoryClient(() => testPolicy());

  it('captures one record with every decision, the implied primary purpose and the wording hash (R17, B2)', async () => {
    const form = await fixture<HTMLFormElement>(FORM);
    // SPA-style: the application cancels the native submission and reads the captured id.
    form.addEventListener('submit', (e) => e.preventDefault());
    const credit = box(form, 'credit-check');
    // A person's real click: a script's click() would be programmatic and grant nothing (B3).
    await realClick(credit.shadowRoot?.querySelector('input') as HTMLInputElement);
    await until(() => credit.checked);
    const captured = new Promise<ConsentCapturedEvent>((resolve) =>
      form.addEventListener('consent-captured', resolve, { once: true }),
    );
    form.requestSubmit();
    const event = await captured;

    const entries = memory().backend.entries();
    expect(entries).to.have.length(1);
    const record = entries[0]?.record;
    expect(record?.id).to.equal(event.detail.recordId);
    expect(record?.method).to.equal('form-submit');
    expect(record?.subject.kind).to.equal('commitment');
    expect(entries[0]?.opening?.identifier).to.equal('ada@example.com');
    expect(record?.collectionPoint.form).to.equal('apply');
    expect(record?.collectionPoint.url).to.equal(location.origin + location.pathname);
    const byPurpose = Object.fromEntries((record?.decisions ?? []).map((d) => [d.purpose, d]));
    expect(byPurpose['application-processing']).to.include({ granted: true, basis: 'implied' });
    expect(byPurpose['credit-check']).to.include({ granted: true, basis: 'express' });
    expect(byPurpose['credit-check']?.wording?.sha256).to.equal(
      await sha256Hex('Share my financial details with credit agencies'),
    );
    expect(byPurpose.marketing).to.include({ granted: true, basis: 'opt-out' });
    // The record id is in the form data for the application's backend.
    expect(new FormData(form).get(DEFAULT_RECORD_FIELD)).to.equal(record?.id);
  });

  it("names the language the person read, not the browser's: a French form records fr and the French words (R17)", async () => {
    const form =
      await fixture<HTMLFormElement>(`<form id="fr-apply" lang="fr" data-consent-purpose="application-processing">
      <consent-checkbox name="credit" purpose="credit-check"></consent-checkbox>
      <button>Envoyer</button>
    </form>`);
    form.addEventListener('submit', (e) => e.preventDefault());
    const credit = box(form, 'credit-check');
    // The box is hidden, out of reach, until its French strings arrive: a person ticks it then.
    await until(() => !credit.hasAttribute('data-locale-pending'), 'the French strings');
    await realClick(credit.shadowRoot?.querySelector('input') as HTMLInputElement);
    await until(() => credit.checked);
    const captured = new Promise((resolve) => form.addEventListener('consent-captured', resolve, { once: true }));
    form.requestSubmit();
    await captured;
    const record = memory().backend.entries()[0]?.record;
    // The test browsers run in English, so a record in `fr` can only come from the page.
    expect(navigator.language.startsWith('fr')).to.equal(false);
    expect(record?.locale).to.equal('fr');
    const policy = testPolicy();
    const label = policy.purposes.find((p) => p.id === 'credit-check')?.label as Record<string, string>;
    const decisions = Object.fromEntries((record?.decisions ?? []).map((d) => [d.purpose, d]));
    expect(decisions['credit-check']?.wording?.sha256).to.equal(await sha256Hex(label.fr as string));
  });

  it('records an express box left unticked as not granted and still submits (R20, B1)', async () => {
    const form = await fixture<HTMLFormElement>(FORM);
    let submitted = 0;
    form.addEventListener('submit', (e) => {
      submitted++;
      e.preventDefault();
    });
    const captured = new Promise((resolve) => form.addEventListener('consent-captured', resolve, { once: true }));
    form.requestSubmit();
    await captured;
    expect(submitted).to.equal(1);
    const decisions = memory().backend.entries()[0]?.record.decisions ?? [];
    expect(decisions.find((d) => d.purpose === 'credit-check')).to.include({ granted: false, basis: 'express' });
  });

  it('holds a native submission until the record exists, then navigates with the record id (everything declined)', async () => {
    const frame = document.createElement('iframe');
    frame.name = 'sink';
    frame.title = 'submission target';
    document.body.append(frame);
    try {
      const form = await fixture<HTMLFormElement>(
        FORM.replace(
          '<form id="apply"',
          '<form id="apply" method="get" action="/packages/widget/package.json" target="sink"',
        ),
      );
      const optOut = box(form, 'marketing');
      optOut.shadowRoot?.querySelector('input')?.click(); // decline marketing too
      await optOut.updateComplete;
      form.requestSubmit();
      // The frame first holds about:blank; wait until the submission's navigation has landed.
      const search = () => {
        try {
          return frame.contentWindow?.location.search ?? '';
        } catch {
          return '';
        }
      };
      await until(() => search().includes('email='));
      const params = new URLSearchParams(search());
      // The submission waits for the record to be durable, not delivered: it reaches the ledger
      // when the browser is next idle.
      await until(() => memory().backend.entries().length === 1);
      const record = memory().backend.entries()[0]?.record;
      expect(record).to.not.equal(undefined);
      expect(params.get(DEFAULT_RECORD_FIELD)).to.equal(record?.id);
      expect(params.get('no-mkt')).to.equal('on');
      expect(params.has('credit')).to.equal(false);
      expect(record?.decisions.find((d) => d.purpose === 'marketing')).to.include({ granted: false, basis: 'opt-out' });
    } finally {
      frame.remove();
    }
  });

  it('leaves out a decision a script made, and records one record per submission', async () => {
    const form = await fixture<HTMLFormElement>(FORM);
    form.addEventListener('submit', (e) => e.preventDefault());
    box(form, 'credit-check').checked = true; // not the person's act (B3)
    const seen: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => seen.push(args.join(' '));
    try {
      form.requestSubmit();
      await until(() => memory().backend.entries().length === 1);
    } finally {
      console.warn = original;
    }
    const purposes = memory()
      .backend.entries()[0]
      ?.record.decisions.map((d) => d.purpose);
    expect(purposes).to.not.include('credit-check');
    expect(seen.join('\n')).to.include('programmatic-not-recorded');
  });

  it('does not capture when the form fails validation (required consent unticked)', async () => {
    const form = await fixture<HTMLFormElement>(
      FORM.replace('purpose="credit-check"', 'purpose="credit-check" required'),
    );
    form.requestSubmit();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(memory().backend.entries()).to.have.length(0);
  });
});
