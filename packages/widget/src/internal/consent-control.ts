/**
 * What form capture asks of each consent control in a form. Controls implement it; capture
 * finds them through `form.elements` (form-associated elements are listed there), so any
 * future control joins capture without registering anywhere.
 */
import type { PurposeBasis } from '@consentkit/core';
import type { ConsentInteraction } from '../events/consent-change-event.js';

export type ControlDecision = {
  purpose: string;
  granted: boolean;
  basis: PurposeBasis;
  /** The words the person saw beside the control. */
  wording: string;
  /** The language of those words (the element's resolved locale): the record names it. */
  locale: string;
  preChecked?: boolean;
  /** How the person last changed it; undefined when they left it as shown. */
  interaction: ConsentInteraction | undefined;
};

export type ConsentControl = {
  /** The decision to record, or undefined when there is nothing a person decided (see the control). */
  consentDecision(): ControlDecision | undefined;
};

export function isConsentControl(value: unknown): value is ConsentControl & Element {
  return value instanceof Element && typeof (value as Partial<ConsentControl>).consentDecision === 'function';
}
