/**
 * The browser outbox: IndexedDB, so records survive a reload, a crash or a closed tab, and the
 * next client created on the same origin delivers them (R64).
 */
import { openDatabase, requestResult, transactionDone } from '../internal/idb.js';
import { byOrder, type OutboxEntry, type OutboxStore } from './outbox-store.js';
import { DEFAULT_OUTBOX_NAME } from './stored-hint.js';

export type IndexedDbOutboxStoreOptions = {
  /** Database name; one per origin is the point, so change it only to isolate tests. */
  name?: string;
};

const ENTRIES = 'outbox';
const META = 'meta';

export function createIndexedDbOutboxStore(options: IndexedDbOutboxStoreOptions = {}): OutboxStore {
  const dbName = options.name ?? DEFAULT_OUTBOX_NAME;
  let opening: Promise<IDBDatabase> | undefined;
  /** The hint mayHaveStoredRecords() reads (stored-hint.ts) is written: once per store, not per put. */
  let hinted = false;
  const db = () => {
    opening ??= openDatabase({ name: dbName, stores: [ENTRIES, META] });
    return opening;
  };
  return {
    name: 'indexeddb',
    async put({ entries, meta }) {
      const tx = (await db()).transaction([ENTRIES, META], 'readwrite');
      const done = transactionDone(tx);
      for (const entry of entries) tx.objectStore(ENTRIES).put(entry, entry.id);
      for (const [key, value] of Object.entries(meta ?? {})) tx.objectStore(META).put(value, key);
      await done;
      if (hinted) return;
      try {
        localStorage.setItem(dbName, '1');
        hinted = true;
      } catch {
        // No localStorage (a sandboxed frame, storage disabled): mayHaveStoredRecords() then says true.
      }
    },
    async list() {
      const tx = (await db()).transaction(ENTRIES, 'readonly');
      const all = await requestResult(tx.objectStore(ENTRIES).getAll() as IDBRequest<OutboxEntry[]>);
      return all.sort(byOrder);
    },
    async delete({ ids }) {
      const tx = (await db()).transaction(ENTRIES, 'readwrite');
      const done = transactionDone(tx);
      for (const id of ids) tx.objectStore(ENTRIES).delete(id);
      await done;
    },
    async getMeta({ key }) {
      const tx = (await db()).transaction(META, 'readonly');
      return requestResult(tx.objectStore(META).get(key) as IDBRequest<unknown>);
    },
    async close() {
      if (opening) (await opening).close();
      opening = undefined;
    },
  };
}
