import { effectivePurpose } from '@consentkit/core';
import { defineElement } from '../define-element.js';
import { ConsentChangeEvent, type ConsentInteraction } from '../events/consent-change-event.js';
import { ensureFormCapture } from '../form-capture.js';
import { format } from '../i18n/strings.js';
import { ConfigController, type Localized } from '../internal/config-controller.js';
import type { ConsentControl, ControlDecision } from '../internal/consent-control.js';
import { toggleState } from '../internal/custom-states.js';
import { DEV } from '../internal/dev.js';
import { FormAssociatedElement, type ValidityResult } from '../internal/form-associated.js';
import { interactionFrom } from '../internal/interaction.js';
import type { PropertyDeclarations, PropertyValues } from '../internal/render-element.js';
import { warn } from '../internal/warn.js';
import { type CheckboxListeners, paintCheckbox } from './checkbox-view.js';
import { consentCheckboxStyles } from './consent-checkbox.styles.js';

/** `express`: checked grants consent. `opt-out`: the box says "don't …"; checked opts out. */
export type ConsentCheckboxMode = 'express' | 'opt-out';

/**
 * @summary A consent checkbox that submits with its form like a native checkbox and knows
 * what its state means for a policy purpose.
 *
 * @slot - The label: the exact words shown beside the box (their SHA-256 goes into the record).
 *
 * @event change - A person changed the box (never for programmatic changes).
 * @event input - Native, from the inner checkbox, for the same person's act.
 * @event consent-change - {ConsentChangeEvent} A person changed the box; `detail` says what it means for the purpose.
 * @event consent-error - {ConsentErrorEvent} The policy has no such purpose (the box can never be recorded); failures of the form's record fire on the form.
 *
 * @csspart base - The clickable row (a label wrapping the box and its text).
 * @csspart control - The native `<input type="checkbox">`.
 * @csspart label - The label text.
 * @csspart required-indicator - The "(required)" text.
 * @csspart hint - The withdrawal statement under express boxes.
 *
 * @cssproperty --consent-checkbox-size - Box size (at least 24px is kept for the hit target).
 * @cssproperty --consent-accent-color - Box colour when checked.
 * @cssproperty --consent-focus-ring-color - Focus ring colour.
 * @cssproperty --consent-focus-ring-width - Focus ring width.
 * @cssproperty --consent-gap - Space between the box and its text.
 * @cssproperty --consent-color - Text colour.
 * @cssproperty --consent-font - Font shorthand.
 * @cssproperty --consent-hint-color - Hint colour.
 * @cssproperty --consent-hint-font-size - Hint font size.
 * @cssproperty --consent-required-color - "(required)" colour.
 * @cssproperty --consent-row-padding - Block padding of the row.
 *
 * @cssstate checked - The box is checked.
 * @cssstate disabled - The box is disabled (itself or by a fieldset).
 * @cssstate express - The box is in express mode.
 * @cssstate opt-out - The box is in opt-out mode.
 */
export class ConsentCheckbox extends FormAssociatedElement implements ConsentControl {
  static override styles = consentCheckboxStyles;

  static override properties: PropertyDeclarations = {
    purpose: { reflect: true },
    mode: { reflect: true },
    value: {},
    checked: { type: Boolean, attribute: false, noAccessor: true },
    defaultChecked: { type: Boolean, attribute: 'checked' },
    noHint: { type: Boolean, attribute: 'no-hint' },
  };

  /** Registers the element; a no-op when the tag already holds this class. */
  static define(tag = 'consent-checkbox', registry: CustomElementRegistry = customElements): void {
    defineElement(tag, ConsentCheckbox, registry);
  }

  private readonly config = new ConfigController(this);

