// The transparency log over HTTP (R72), checked as an outsider would: proofs by an RFC 9162
// verifier and the checkpoint note by a C2SP verifier, both written in test/support from the
// specifications (they import nothing from this folder), against leaf inputs computed from the
// stored entries as docs/transparency.md defines them.
import { createTestSigner } from '@consentkit/test-support/keys';
import { describeEachStore, postRecords, signedRecord, type TestLedger } from '@consentkit/test-support/server';
import { expect } from 'chai';
import {
  checkConsistency,
  checkInclusion,
  entryLeafInput,
  leafHashOf,
  merkleTreeHash,
  type OpenedCheckpoint,
  openCheckpoint,
  parseVerifierKey,
} from '../../test/support/log-verifier.js';
import type { Queryable } from '../platform/store/store.js';
import { createSignedHeadCache } from './signed-head-cache.js';

async function append(t: TestLedger, count: number) {
  const signer = await createTestSigner();
  let prev: string | null = null;
  const items: { jws: string }[] = [];
  for (let i = 0; i < count; i++) {
    const signed = await signedRecord({ signer, policy: t.policy, prev });
    items.push({ jws: signed.jws });
    prev = signed.digest;
  }
  // One request per record: each is its own commit and signed head.
  for (const item of items) expect((await postRecords(t.app, [item])).status).to.equal(200);
}

type Row = Parameters<typeof entryLeafInput>[0] & { record_id: string };
const leavesOf = async (q: Queryable) =>
  (await q.query<Row>('SELECT * FROM ledger_entries ORDER BY seq')).map((r) => ({
    id: r.record_id,
    input: entryLeafInput(r),
  }));
const b = (values: readonly string[]) => values.map((v) => Buffer.from(v, 'base64'));

