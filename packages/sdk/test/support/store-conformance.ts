/** The behaviour every OutboxStore must have; each store's test file runs it. */

import type { ConsentRecord } from '@consentkit/core';
import { expect } from 'chai';
import type { OutboxEntry, OutboxStore } from '../../src/outbox/outbox-store.js';

export function entry(id: string, order: number): OutboxEntry {
  return {
    id,
    jws: `jws-${id}`,
    record: { id } as unknown as ConsentRecord,
    order,
    queuedAt: order,
    attempts: 0,
    notBefore: 0,
  };
}

export function runOutboxStoreConformance(create: () => OutboxStore | Promise<OutboxStore>): void {
  it('lists entries in signing order and replaces by id', async () => {
    const store = await create();
    await store.put({ entries: [entry('b', 2), entry('a', 1)] });
    await store.put({ entries: [{ ...entry('b', 2), attempts: 3 }] });
    const listed = await store.list();
    expect(listed.map((e) => e.id)).to.deep.equal(['a', 'b']);
    expect(listed[1]?.attempts).to.equal(3);
    await store.close?.();
  });

  it('deletes only what it is told, and ignores unknown ids', async () => {
    const store = await create();
    await store.put({ entries: [entry('a', 1), entry('b', 2)] });
    await store.delete({ ids: ['a', 'zzz'] });
    expect((await store.list()).map((e) => e.id)).to.deep.equal(['b']);
    await store.close?.();
  });

  it('stores meta values with their entries', async () => {
    const store = await create();
    await store.put({ entries: [entry('c', 3)], meta: { 'chain:k': 'abc', list: [1, 2] } });
    expect(await store.getMeta({ key: 'chain:k' })).to.equal('abc');
    expect(await store.getMeta({ key: 'list' })).to.deep.equal([1, 2]);
    expect(await store.getMeta({ key: 'missing' })).to.equal(undefined);
    await store.close?.();
  });
}
