/**
 * A few promise wrappers over IndexedDB. Kept tiny on purpose: the browser entry has a size
 * budget, and the two users (outbox store, device signer) need only get/put/delete/getAll.
 */
import { ConsentError } from '@consentkit/core';

/** Whether this runtime has IndexedDB at all (browsers, workers; not Node). */
export function hasIndexedDb(): boolean {
  return typeof indexedDB !== 'undefined';
}

export type OpenDatabaseOptions = {
  name: string;
  /** Object stores to create on first open; all use out-of-line keys. */
  stores: readonly string[];
};

/** Opens (and on first use creates) a database whose object stores use out-of-line keys. */
export function openDatabase({ name, stores }: OpenDatabaseOptions): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (!hasIndexedDb()) {
      reject(new ConsentError('storage', 'IndexedDB is not available in this runtime'));
      return;
    }
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const store of stores) if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the schema must not be blocked by us holding the old version open.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () =>
      reject(new ConsentError('storage', `Could not open IndexedDB "${name}"`, { cause: request.error }));
    request.onblocked = () =>
      reject(new ConsentError('storage', `IndexedDB "${name}" is blocked by another open connection`));
  });
}

/** Resolves with a request's result, or rejects with a `storage` ConsentError. */
export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new ConsentError('storage', 'IndexedDB request failed', { cause: request.error }));
  });
}

/** Resolves when a transaction commits: only then is the data durable (R64). */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(new ConsentError('storage', 'IndexedDB transaction failed', { cause: tx.error }));
    tx.onabort = () => reject(new ConsentError('storage', 'IndexedDB transaction aborted', { cause: tx.error }));
  });
}
