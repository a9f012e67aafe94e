/**
 * An in-memory outbox store: for Node processes that accept losing unsent records on exit, and
 * for tests. Share one instance between clients to model "a new client resumes the queue".
 */
import { byOrder, type OutboxEntry, type OutboxStore } from './outbox-store.js';

export function createMemoryOutboxStore(): OutboxStore {
  const entries = new Map<string, OutboxEntry>();
  const meta = new Map<string, unknown>();
  // Copies in and out, so callers mutating an entry never change what is "persisted".
  const copy = (entry: OutboxEntry): OutboxEntry => structuredClone(entry);
  return {
    name: 'memory',
    async put({ entries: next, meta: values }) {
      for (const entry of next) entries.set(entry.id, copy(entry));
      for (const [key, value] of Object.entries(values ?? {})) meta.set(key, structuredClone(value));
    },
    async list() {
      return [...entries.values()].map(copy).sort(byOrder);
    },
    async delete({ ids }) {
      for (const id of ids) entries.delete(id);
    },
    async getMeta({ key }) {
      const value = meta.get(key);
      return value === undefined ? undefined : structuredClone(value);
    },
  };
}
