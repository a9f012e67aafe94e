// The floor for the start-up bench: the least a Lit checkbox that takes part in a form can be —
// a form-associated LitElement rendering a native checkbox and a slot for its label, with a
// little style. <consent-checkbox> should cost at most 1.5× this on every start-up figure.
import { css, html, LitElement } from 'lit';

class LitCheckbox extends LitElement {
  static formAssociated = true;
  static properties = { name: {}, checked: { type: Boolean } };
  static styles = css`
    :host { display: block; font: inherit; }
    label { display: inline-flex; gap: 0.5em; align-items: center; cursor: pointer; }
    input { width: 1.25em; height: 1.25em; margin: 0; }
  `;

  constructor() {
    super();
    this.internals = this.attachInternals();
    this.checked = false;
  }

  onChange(event) {
    this.checked = event.target.checked;
    this.internals.setFormValue(this.checked ? 'on' : null);
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  render() {
    return html`<label part="base"><input type="checkbox" .checked=${this.checked} @change=${this.onChange} /><slot></slot></label>`;
  }
}
customElements.define('lit-checkbox', LitCheckbox);
