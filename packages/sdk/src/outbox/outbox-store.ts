/**
 * Where signed records wait until a backend acknowledges them. A store only persists; the
 * delivery logic (retry, backoff, page-hide flush) lives in ./outbox.ts and is the same for all.
 */
import type { OutgoingRecord } from '../backend.js';

/** A queued record plus its delivery bookkeeping. */
export type OutboxEntry = OutgoingRecord & {
  /** Signing order: the ledger checks each key's `prev` chain, so records leave in this order. */
  order: number;
  /** When it was queued (ms since the epoch). */
  queuedAt: number;
  /** Failed delivery attempts so far. */
  attempts: number;
  /** Not to be sent before this time (ms since the epoch): backoff and `Retry-After`. */
  notBefore: number;
};

export type OutboxPutOptions = {
  entries: readonly OutboxEntry[];
  /** Small values stored in the same durable step (the chain head must move with its record). */
  meta?: Readonly<Record<string, unknown>>;
};

export interface OutboxStore {
  /** For messages: `memory`, `indexeddb`, `file`. */
  readonly name: string;
  /**
   * Inserts or replaces entries (by id) and meta values. Resolves only once the data is durable:
   * the client sends nothing before this resolves.
   */
  put(options: OutboxPutOptions): Promise<void>;
  /** Every entry, in signing order. */
  list(): Promise<OutboxEntry[]>;
  /** Removes acknowledged (or permanently refused) entries. Unknown ids are ignored. */
  delete(options: { ids: readonly string[] }): Promise<void>;
  /** A meta value, or `undefined`. */
  getMeta(options: { key: string }): Promise<unknown>;
  close?(): Promise<void>;
}

export function byOrder(a: OutboxEntry, b: OutboxEntry): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
