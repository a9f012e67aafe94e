/** The outbox store a client uses when it is given none: IndexedDB in browsers, memory elsewhere. */
import { hasIndexedDb } from '../internal/idb.js';
import { createFallbackOutboxStore } from '../outbox/fallback-store.js';
import { createIndexedDbOutboxStore } from '../outbox/indexeddb-store.js';
import { createMemoryOutboxStore } from '../outbox/memory-store.js';
import type { OutboxStore } from '../outbox/outbox-store.js';

/** `onFallback` hears why IndexedDB could not be used (records then live in memory for this page). */
export function defaultOutboxStore(onFallback: (error: unknown) => void): OutboxStore {
  return hasIndexedDb()
    ? createFallbackOutboxStore({ primary: createIndexedDbOutboxStore(), onFallback })
    : createMemoryOutboxStore();
}
