/**
 * The one domain event the widget adds. Native `change` covers "the box changed"; this event
 * carries what the change means for consent (purpose, mode, granted), which `change` cannot.
 * It is dispatched when the control is activated (never for a `.checked` set); `interaction`
 * says whether a person did it (trusted input) or page script did (`programmatic`, B3, R16).
 */

/**
 * How the change was made: a person's pointer (click, tap, label) or keyboard (Space), from
 * trusted events only; `programmatic` when script activated the control (`click()`, a
 * dispatched click or key), which never grants express consent.
 */
export type ConsentInteraction = 'pointer' | 'keyboard' | 'programmatic';

/** What a consent control reports when a person changes it. */
export type ConsentChangeDetail = {
  /** The policy purpose id the control is bound to. */
  readonly purpose: string;
  /** `express`: checked grants; `opt-out`: checked means "don't". */
  readonly mode: 'express' | 'opt-out';
  /** The control's visual state. */
  readonly checked: boolean;
  /** What the state means for the purpose: consent given (or not opted out). */
  readonly granted: boolean;
  readonly interaction: ConsentInteraction;
};

export class ConsentChangeEvent extends Event {
  readonly detail: ConsentChangeDetail;

  constructor(detail: ConsentChangeDetail) {
    // composed: the event must leave the shadow root to reach the page's listeners.
    super('consent-change', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consent-change': ConsentChangeEvent;
  }
}
