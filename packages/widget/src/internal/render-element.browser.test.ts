// The elements' base (render-element.ts) through the real controls: what LitElement gave them and
// the base must keep (attributes and properties, properties set before the tag is defined, one
// render per batch of changes, styles shared by every instance).
import { fixture } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { ConsentCheckbox } from '../consent-checkbox/consent-checkbox.js';
import { ConsentOptOut } from '../consent-optout/consent-optout.js';

ConsentCheckbox.define();
ConsentOptOut.define();

describe('the elements’ base (lit-html render, no LitElement)', () => {
  it('sets a declared property from its attribute, and reflects it back at the next update', async () => {
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="marketing"></consent-optout>');
    expect(el.purpose).to.equal('marketing');
    expect(el.optedOut).to.equal(false);
    el.setAttribute('opted-out', '');
    expect(el.optedOut).to.equal(true);
    el.removeAttribute('opted-out');
    expect(el.optedOut).to.equal(false);
    el.optedOut = true;
    expect(el.hasAttribute('opted-out'), 'reflected at the update, not at once').to.equal(false);
    await el.updateComplete;
    expect(el.getAttribute('opted-out')).to.equal('');
    el.purpose = 'analytics';
    await el.updateComplete;
    expect(el.getAttribute('purpose')).to.equal('analytics');
  });

  it('keeps an attribute-less property off the host (checked is a property, `checked` the default)', async () => {
    const el = await fixture<ConsentCheckbox>(
      '<consent-checkbox purpose="marketing" mode="opt-out" checked>x</consent-checkbox>',
    );
    expect(el.defaultChecked).to.equal(true);
    expect(el.checked).to.equal(true);
    el.checked = false;
    await el.updateComplete;
    expect(el.hasAttribute('checked'), 'the default attribute is not rewritten by the state').to.equal(true);
    expect(el.shadowRoot?.querySelector('input')?.checked).to.equal(false);
  });

  it('applies properties a page set before the tag was defined (frameworks do)', async () => {
    const tag = 'consent-optout-late';
    const el = document.createElement(tag) as ConsentOptOut;
    el.purpose = 'marketing';
    el.optedOut = true;
    document.body.append(el);
    try {
      customElements.define(tag, class extends ConsentOptOut {});
      await el.updateComplete;
      expect(Object.hasOwn(el, 'optedOut'), 'no own property shadowing the accessor').to.equal(false);
      expect(el.optedOut).to.equal(true);
      expect(el.getAttribute('purpose')).to.equal('marketing');
      expect(el.hasAttribute('opted-out')).to.equal(true);
      el.optedOut = false;
      await el.updateComplete;
      expect(el.hasAttribute('opted-out'), 'later sets still update').to.equal(false);
    } finally {
      el.remove();
    }
  });

  it('renders once for changes made in one task, and updateComplete settles after that render', async () => {
    let renders = 0;
    class Counted extends ConsentCheckbox {
      protected override updated(changed: Map<PropertyKey, unknown>): void {
        super.updated(changed);
        renders++;
      }
    }
    customElements.define('consent-checkbox-counted', Counted);
    const el = await fixture<Counted>('<consent-checkbox-counted purpose="marketing">x</consent-checkbox-counted>');
    await el.updateComplete;
    renders = 0;
    el.mode = 'opt-out';
    el.noHint = true;
    el.checked = true;
    expect(await el.updateComplete).to.equal(true);
    expect(renders).to.equal(1);
    expect(el.shadowRoot?.querySelector('input')?.checked).to.equal(true);
  });

  it('adopts one constructed stylesheet per style, shared by every instance, with no <style> element', async () => {
    const a = await fixture<ConsentCheckbox>('<consent-checkbox purpose="a">a</consent-checkbox>');
    const b = await fixture<ConsentCheckbox>('<consent-checkbox purpose="b">b</consent-checkbox>');
    const sheetsOf = (el: Element) => el.shadowRoot?.adoptedStyleSheets ?? [];
    expect(sheetsOf(a).length).to.be.greaterThan(1);
    expect(sheetsOf(a).every((sheet, i) => sheet === sheetsOf(b)[i])).to.equal(true);
    expect(a.shadowRoot?.querySelector('style')).to.equal(null);
    expect(getComputedStyle(a).display).to.equal('block');
  });
});
