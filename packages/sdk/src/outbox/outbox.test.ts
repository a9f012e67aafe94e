/**
 * The outbox's guarantees, with the in-memory store and a backend written for the test (the
 * pluggable interface itself, not a mock of our code).
 */
import { expect } from 'chai';
import { entry } from '../../test/support/store-conformance.js';
import type { ConsentBackend } from '../backend.js';
import type { ConsentEvent } from '../events.js';
import { createMemoryOutboxStore } from './memory-store.js';
import { createOutbox } from './outbox.js';
import type { OutboxStore } from './outbox-store.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recordingStore(log: string[]): OutboxStore {
  const inner = createMemoryOutboxStore();
  return {
    name: 'recording',
    put: async (options) => {
      log.push(`put ${options.entries.map((e) => e.id).join(',')}`);
      await inner.put(options);
    },
    list: () => inner.list(),
    delete: async (options) => {
      log.push(`delete ${options.ids.join(',')}`);
      await inner.delete(options);
    },
    getMeta: (options) => inner.getMeta(options),
  };
}

describe('outbox', () => {
  it('persists a record before the first send and deletes it only after the ack (R64)', async () => {
    const log: string[] = [];
    const backend: ConsentBackend = {
      name: 'log',
      async send({ records }) {
        log.push(`send ${records.map((r) => r.id).join(',')}`);
        return records.map((r) => ({ id: r.id, status: 'accepted', receipt: 'ok' }));
      },
    };
    const outbox = createOutbox({ store: recordingStore(log), backend, emit: () => undefined });
    await outbox.enqueue({ entries: [entry('a', 1)] });
    const outcomes = await outbox.deliver(['a']);
    expect(outcomes.get('a')).to.deep.equal({ status: 'delivered', receipt: 'ok' });
    expect(log).to.deep.equal(['put a', 'send a', 'delete a']);
    await outbox.close();
  });

  it('sends records signed earlier first, even when they are still backing off', async () => {
    const sent: string[][] = [];
    let fail = true;
    const backend: ConsentBackend = {
      name: 'order',
      async send({ records }) {
        sent.push(records.map((r) => r.id));
        if (fail) throw new Error('down');
        return records.map((r) => ({ id: r.id, status: 'accepted', receipt: 'ok' }));
      },
    };
    const outbox = createOutbox({
      store: createMemoryOutboxStore(),
      backend,
      emit: () => undefined,
      retry: { baseMs: 60_000 },
    });
    await outbox.enqueue({ entries: [entry('a', 1)] });
    await outbox.deliver(['a']);
    fail = false;
    await outbox.enqueue({ entries: [entry('b', 2)] });
    await outbox.deliver(['b']);
    expect(sent).to.deep.equal([['a'], ['a', 'b']]);
    await outbox.close();
  });

  it('after a page-hide beacon, the retry loop leaves those records alone for a while', async () => {
    let sends = 0;
    const events: ConsentEvent[] = [];
    const backend: ConsentBackend = {
      name: 'down',
      async send() {
        sends++;
        throw new Error('down');
      },
      sendBeacon: () => true,
    };
    const outbox = createOutbox({
      store: createMemoryOutboxStore(),
      backend,
      emit: (e) => events.push(e),
      retry: { baseMs: 10, maxMs: 20 },
    });
    await outbox.enqueue({ entries: [entry('a', 1)] });
    await outbox.deliver(['a']);
    outbox.beacon();
    const before = sends;
    await sleep(150);
    expect(sends - before).to.be.at.most(1); // one retry may already have been due; no storm
    expect(outbox.pending().map((e) => e.id)).to.deep.equal(['a']);
    await outbox.close();
  });

  it('picks up records another client put in the same store (a second tab)', async () => {
    const store = createMemoryOutboxStore();
    const delivered: string[] = [];
    const backend: ConsentBackend = {
      name: 'ok',
      async send({ records }) {
        delivered.push(...records.map((r) => r.id));
        return records.map((r) => ({ id: r.id, status: 'accepted', receipt: 'ok' }));
      },
    };
    const tabOne = createOutbox({ store, backend, emit: () => undefined });
    await store.put({ entries: [entry('from-tab-two', 1)] });
    await tabOne.enqueue({ entries: [entry('mine', 2)] });
    await tabOne.deliver(['mine']);
    expect(delivered).to.deep.equal(['from-tab-two', 'mine']);
    expect(await store.list()).to.deep.equal([]);
    await tabOne.close();
  });
});
