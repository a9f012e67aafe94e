/**
 * The base every ConsentKit form control extends: ElementInternals wiring (R55–R59) shared so
 * each control only decides its value and validity. A native input lives inside each control;
 * this class anchors validity on it and mirrors the native validation API on the host.
 */
import { type PropertyDeclarations, type PropertyValues, RenderElement } from './render-element.js';

/** What a control reports about its own validity, as data (Lit labs/forms style). */
export type ValidityResult = { flags: ValidityStateFlags; message: string };

export abstract class FormAssociatedElement extends RenderElement {
  static formAssociated = true;
  // delegatesFocus: focusing the host (label click, tab, reportValidity) focuses the native input.
  static override shadowRootOptions: ShadowRootInit = { mode: 'open', delegatesFocus: true };

  static override properties: PropertyDeclarations = {
    name: { reflect: true },
    disabled: { type: Boolean, reflect: true },
    required: { type: Boolean, reflect: true },
    formDisabled: { state: true },
  };

  /** The name the value is submitted under. */
  declare name: string;
  /** Disables the control: not focusable, not submitted. */
  declare disabled: boolean;
  /** The form cannot be submitted until the control is checked. */
  declare required: boolean;
  /** Set by an ancestor `<fieldset disabled>` through formDisabledCallback (R58). */
  declare protected formDisabled: boolean;

  protected readonly internals: ElementInternals;
  private customMessage = '';

  constructor() {
    super();
    // attachInternals may be called once; a second call throws NotSupportedError (R55).
    this.internals = this.attachInternals();
    this.name = '';
    this.disabled = false;
    this.required = false;
    this.formDisabled = false;
  }

  /** The native element validity is anchored on (must be in the shadow root, R57). */
  protected abstract get validationAnchor(): HTMLElement | null;

  /** The control's own constraint (e.g. required and unchecked), as data. */
  protected abstract computeValidity(): ValidityResult;

  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  get labels(): NodeList {
    return this.internals.labels;
  }

  get validity(): ValidityState {
    return this.internals.validity;
  }

  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  get willValidate(): boolean {
    return this.internals.willValidate;
  }

  /** True when the control or an ancestor fieldset disables it. */
  get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.syncValidity();
  }

  /** Re-applies validity; called after every render because the anchor may be new. */
  protected syncValidity(): void {
    const anchor = this.validationAnchor ?? undefined;
    if (this.customMessage) {
      this.internals.setValidity({ customError: true }, this.customMessage, anchor);
      return;
    }
    const { flags, message } = this.computeValidity();
    const invalid = Object.values(flags).some(Boolean);
    // setValidity throws a TypeError for a set flag with an empty message (R57).
    if (invalid) this.internals.setValidity(flags, message || ' ', anchor);
    else this.internals.setValidity({});
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  setCustomValidity(message: string): void {
    this.customMessage = message;
    this.syncValidity();
  }
}