  /** The policy purpose id this box is about (`marketing`). */
  declare purpose: string;
  /** Used only when the policy does not know the purpose; the policy's basis always wins. */
  declare mode: ConsentCheckboxMode | '';
  /** Submitted under `name` when checked. */
  declare value: string;
  /**
   * The `checked` attribute: the initial state, honoured in opt-out mode only. In express mode
   * a pre-ticked box is refused with a console warning (R23).
   */
  declare defaultChecked: boolean;
  /** Hides the withdrawal statement under express boxes (show it elsewhere, R19). */
  declare noHint: boolean;

  private checkedState = false;
  /** The state was set by a person, program or restore since the last reset. */
  private dirty = false;
  /** How a person made the current state; undefined when nobody did (program, restore, default). */
  private personAct: ConsentInteraction | undefined;
  private pendingInteraction: ConsentInteraction | undefined;
  /** The click that activates the inner input came from the browser (see handleInputClick). */
  private activationTrusted = false;
  /** A trusted click on the host (a `<label for>`) is being forwarded to the inner input. */
  private forwardingTrusted = false;
  private hasSlottedLabel = false;
  private initialChecked = false;
  private readonly listeners: CheckboxListeners = {
    click: (event) => this.handleInputClick(event),
    change: (event) => this.handleChange(event),
    keydown: (event) => this.handleKeyDown(event),
    pointerdown: (event) => this.handlePointerDown(event),
    slotchange: (event) => this.handleSlotChange(event),
  };

  constructor() {
    super();
    this.purpose = '';
    this.mode = '';
    this.value = 'on';
    this.defaultChecked = false;
    this.noHint = false;
    // A `<label for>` click lands on the host, not on the inner input: forward it (E6).
    this.addEventListener('click', this.handleHostClick);
  }

  /** The current state. Setting it is a programmatic change: no events, not a person's act. */
  get checked(): boolean {
    return this.checkedState;
  }

  set checked(value: boolean) {
    // A framework's controlled box (React `checked={…}`, Svelte `checked={…}`, Vue `:checked`)
    // writes the value back on every render, after the person's click too: a set that changes
    // nothing must not erase that click.
    if (Boolean(value) === this.checkedState) return;
    const old = this.checkedState;
    this.checkedState = Boolean(value);
    this.dirty = true;
    this.personAct = undefined;
    this.requestUpdate('checked', old);
  }

  /** The mode in force: the policy's basis for the purpose (per jurisdiction), else `mode`, else express. */
  get effectiveMode(): ConsentCheckboxMode {
    const purpose = this.config.purpose(this.purpose);
    if (purpose) {
      // Implied purposes have no box of their own; if one is shown, treat it as the strict case.
      return effectivePurpose(purpose, this.config.config.jurisdiction).basis === 'opt-out' ? 'opt-out' : 'express';
    }
    return this.mode === 'opt-out' ? 'opt-out' : 'express';
  }

  /** What the state means for the purpose: express → checked; opt-out → not checked. */
  get granted(): boolean {
    return this.effectiveMode === 'express' ? this.checkedState : !this.checkedState;
  }

  /** The words shown beside the box, whitespace-normalised: what the record's wording hash covers. */
  get wording(): string {
    return this.shownWording().text;
  }

  /** Those words and their language: the page's own label is in the element's. */
  private shownWording(): Localized {
    const slotted = this.hasSlottedLabel ? this.textContent : '';
    const own = slotted || Array.from(this.labels, (label) => label.textContent ?? '').join(' ');
    const { text, locale } = own ? { text: own, locale: this.config.locale } : this.fallbackWording();
    return { text: text.replace(/\s+/g, ' ').trim(), locale };
  }

  private get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  protected get validationAnchor(): HTMLElement | null {
    return this.input;
  }

