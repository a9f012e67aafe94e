/**
 * IndexedDB can be missing or refuse to open (private browsing in some browsers, storage
 * blocked by policy, quota). Consent must still be recordable: the default store falls back to
 * memory for the rest of the page and says so once, as an `error` event with code `storage`.
 */
import { createMemoryOutboxStore } from './memory-store.js';
import type { OutboxStore } from './outbox-store.js';

export type FallbackStoreOptions = {
  primary: OutboxStore;
  /** Called once, with the error that made the store switch to memory. */
  onFallback: (error: unknown) => void;
};

export function createFallbackOutboxStore({ primary, onFallback }: FallbackStoreOptions): OutboxStore {
  let active = primary;
  const run = async <T>(operation: (store: OutboxStore) => Promise<T>): Promise<T> => {
    if (active !== primary) return operation(active);
    try {
      return await operation(primary);
    } catch (error) {
      if (active === primary) {
        active = createMemoryOutboxStore();
        onFallback(error);
      }
      return operation(active);
    }
  };
  return {
    get name() {
      return active.name;
    },
    put: (options) => run((store) => store.put(options)),
    list: () => run((store) => store.list()),
    delete: (options) => run((store) => store.delete(options)),
    getMeta: (options) => run((store) => store.getMeta(options)),
    close: async () => {
      await primary.close?.().catch(() => undefined);
    },
  };
}
