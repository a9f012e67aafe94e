/**
 * Fired when something failed that a page may want to act on: a record that could not be made
 * or delivered, a policy that did not load, a purpose the policy does not know. The same failure
 * is printed to the console (`[consentkit] … See ConsentKit docs/errors.md#<code>`). It is
 * dispatched on the form or element concerned, else on `document`, and bubbles out of shadow
 * roots, so one `document.addEventListener('consent-error', …)` hears every one.
 */

export type ConsentErrorDetail = {
  /** What failed: a code from docs/errors.md (`origin-not-allowed`, `unknown-purpose`, `transport`…). */
  readonly code: string;
  /** One line: what failed, why, and how to fix it. */
  readonly reason: string;
  /** The record concerned, when there is one. */
  readonly recordId?: string;
  /** True when nothing is lost yet: the record is kept in the outbox and sent again later. */
  readonly retrying: boolean;
};

export class ConsentErrorEvent extends Event {
  readonly detail: ConsentErrorDetail;

  constructor(detail: ConsentErrorDetail) {
    super('consent-error', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consent-error': ConsentErrorEvent;
  }
}
