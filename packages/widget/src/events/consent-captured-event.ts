/**
 * Fired on a form once its consent record is signed and queued (and delivered, when the ledger
 * answered). Single-page apps that submit with fetch read the record id from it; native
 * submissions carry the id in the form data instead.
 */
export type ConsentCapturedDetail = {
  readonly recordId: string;
  /** `delivered`: the ledger acknowledged it; `pending`: queued in the outbox; `rejected`: refused. */
  readonly status: 'delivered' | 'pending' | 'rejected';
};

export class ConsentCapturedEvent extends Event {
  readonly detail: ConsentCapturedDetail;

  constructor(detail: ConsentCapturedDetail) {
    super('consent-captured', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consent-captured': ConsentCapturedEvent;
  }
}
