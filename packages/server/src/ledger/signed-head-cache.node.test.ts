// The signed head the proof routes hold for up to a second (R72), on a real ledger: held while
// young, read again once older, always read by fresh(), and a failed read never held.
import { createTestSigner } from '@consentkit/test-support/keys';
import { describeEachStore, postRecords, signedRecord, type TestLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { createSignedHeadCache } from './signed-head-cache.js';

async function append(t: TestLedger, count: number) {
  const signer = await createTestSigner();
  let prev: string | null = null;
  for (let i = 0; i < count; i++) {
    const signed = await signedRecord({ signer, policy: t.policy, prev });
    expect((await postRecords(t.app, [{ jws: signed.jws }])).status).to.equal(200);
    prev = signed.digest;
  }
}

describeEachStore('signed head cache — R72', (s) => {
  it('holds the head for maxAgeMs, reads it again after, and fresh() always reads', async () => {
    let clock = 0;
    const cache = createSignedHeadCache({ store: s.db.store, maxAgeMs: 1000, now: () => clock });
    await append(s.t, 1);
    const first = await cache.get();
    await append(s.t, 2);
    expect((await cache.get()).size).to.equal(first.size);
    clock = 1000;
    expect((await cache.get()).note).to.equal(first.note);
    clock = 1001;
    const later = await cache.get();
    expect(later.size).to.equal(first.size + 2);
    await append(s.t, 1);
    expect((await cache.fresh()).size).to.equal(first.size + 3);
    expect((await cache.get()).size, 'fresh() replaces the held head').to.equal(first.size + 3);
  });

  it('does not hold a read that failed', async () => {
    const cache = createSignedHeadCache({ store: s.db.store, maxAgeMs: 60_000, now: () => 0 });
    const note = (await s.db.store.query<{ checkpoint: string }>('SELECT checkpoint FROM ledger_head WHERE id = 1'))[0]
      ?.checkpoint as string;
    await s.db.store.query('UPDATE ledger_head SET checkpoint = NULL WHERE id = 1');
    let failed: unknown;
    await cache.get().catch((error: unknown) => {
      failed = error;
    });
    expect(String(failed)).to.match(/no readable signed checkpoint/);
    await s.db.store.query('UPDATE ledger_head SET checkpoint = $1 WHERE id = 1', [note]);
    expect((await cache.get()).note).to.equal(note);
  });
});