  protected computeValidity(): ValidityResult {
    if (!this.required || this.effectiveMode === 'opt-out' || this.checkedState) return { flags: {}, message: '' };
    // The inner native input supplies the browser's own, translated message (R57).
    return { flags: { valueMissing: true }, message: this.input?.validationMessage ?? '' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Capture on submit works however the class was registered (define.ts or define()).
    ensureFormCapture(this.ownerDocument);
    this.hasSlottedLabel = Array.from(this.childNodes).some(
      (node) => node.nodeType === Node.ELEMENT_NODE || node.textContent?.trim(),
    );
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const mode = this.effectiveMode;
    const { policy, policyUrl } = this.config.config;
    // A purpose's mode is a guess until its policy arrives: an opt-out box may be checked.
    if (this.defaultChecked && mode === 'express' && !(this.purpose && !policy && policyUrl)) {
      warn(
        'checked-refused',
        DEV
          ? `<consent-checkbox purpose="${this.purpose}"> is in express mode, where a pre-ticked box is not consent (GDPR Recital 32, EDPB 05/2020 §79). The checked attribute is ignored.`
          : '',
        this,
      );
    }
    if (this.required && mode === 'opt-out') {
      warn(
        'required-ignored',
        DEV ? 'an opt-out box cannot be required: declining must never block the form.' : '',
        this,
      );
    }
    // Until something sets the state, it follows the (allowed) default, like a native checkbox.
    if (!this.dirty) {
      this.checkedState = this.allowedDefault();
      this.initialChecked = this.checkedState;
    }
  }

  protected override updated(changed: PropertyValues): void {
    const checked = this.checkedState;
    // Unchecked submits nothing, exactly like a native checkbox (R56); the state restores it.
    this.internals.setFormValue(checked ? this.value : null, checked ? 'checked' : 'unchecked');
    toggleState(this.internals, 'checked', checked);
    toggleState(this.internals, 'disabled', this.isDisabled);
    toggleState(this.internals, 'express', this.effectiveMode === 'express');
    toggleState(this.internals, 'opt-out', this.effectiveMode === 'opt-out');
    super.updated(changed);
  }

  private allowedDefault(): boolean {
    return this.effectiveMode === 'opt-out' && this.defaultChecked;
  }

  /**
   * The label the box shows without one of the page's own: the policy's sentence, or the
   * interface's around the purpose's title, and the language those words are in.
   */
  private fallbackWording(): Localized {
    const label = this.config.purpose(this.purpose)?.label;
    if (label) return this.config.localized(label);
    if (!this.purpose) return { text: '', locale: this.config.locale };
    const { text, locale, strings } = this.config.titlePhrase(this.purpose);
    const sentence = this.effectiveMode === 'express' ? strings.expressLabel : strings.optOutLabel;
    return { text: format(sentence, { purpose: text }), locale };
  }

  private handleHostClick = (event: MouseEvent): void => {
    // Clicks from inside the shadow root already reached the input; only forward label/host clicks,
    // and none to a box hidden until its language arrives.
    if (event.composedPath()[0] !== this || this.isDisabled || this.hasAttribute('data-locale-pending')) return;
    // Our click() on the input is untrusted by nature; carry over whether the browser made this one.
    this.forwardingTrusted = event.isTrusted;
    try {
      this.input?.click();
    } finally {
      this.forwardingTrusted = false;
    }
  };

  private handleInputClick(event: MouseEvent): void {
    // The click precedes the checkbox's change: only a browser-made click is a person's act (B3).
    this.activationTrusted = event.isTrusted || this.forwardingTrusted;
  }

  private handleKeyDown(event: KeyboardEvent): void {
    // Space toggles a native checkbox on keyup through a click; remember it was the keyboard (B2).
    if (event.isTrusted && event.key === ' ') this.pendingInteraction = 'keyboard';
  }

  private handlePointerDown(event: PointerEvent): void {
    if (event.isTrusted) this.pendingInteraction = 'pointer';
  }

  private handleChange(event: Event): void {
    const input = event.target as HTMLInputElement;
    const interaction = interactionFrom(this.activationTrusted, this.pendingInteraction);
    this.pendingInteraction = undefined;
    this.activationTrusted = false;
    const old = this.checkedState;
    this.checkedState = input.checked;
    this.dirty = true;
    this.personAct = interaction;
    this.requestUpdate('checked', old);
    // `change` does not cross the shadow boundary by itself; `input` does (it is composed).
    this.dispatchEvent(new Event('change', { bubbles: true }));
    this.dispatchEvent(
      new ConsentChangeEvent({
        purpose: this.purpose,
        mode: this.effectiveMode,
        checked: this.checkedState,
        granted: this.granted,
        interaction,
      }),
    );
  }

  private handleSlotChange(event: Event): void {
    const slot = event.target as HTMLSlotElement;
    const had = this.hasSlottedLabel;
    this.hasSlottedLabel = slot
      .assignedNodes({ flatten: false })
      .some((node) => node.nodeType === Node.ELEMENT_NODE || node.textContent?.trim());
    if (had !== this.hasSlottedLabel) this.requestUpdate();
  }

  /**
   * The decision form capture records; none while the box is hidden until its language arrives
   * (no words were shown). A state that differs from what was shown and that no
   * person made (a script set it) is not a person's choice and is left out (B3, R16); so is an
   * express grant a script clicked, which core would refuse along with the whole record.
   */
  consentDecision(): ControlDecision | undefined {
    if (!this.purpose || this.isDisabled || this.hasAttribute('data-locale-pending')) return undefined;
    const setByScript = this.checkedState !== this.initialChecked && this.personAct === undefined;
    const clickedByScript = this.personAct === 'programmatic' && this.effectiveMode === 'express' && this.granted;
    if (setByScript || clickedByScript) {
      warn(
        'programmatic-not-recorded',
        DEV
          ? `<consent-checkbox purpose="${this.purpose}"> was changed by a script, not by the person; the change is not recorded as their decision.`
          : '',
        this,
      );
      return undefined;
    }
    // The legal basis is not ours to say: the SDK takes it from the policy when it signs (R37).
    const shown = this.shownWording();
    return {
      purpose: this.purpose,
      granted: this.granted,
      basis: this.effectiveMode,
      wording: shown.text,
      locale: shown.locale,
      ...(this.initialChecked ? { preChecked: true } : {}),
      interaction: this.personAct,
    };
  }

  /** Returns to the default state (unchecked in express mode, R58) with no event of any kind. */
  formResetCallback(): void {
    this.dirty = false;
    this.personAct = undefined;
    this.checkedState = this.allowedDefault();
    this.requestUpdate();
  }

  /**
   * Back/forward restore brings back what was shown, silently and not as a person's act; an
   * autofill ("autocomplete") never ticks an express box (R58).
   */
  formStateRestoreCallback(state: unknown, reason: 'restore' | 'autocomplete'): void {
    if (state !== 'checked' && state !== 'unchecked') return;
    const checked = state === 'checked';
    if (reason === 'autocomplete' && checked && this.effectiveMode === 'express') return;
    this.checkedState = checked;
    this.dirty = true;
    this.personAct = undefined;
    this.requestUpdate();
  }

  override focus(options?: FocusOptions): void {
    this.input?.focus(options);
  }

  override blur(): void {
    this.input?.blur();
  }

  /** Like a native checkbox's click(): toggles and fires the same events a person's click does. */
  override click(): void {
    if (this.isDisabled) return;
    this.input?.click();
  }

  protected override render(): void {
    const express = this.effectiveMode === 'express';
    const labelledOutside = !this.hasSlottedLabel && this.labels.length > 0;
    const strings = this.config.strings;
    paintCheckbox(
      this.renderRoot,
      {
        checked: this.checkedState,
        disabled: this.isDisabled,
        required: this.required && express,
        ariaLabel: labelledOutside ? this.wording : undefined,
        fallback: labelledOutside ? '' : this.fallbackWording().text,
        requiredText: strings.required,
        hint: express && !this.noHint ? strings.withdrawHint : undefined,
      },
      this.listeners,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-checkbox': ConsentCheckbox;
  }
}
