/**
 * Connects <consent-checkbox> to Angular forms (formControlName, formControl, ngModel): the
 * control's value is the box's `checked` (a boolean), and the element's own validity (its
 * `required`, through ElementInternals) becomes the control's validity.
 *
 * Only a person's act reaches the model: the element fires `change` for a click or the Space
 * key, never for a programmatic change. Writes from the model set `checked` only when it differs,
 * so Angular re-writing the same value can never look like a change to the record.
 */
import { Directive, ElementRef, forwardRef, inject, type OnDestroy } from '@angular/core';
import {
  type AbstractControl,
  type ControlValueAccessor,
  NG_VALIDATORS,
  NG_VALUE_ACCESSOR,
  type ValidationErrors,
  type Validator,
} from '@angular/forms';
import type { ConsentCheckbox } from '@consentkit/widget';

@Directive({
  selector: 'consent-checkbox[formControlName],consent-checkbox[formControl],consent-checkbox[ngModel]',
  host: { '(change)': 'handleChange()', '(focusout)': 'handleTouched()' },
  providers: [
    { provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => ConsentCheckboxValueAccessor), multi: true },
    { provide: NG_VALIDATORS, useExisting: forwardRef(() => ConsentCheckboxValueAccessor), multi: true },
  ],
})
export class ConsentCheckboxValueAccessor implements ControlValueAccessor, Validator, OnDestroy {
  private readonly element: ConsentCheckbox = inject<ElementRef<ConsentCheckbox>>(ElementRef).nativeElement;
  private onChange: (checked: boolean) => void = () => {};
  private onTouched: () => void = () => {};
  private onValidatorChange: () => void = () => {};
  private attributes: MutationObserver | undefined;

  writeValue(value: unknown): void {
    const checked = value === true;
    if (this.element.checked === checked) return;
    this.element.checked = checked;
    this.validateAfterRender();
  }

  registerOnChange(fn: (checked: boolean) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }

  setDisabledState(disabled: boolean): void {
    this.element.disabled = disabled;
  }

  /** The element's validity, as Angular errors: `required` when a required box is unticked. */
  validate(_control: AbstractControl): ValidationErrors | null {
    const { validity } = this.element;
    if (!validity || validity.valid) return null;
    return validity.valueMissing ? { required: true } : { consent: this.element.validationMessage };
  }

  /** `required` and `disabled` may change on the element itself: Angular validates again then. */
  registerOnValidatorChange(fn: () => void): void {
    this.onValidatorChange = fn;
    this.attributes?.disconnect();
    this.attributes = new MutationObserver(() => this.validateAfterRender());
    this.attributes.observe(this.element, { attributes: true, attributeFilter: ['required', 'disabled'] });
  }

  ngOnDestroy(): void {
    this.attributes?.disconnect();
  }

  protected handleChange(): void {
    this.onChange(this.element.checked);
    this.validateAfterRender();
  }

  protected handleTouched(): void {
    this.onTouched();
  }

  /**
   * The element settles its validity when it renders (a microtask after the change), so Angular,
   * which validates synchronously, is asked again once the element has rendered.
   */
  private validateAfterRender(): void {
    void this.element.updateComplete.then(() => this.onValidatorChange());
  }
}
