/**
 * The conformance suite every ConsentKit checkbox-like form control must pass (conventions §14):
 * it behaves like a native checkbox inside a real <form> (E1–E7, R55–R59). Run it from the
 * control's own test file: `runFormControlConformance({ tag: 'consent-checkbox' })`.
 */

import { cleanup, fixture, settle } from '@consentkit/test-support/browser';
import { expect } from 'chai';

/** A control under test: host element plus the inner native input the suite drives. */
type Control = HTMLElement & {
  checked: boolean;
  disabled: boolean;
  required: boolean;
  readonly form: HTMLFormElement | null;
  readonly labels: NodeList;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  checkValidity(): boolean;
  reportValidity(): boolean;
  setCustomValidity(message: string): void;
  updateComplete: Promise<boolean>;
  formStateRestoreCallback(state: unknown, reason: 'restore' | 'autocomplete'): void;
};

export type ConformanceOptions = {
  tag: string;
  /** Extra attributes every instance needs (e.g. `purpose="marketing"`). */
  attributes?: string;
};

function innerInput(el: Control): HTMLInputElement {
  const input = el.shadowRoot?.querySelector('input');
  if (!input) throw new Error('no inner input');
  return input;
}

/** Records every user-facing event the control dispatches. */
function recordEvents(el: Element): string[] {
  const seen: string[] = [];
  for (const type of ['change', 'input', 'consent-change']) el.addEventListener(type, () => seen.push(type));
  return seen;
}

