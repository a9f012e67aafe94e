/**
 * The one interface a delivery target implements. The client signs records and hands them to a
 * backend; the backend only moves bytes and reports, per record, what the ledger said.
 *
 * Every member takes one options object so fields can be added without breaking backends.
 * `name` and `send` are required; everything else is optional and the client copes without it.
 */
import type { CommitmentOpening, ConsentErrorCode, ConsentRecord, Policy } from '@consentkit/core';

/** What travels beside a commitment so the ledger can link it to a person (kept apart, encrypted). */
export type IdentifierOpening = CommitmentOpening;

/** A signed record on its way out. `record` is the decoded payload of `jws`, for convenience. */
export type OutgoingRecord = {
  /** The record id (UUIDv7); the ledger deduplicates on it, so a retry is stored once. */
  id: string;
  /** The compact JWS over the record's RFC 8785 bytes. This is what the ledger verifies. */
  jws: string;
  record: ConsentRecord;
  /** Present when the record's subject is a commitment to an identifier the person typed. */
  opening?: IdentifierOpening;
};

/** The ledger took the record; `receipt` is its countersignature (a JWS). */
export type AcceptedResult = { id: string; status: 'accepted'; receipt: string };

/**
 * The ledger did not take the record. `retryable: true` keeps it in the outbox for another
 * attempt; `false` drops it and reports an `error` event.
 */
export type RejectedResult = {
  id: string;
  status: 'rejected';
  code: ConsentErrorCode;
  reason: string;
  retryable: boolean;
  /** How long to wait before retrying (from `Retry-After`), when the ledger said so. */
  retryAfterMs?: number;
};

export type SendResult = AcceptedResult | RejectedResult;

export type SendOptions = {
  /** Records in the order they were signed (oldest first); keep that order on the wire. */
  records: readonly OutgoingRecord[];
  /** Aborted when the client times the attempt out or closes. */
  signal: AbortSignal;
};

export type BeaconOptions = {
  /** At most 60 KiB once serialised: the client splits larger queues (R63, R64). */
  records: readonly OutgoingRecord[];
};

export type FetchPolicyOptions = { signal: AbortSignal };

export type FetchStateOptions = {
  /** The subject whose history is wanted. */
  subject: ConsentRecord['subject'];
  /** The signing key's thumbprint: with a `device` subject it is what identifies the device. */
  kid: string;
  signal: AbortSignal;
};

export type FetchStateResult = {
  /** The subject's records the backend knows, oldest first. */
  records: readonly ConsentRecord[];
};

export interface ConsentBackend {
  /**
   * A short name for events and messages.
   *
   * @example
   * const backend: ConsentBackend = { name: 'crm', send: async ({ records }) => [] };
   */
  readonly name: string;

  /**
   * Delivers a batch and returns one result per record (in any order). Throw (for example a
   * `TransportError` with `retryAfterMs`) when the whole batch failed in a way worth retrying:
   * network down, timeout, 429, 5xx. Never throw for a record the ledger refused for good:
   * return `{ status: 'rejected', retryable: false }` for it instead.
   *
   * @example
   * async send({ records, signal }) {
   *   const response = await fetch('/consent', {
   *     method: 'POST',
   *     body: JSON.stringify(records.map((r) => ({ jws: r.jws, opening: r.opening }))),
   *     signal,
   *   });
   *   if (!response.ok) throw new TransportError('CRM unavailable', { status: response.status });
   *   return records.map((r) => ({ id: r.id, status: 'accepted', receipt: 'crm-stored' }));
   * }
   */
  send(options: SendOptions): Promise<readonly SendResult[]>;

  /**
   * Fire-and-forget delivery while the page is being hidden or unloaded (`sendBeacon` or
   * `fetch(…, { keepalive: true })`). Return `false` when the browser refused to queue it; the
   * records then stay in the outbox. Records are never removed on a beacon alone (no ack), so
   * the next normal send (or the next page load) delivers them again and the ledger deduplicates.
   *
   * @example
   * sendBeacon({ records }) {
   *   const body = JSON.stringify({ records: records.map((r) => ({ jws: r.jws })) });
   *   return navigator.sendBeacon('/consent', new Blob([body], { type: 'text/plain' }));
   * }
   */
  sendBeacon?(options: BeaconOptions): boolean;

  /**
   * Loads the current policy, for clients created with neither `policy` nor `policyUrl`.
   *
   * @example
   * async fetchPolicy({ signal }) {
   *   return (await fetch('/policy.json', { signal })).json();
   * }
   */
  fetchPolicy?(options: FetchPolicyOptions): Promise<Policy>;

  /**
   * Returns the records the backend holds for a subject, so `state()` also reflects choices made
   * elsewhere (another device, the hosted unsubscribe page).
   *
   * @example
   * async fetchState({ subject, kid, signal }) {
   *   const response = await fetch(`/consent/history?kid=${kid}`, { signal });
   *   return { records: await response.json() };
   * }
   */
  fetchState?(options: FetchStateOptions): Promise<FetchStateResult>;
}