describeEachStore(
  'transparency log over HTTP — R72',
  (s) => {
    let key: { name: string; key: Buffer };
    const get = (path: string) => s.t.app.request(path);
    async function checkpoint(): Promise<OpenedCheckpoint> {
      const response = await get('/v1/log/checkpoint');
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/^text\/plain/);
      return openCheckpoint(await response.text(), key.name, key.key);
    }

    before(async () => {
      await append(s.t, 13);
      key = parseVerifierKey(await (await get('/v1/log/key')).text());
    });

    it('serves a C2SP checkpoint signed by the published key, for every entry, with the RFC 9162 root', async () => {
      const cp = await checkpoint();
      const leaves = await leavesOf(s.db.store);
      expect(cp.origin).to.equal(key.name);
      expect(cp.size).to.equal(13);
      expect(cp.root.equals(merkleTreeHash(leaves.map((l) => l.input)))).to.equal(true);
      // The periodic checkpoints are notes of their own size and root too.
      const stored = await s.db.store.query<{ seq: number; note: string }>('SELECT seq, note FROM checkpoints');
      expect(stored.map((r) => Number(r.seq)).sort((x, y) => x - y)).to.deep.equal([5, 10]);
      for (const row of stored) {
        const opened = openCheckpoint(row.note, key.name, key.key);
        expect(opened.size).to.equal(Number(row.seq));
        expect(opened.root.equals(merkleTreeHash(leaves.slice(0, opened.size).map((l) => l.input)))).to.equal(true);
      }
    });

    it('answers inclusion proofs for every leaf at every size, by index and by record id', async () => {
      const leaves = await leavesOf(s.db.store);
      for (let size = 1; size <= leaves.length; size++) {
        const root = merkleTreeHash(leaves.slice(0, size).map((l) => l.input));
        for (let index = 0; index < size; index++) {
          const response = await get(`/v1/log/inclusion?index=${index}&size=${size}`);
          expect(response.status).to.equal(200);
          expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
          const body = (await response.json()) as { index: number; size: number; leafHash: string; proof: string[] };
          const leaf = leafHashOf((leaves[index] as { input: Buffer }).input);
          expect(body.leafHash).to.equal(leaf.toString('base64'));
          expect(checkInclusion(index, size, leaf, b(body.proof), root), `leaf ${index} of ${size}`).to.equal(true);
          // The same proof does not prove another leaf.
          if (size > 1) {
            const other = leafHashOf((leaves[(index + 1) % size] as { input: Buffer }).input);
            expect(checkInclusion(index, size, other, b(body.proof), root)).to.equal(false);
          }
        }
      }
      const cp = await checkpoint();
      const third = leaves[2] as { id: string; input: Buffer };
      const byRecord = (await (await get(`/v1/log/inclusion?record=${third.id}`)).json()) as {
        index: number;
        size: number;
        proof: string[];
        checkpoint: string;
      };
      expect(byRecord).to.include({ index: 2, size: 13 });
      expect(openCheckpoint(byRecord.checkpoint, key.name, key.key).root.equals(cp.root)).to.equal(true);
      expect(checkInclusion(2, 13, leafHashOf(third.input), b(byRecord.proof), cp.root)).to.equal(true);
    });

    it('answers consistency proofs between every pair of sizes, and a later head extends an earlier one', async () => {
      const leaves = await leavesOf(s.db.store);
      const roots = [0, ...leaves.map((_, i) => i + 1)].map((n) =>
        merkleTreeHash(leaves.slice(0, n).map((l) => l.input)),
      );
      for (let to = 1; to <= leaves.length; to++) {
        for (let from = 1; from <= to; from++) {
          const body = (await (await get(`/v1/log/consistency?from=${from}&to=${to}`)).json()) as { proof: string[] };
          const proof = b(body.proof);
          expect(
            checkConsistency(from, to, proof, roots[from] as Buffer, roots[to] as Buffer),
            `${from}→${to}`,
          ).to.equal(true);
          if (from < to)
            expect(checkConsistency(from, to, proof, roots[to] as Buffer, roots[to] as Buffer)).to.equal(false);
        }
      }
      const before = await checkpoint();
      await append(s.t, 6);
      const after = await checkpoint();
      expect(after.size).to.equal(before.size + 6);
      const body = (await (await get(`/v1/log/consistency?from=${before.size}`)).json()) as {
        to: number;
        proof: string[];
      };
      expect(body.to).to.equal(after.size);
      expect(checkConsistency(before.size, after.size, b(body.proof), before.root, after.root)).to.equal(true);
    });

    it('refuses bad questions with a problem that says what to ask instead', async () => {
      const cases: Array<[string, number, RegExp]> = [
        ['/v1/log/inclusion?index=1&record=x', 400, /exactly one of record/],
        ['/v1/log/inclusion', 400, /exactly one of record/],
        ['/v1/log/inclusion?index=2&size=999', 400, /past the signed head/],
        ['/v1/log/inclusion?index=5&size=5', 400, /not in a tree of 5/],
        ['/v1/log/inclusion?index=-1', 400, /invalid/],
        ['/v1/log/inclusion?record=00000000-0000-7000-8000-000000000000', 404, /no record/],
        ['/v1/log/consistency?from=9&to=3', 400, /from ≤ to/],
        ['/v1/log/consistency', 400, /invalid/],
      ];
      for (const [path, status, detail] of cases) {
        const response = await get(path);
        expect(response.status, path).to.equal(status);
        expect(response.headers.get('content-type'), path).to.match(/problem\+json/);
        const problem = (await response.json()) as { detail: string; issues?: { message: string }[] };
        expect(`${problem.detail} ${JSON.stringify(problem.issues ?? [])}`, path).to.match(detail);
      }
    });

    it('rebuilds the stored tree when its nodes went missing (derived data), and the proof still checks', async () => {
      const leaves = await leavesOf(s.db.store);
      expect((await get('/v1/log/inclusion?index=1&size=4')).status).to.equal(200);
      await s.db.store.exec('DELETE FROM merkle_nodes');
      const response = await get('/v1/log/inclusion?index=1&size=4');
      expect(response.status).to.equal(200);
      const body = (await response.json()) as { proof: string[] };
      const root = merkleTreeHash(leaves.slice(0, 4).map((l) => l.input));
      expect(checkInclusion(1, 4, leafHashOf((leaves[1] as { input: Buffer }).input), b(body.proof), root)).to.equal(
        true,
      );
      // Size 4 was answered from the nodes held in memory; a size past them needs the table again.
      await s.db.store.exec('DELETE FROM merkle_nodes');
      await append(s.t, 1);
      const grown = await leavesOf(s.db.store);
      const past = (await (await get(`/v1/log/inclusion?index=1&size=${grown.length}`)).json()) as { proof: string[] };
      const grownRoot = merkleTreeHash(grown.map((l) => l.input));
      expect(
        checkInclusion(1, grown.length, leafHashOf((grown[1] as { input: Buffer }).input), b(past.proof), grownRoot),
      ).to.equal(true);
      expect(
        Number((await s.db.store.query<{ n: number }>('SELECT count(*) AS n FROM merkle_nodes'))[0]?.n),
      ).to.be.above(grown.length);
    });

    it('proves a leaf appended after the held head against a newer head (the held one is at most a second old)', async () => {
      // Read a head now, so the routes hold one, then append: the new leaf is past it.
      const before = (await (await get('/v1/log/inclusion?index=0')).json()) as { size: number };
      await append(s.t, 1);
      const leaves = await leavesOf(s.db.store);
      const last = leaves.length - 1;
      expect(last).to.equal(before.size);
      for (const path of [`/v1/log/inclusion?index=${last}`, `/v1/log/inclusion?record=${leaves[last]?.id}`]) {
        const response = await get(path);
        expect(response.status, path).to.equal(200);
        const body = (await response.json()) as { index: number; size: number; proof: string[]; checkpoint: string };
        expect(body.size, path).to.equal(leaves.length);
        const cp = openCheckpoint(body.checkpoint, key.name, key.key);
        expect(cp.size).to.equal(body.size);
        const leaf = leafHashOf((leaves[last] as { input: Buffer }).input);
        expect(checkInclusion(last, body.size, leaf, b(body.proof), cp.root), path).to.equal(true);
      }
      // An older leaf is proved against whichever signed head is held: still its own note and root.
      const old = (await (await get('/v1/log/inclusion?index=0')).json()) as {
        size: number;
        proof: string[];
        checkpoint: string;
      };
      const cp = openCheckpoint(old.checkpoint, key.name, key.key);
      expect(cp.size).to.equal(old.size);
      const leaf0 = leafHashOf((leaves[0] as { input: Buffer }).input);
      expect(checkInclusion(0, old.size, leaf0, b(old.proof), cp.root)).to.equal(true);
    });

    it('is in the OpenAPI document', async () => {
      const doc = (await (await get('/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
      for (const path of ['/v1/log/checkpoint', '/v1/log/key', '/v1/log/inclusion', '/v1/log/consistency'])
        expect(doc.paths, path).to.have.property(path);
    });
  },
  { checkpointEvery: 5 },
);

// The signed head the proof routes hold for up to a second: held while young, read again once
// older, always read by fresh(), and a failed read never held.
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
