import { ConsentError } from '@consentkit/core';
import { expect } from 'chai';
import { entry } from '../../test/support/store-conformance.js';
import { createFallbackOutboxStore } from './fallback-store.js';
import type { OutboxStore } from './outbox-store.js';

const broken: OutboxStore = {
  name: 'indexeddb',
  put: async () => {
    throw new ConsentError('storage', 'IndexedDB is blocked');
  },
  list: async () => {
    throw new ConsentError('storage', 'IndexedDB is blocked');
  },
  delete: async () => undefined,
  getMeta: async () => undefined,
};

describe('fallback outbox store', () => {
  it('switches to memory once when the browser store fails, so consent can still be recorded', async () => {
    const failures: unknown[] = [];
    const store = createFallbackOutboxStore({ primary: broken, onFallback: (e) => failures.push(e) });
    await store.put({ entries: [entry('a', 1)] });
    await store.put({ entries: [entry('b', 2)] });
    expect((await store.list()).map((e) => e.id)).to.deep.equal(['a', 'b']);
    expect(store.name).to.equal('memory');
    expect(failures).to.have.length(1);
    expect(failures[0]).to.include({ code: 'storage' });
  });
});
