/**
 * The events a client emits. Background failures arrive here as `error` events with a code;
 * nothing that happens after `capture()` resolved is ever thrown into the host page.
 */
import type { ConsentErrorCode, ConsentState } from '@consentkit/core';

/** The ledger acknowledged a record; `receipt` is its countersignature. */
export type DeliveredEvent = { type: 'delivered'; recordId: string; receipt: string };

/** A delivery attempt failed in a way worth retrying; the record stays queued until `retryAt`. */
export type PendingEvent = {
  type: 'pending';
  recordId: string;
  attempts: number;
  /** When the next attempt is due (ms since the epoch). */
  retryAt: number;
  code: ConsentErrorCode;
  reason: string;
};

/**
 * Something failed for good (a record the ledger refused, storage that would not open, a policy
 * that would not load). `recordId` is set when one record is concerned.
 */
export type ConsentErrorEvent = {
  type: 'error';
  code: ConsentErrorCode;
  reason: string;
  recordId?: string;
};

/** The per-purpose state changed (a capture, a GPC opt-out, history from the backend). */
export type StateEvent = { type: 'state'; state: ConsentState };

export type ConsentEvent = DeliveredEvent | PendingEvent | ConsentErrorEvent | StateEvent;

export type ConsentListener = (event: ConsentEvent) => void;
