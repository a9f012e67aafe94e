import { expect } from 'chai';
import { runOutboxStoreConformance } from '../../test/support/store-conformance.js';
import { createMemoryOutboxStore } from './memory-store.js';

describe('memory outbox store', () => {
  runOutboxStoreConformance(() => createMemoryOutboxStore());

  it('hands out copies, so a caller mutating an entry changes nothing stored', async () => {
    const store = createMemoryOutboxStore();
    const entry = { id: 'a', jws: 'j', record: {}, order: 1, queuedAt: 1, attempts: 0, notBefore: 0 };
    await store.put({ entries: [entry as never] });
    const [listed] = await store.list();
    if (listed) listed.attempts = 99;
    expect((await store.list())[0]?.attempts).to.equal(0);
  });
});