export function runFormControlConformance({ tag, attributes = '' }: ConformanceOptions): void {
  describe(`${tag} form-control conformance`, () => {
    afterEach(cleanup);

    async function inForm(extra = '', before = ''): Promise<{ form: HTMLFormElement; el: Control }> {
      const form = await fixture<HTMLFormElement>(
        `<form>${before}<${tag} id="c" name="mkt" value="yes" ${attributes} ${extra}>Email me offers</${tag}></form>`,
      );
      const el = form.querySelector(tag) as Control;
      await el.updateComplete;
      return { form, el };
    }

    it('submits nothing when unchecked and name=value when checked (E1, R56)', async () => {
      const { form, el } = await inForm();
      expect([...new FormData(form).keys()]).to.deep.equal([]);
      innerInput(el).click();
      await el.updateComplete;
      expect([...new FormData(form).entries()]).to.deep.equal([['mkt', 'yes']]);
      innerInput(el).click();
      await el.updateComplete;
      expect(new FormData(form).has('mkt')).to.equal(false);
    });

    it('submits "on" without a value attribute, like a native checkbox (R56)', async () => {
      const form = await fixture<HTMLFormElement>(`<form><${tag} name="x" ${attributes}>Label</${tag}></form>`);
      const el = form.querySelector(tag) as Control;
      el.checked = true;
      await el.updateComplete;
      expect(new FormData(form).get('x')).to.equal('on');
    });

    it('is listed in form.elements and knows its form (R55)', async () => {
      const { form, el } = await inForm();
      expect(el.form).to.equal(form);
      expect([...form.elements]).to.include(el);
    });

    it('required and unchecked is valueMissing with a message; checking makes it valid (E2, R57)', async () => {
      const { form, el } = await inForm('required');
      expect(el.validity.valueMissing).to.equal(true);
      expect(el.validationMessage).to.not.equal('');
      expect(el.checkValidity()).to.equal(false);
      expect(form.checkValidity()).to.equal(false);
      innerInput(el).click();
      await el.updateComplete;
      expect(el.validity.valid).to.equal(true);
      expect(form.checkValidity()).to.equal(true);
    });

    it('reportValidity() focuses the inner anchor (E2, R57)', async () => {
      const { el } = await inForm('required');
      // Not cancelling `invalid`: a cancelled report neither focuses nor shows the message.
      expect(el.reportValidity()).to.equal(false);
      expect(document.activeElement).to.equal(el);
      expect(el.shadowRoot?.activeElement).to.equal(innerInput(el));
    });

    it('setCustomValidity makes it invalid until cleared', async () => {
      const { el } = await inForm();
      el.setCustomValidity('Nope');
      expect(el.validity.customError).to.equal(true);
      expect(el.validationMessage).to.equal('Nope');
      el.setCustomValidity('');
      expect(el.validity.valid).to.equal(true);
    });

    it('form.reset() returns to unchecked and fires no event (E3, R58)', async () => {
      const { form, el } = await inForm();
      innerInput(el).click();
      await el.updateComplete;
      const seen = recordEvents(el);
      form.reset();
      await el.updateComplete;
      expect(el.checked).to.equal(false);
      expect(innerInput(el).checked).to.equal(false);
      expect(new FormData(form).has('mkt')).to.equal(false);
      expect(seen).to.deep.equal([]);
    });

    it('restore brings back the state silently; autocomplete never ticks it (E5, R58)', async () => {
      const { form, el } = await inForm();
      const seen = recordEvents(el);
      el.formStateRestoreCallback('checked', 'autocomplete');
      await el.updateComplete;
      expect(el.checked).to.equal(false);
      el.formStateRestoreCallback('checked', 'restore');
      await el.updateComplete;
      expect(el.checked).to.equal(true);
      expect(new FormData(form).get('mkt')).to.equal('yes');
      expect(seen).to.deep.equal([]);
    });

    it('disabled: not submitted, not focusable, not toggled (E4)', async () => {
      const { form, el } = await inForm('disabled');
      el.checked = true;
      await el.updateComplete;
      expect(new FormData(form).has('mkt')).to.equal(false);
      expect(innerInput(el).disabled).to.equal(true);
      el.focus();
      expect(document.activeElement).to.not.equal(el);
    });

    it('fieldset[disabled] disables it through formDisabledCallback (E4, R58)', async () => {
      const form = await fixture<HTMLFormElement>(
        `<form><fieldset disabled><${tag} name="mkt" ${attributes}>Offers</${tag}></fieldset></form>`,
      );
      const el = form.querySelector(tag) as Control;
      el.checked = true;
      await settle(form);
      expect(new FormData(form).has('mkt')).to.equal(false);
      expect(innerInput(el).disabled).to.equal(true);
      expect(el.matches(':disabled')).to.equal(true);
      (form.querySelector('fieldset') as HTMLFieldSetElement).disabled = false;
      await settle(form);
      expect(innerInput(el).disabled).to.equal(false);
      expect(new FormData(form).get('mkt')).to.equal('on');
    });

    it('<label for> is associated and a label click toggles it (E6, R55)', async () => {
      const form = await fixture<HTMLFormElement>(
        `<form><label for="lc">Email me offers</label><${tag} id="lc" name="mkt" ${attributes}></${tag}></form>`,
      );
      const el = form.querySelector(tag) as Control;
      await el.updateComplete;
      expect(el.labels.length).to.equal(1);
      (form.querySelector('label') as HTMLLabelElement).click();
      await el.updateComplete;
      expect(el.checked).to.equal(true);
      expect(new FormData(form).get('mkt')).to.equal('on');
    });

    it('clicking the slotted label text toggles it', async () => {
      const { el } = await inForm();
      const label = el.shadowRoot?.querySelector('[part~="label"]') as HTMLElement;
      label.click();
      await el.updateComplete;
      expect(el.checked).to.equal(true);
    });

    it('focus is delegated to the native checkbox, which owns Space (E7, R60)', async () => {
      const { el } = await inForm();
      el.focus();
      expect(document.activeElement).to.equal(el);
      const input = innerInput(el);
      expect(el.shadowRoot?.activeElement).to.equal(input);
      expect(input.type).to.equal('checkbox');
    });

    it('programmatic changes fire no user events (B3, conventions §9)', async () => {
      const { el } = await inForm();
      const seen = recordEvents(el);
      el.checked = true;
      await el.updateComplete;
      el.checked = false;
      await el.updateComplete;
      expect(seen).to.deep.equal([]);
    });

    it('a person click fires change, input and consent-change once each', async () => {
      const { el } = await inForm();
      const seen = recordEvents(el);
      innerInput(el).click();
      await el.updateComplete;
      expect(seen.sort()).to.deep.equal(['change', 'consent-change', 'input']);
    });
  });
}
