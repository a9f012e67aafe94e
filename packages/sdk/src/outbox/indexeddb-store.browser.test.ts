import { stubStorageReads } from '@consentkit/test-support/browser';
import { expect } from 'chai';
import { entry, runOutboxStoreConformance } from '../../test/support/store-conformance.js';
import { createIndexedDbOutboxStore } from './indexeddb-store.js';
import { mayHaveStoredRecords } from './stored-hint.js';

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

  it('a durable write leaves the hint mayHaveStoredRecords() reads; opening and reading leave none', async () => {
    const name = uniqueName();
    const store = createIndexedDbOutboxStore({ name });
    expect(await store.list()).to.deep.equal([]);
    expect(await store.getMeta({ key: 'history' })).to.equal(undefined);
    expect(mayHaveStoredRecords(name), 'before any write').to.equal(false);
    await store.put({ entries: [], meta: { history: [] } });
    expect(mayHaveStoredRecords(name), 'after a meta write').to.equal(true);
    // Deleting what was delivered keeps it: the history stays.
    await store.delete({ ids: ['a'] });
    expect(mayHaveStoredRecords(name)).to.equal(true);
    // Keyed by the database: another store's writes say nothing of this one.
    expect(mayHaveStoredRecords(uniqueName())).to.equal(false);
    await store.close?.();
  });

  it('where localStorage cannot be read, the hint says there may be records', () => {
    const restore = stubStorageReads(() => {
      throw new DOMException('storage is disabled', 'SecurityError');
    });
    try {
      expect(mayHaveStoredRecords(uniqueName())).to.equal(true);
    } finally {
      restore();
    }
  });
});
