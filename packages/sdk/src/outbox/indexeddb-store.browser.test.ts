import { expect } from 'chai';
import { entry, runOutboxStoreConformance } from '../../test/support/store-conformance.js';
import { createIndexedDbOutboxStore } from './indexeddb-store.js';

const uniqueName = () => `consentkit-test-${crypto.randomUUID()}`;

describe('IndexedDB outbox store', () => {
  runOutboxStoreConformance(() => createIndexedDbOutboxStore({ name: uniqueName() }));

  it('keeps entries across connections, as after a reload (R64)', async () => {
    const name = uniqueName();
    const first = createIndexedDbOutboxStore({ name });
    await first.put({ entries: [entry('a', 1)], meta: { 'chain:k': 'd1' } });
    await first.close?.();
    const second = createIndexedDbOutboxStore({ name });
    expect((await second.list()).map((e) => e.id)).to.deep.equal(['a']);
    expect(await second.getMeta({ key: 'chain:k' })).to.equal('d1');
    await second.close?.();
  });
});
