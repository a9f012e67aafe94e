// The in-memory Merkle nodes proofs are answered from (node-cache.ts, tree-builder.ts): every
// answer checked by the RFC 9162 verifier in test/support (it imports nothing from this folder)
// against the signed checkpoint or a root computed from the stored entries, and equal to the
// proof read from the database; a second server process appending to the same PostgreSQL never
// makes the first answer a wrong or stale proof; the memory bound holds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestSigner, TEST_MASTER_KEY_B64 } from '@consentkit/test-support/keys';
import {
  createTestLedger,
  describeEachStore,
  POLICY_FILE,
  postRecords,
  type ServerProcess,
  signedRecord,
  startServerProcess,
  storeFactories,
  type TestLedger,
  type TestStore,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  checkConsistency,
  checkInclusion,
  entryLeafInput,
  leafHashOf,
  merkleTreeHash,
  openCheckpoint,
  parseVerifierKey,
} from '../../test/support/log-verifier.js';
import type { Queryable } from '../platform/store/store.js';
import { consistencyProof, inclusionProof } from './log-proofs.js';
import { type Block, type Hash, pushLeaf } from './merkle.js';
import { createNodeCache } from './node-cache.js';
import { createMerkleTree } from './tree-builder.js';

type Row = Parameters<typeof entryLeafInput>[0];
const leavesOf = async (q: Queryable) =>
  (await q.query<Row>('SELECT * FROM ledger_entries ORDER BY seq')).map((r) => entryLeafInput(r));
const b = (values: readonly string[]) => values.map((v) => Buffer.from(v, 'base64'));
const same = (x: readonly Buffer[], y: readonly Buffer[]) =>
  x.length === y.length && x.every((h, i) => h.equals(y[i] as Buffer));

/** `count` records, each its own request (its own commit and signed head), to `post`. */
async function appendTo(
  post: (records: { jws: string }[]) => Promise<Response>,
  policy: TestLedger['policy'],
  count: number,
) {
  const signer = await createTestSigner();
  let prev: string | null = null;
  for (let i = 0; i < count; i++) {
    const signed = await signedRecord({ signer, policy, prev });
    expect((await post([{ jws: signed.jws }])).status).to.equal(200);
    prev = signed.digest;
  }
}

type InclusionBody = { index: number; size: number; leafHash: string; proof: string[]; checkpoint: string };

describeEachStore('inclusion proofs from the in-memory nodes — R73', (s) => {
  const append = (count: number) => appendTo((records) => postRecords(s.t.app, records), s.t.policy, count);

  it('answers every proof as the database does and as RFC 9162 checks it, across growing trees (generated)', async () => {
    const key = parseVerifierKey(await (await s.t.app.request('/v1/log/key')).text());
    const fromDb = createMerkleTree();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 1_000_000 })), {
          minLength: 4,
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 6 }),
        async (grow, picks, lowLevel) => {
          await append(grow);
          const leaves = await leavesOf(s.db.store);
          // A tree that filled its cache from nodes another process stored, with other held levels.
          const other = createMerkleTree({ store: s.db.store, cache: { lowLevel } });
          // The head always among them (ps = 1), then random sizes; pi and ps are millionths.
          for (const [pm, sm] of [[picks[0]?.[0] ?? 0, 1_000_000] as const, ...picks]) {
            const [pi, ps] = [pm / 1_000_000, sm / 1_000_000];
            // The head (as the route answers it, against its signed checkpoint) or an earlier size.
            const size = 1 + Math.floor(ps * (leaves.length - 1));
            const index = Math.floor(pi * size);
            const leaf = leafHashOf(leaves[index] as Buffer);
            const root = merkleTreeHash(leaves.slice(0, size));
            const response = await s.t.app.request(`/v1/log/inclusion?index=${index}&size=${size}`);
            expect(response.status).to.equal(200);
            const body = (await response.json()) as InclusionBody;
            const cp = openCheckpoint(body.checkpoint, key.name, key.key);
            const served = b(body.proof);
            expect(body.leafHash).to.equal(leaf.toString('base64'));
            expect(checkInclusion(index, size, leaf, served, root), `leaf ${index} of ${size}`).to.equal(true);
            if (size === cp.size) expect(checkInclusion(index, size, leaf, served, cp.root)).to.equal(true);
            const db = await inclusionProof(s.db.store, fromDb, index, size);
            expect(same(served, db.proof), `cache = database, leaf ${index} of ${size}`).to.equal(true);
            const filled = await inclusionProof(s.db.store, other, index, size);
            expect(same(filled.proof, db.proof) && filled.leaf.equals(leaf)).to.equal(true);
            // Consistency from a smaller size, both ways.
            const from = 1 + Math.floor(pi * size);
            const cons = await consistencyProof(s.db.store, s.t.context.tree, from, size);
            expect(same(cons, await consistencyProof(s.db.store, fromDb, from, size))).to.equal(true);
            expect(checkConsistency(from, size, cons, merkleTreeHash(leaves.slice(0, from)), root)).to.equal(true);
          }
          // The route's tree learnt every node it built: the head needs no query.
          expect(s.t.context.tree.cache?.size).to.equal(leaves.length);
          expect(other.cache?.size).to.equal(leaves.length);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('after a restart answers from the database while its cache fills in the background, then from memory with no query', async () => {
    await append(9);
    // The route's tree builds and stores the nodes of every leaf.
    expect((await s.t.app.request('/v1/log/inclusion?index=0')).status).to.equal(200);
    const leaves = await leavesOf(s.db.store);
    const n = leaves.length;
    const root = merkleTreeHash(leaves);
    // A process started on the same database: every query counted, and the fill's reads (ranges
    // of merkle_nodes) held back until released, so a proof that waited for the fill never answers.
    let queries = 0;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const restartedStore: Queryable = {
      async query(sql, params, options) {
        queries++;
        if (sql.includes('x(level, lo, hi)')) await held;
        return s.db.store.query(sql, params, options);
      },
      exec: (sql) => s.db.store.exec(sql),
    };
    const restarted = createMerkleTree({ store: restartedStore, fillLeaves: 4 });
    const check = async (index: number) => {
      const { leaf, proof } = await inclusionProof(restartedStore, restarted, index, n);
      expect(leaf.equals(leafHashOf(leaves[index] as Buffer)), `leaf ${index}`).to.equal(true);
      expect(checkInclusion(index, n, leaf, proof, root), `leaf ${index} of ${n}`).to.equal(true);
    };
    // Every leaf proved at the head while the fill cannot move: from the stored nodes.
    for (let index = n - 1; index >= 0; index--) await check(index);
    expect(restarted.cache?.size).to.be.below(n);
    release();
    expect(await restarted.warm()).to.equal(n);
    const warmed = queries;
    for (let index = 0; index < n; index++) await check(index);
    expect(queries, 'proofs after the warm-up read nothing').to.equal(warmed);
    // A process that warms before its first proof: the same, from the start.
    queries = 0;
    const started = createMerkleTree({ store: restartedStore, fillLeaves: 4 });
    expect(await started.warm()).to.equal(n);
    const atStart = queries;
    for (const index of [0, n - 1, Math.floor(n / 2)]) {
      const { leaf, proof } = await inclusionProof(restartedStore, started, index, n);
      expect(checkInclusion(index, n, leaf, proof, root)).to.equal(true);
    }
    expect(queries, 'no query after warm()').to.equal(atStart);
  });

  it('warms no further than maxLeaves, and not at all with a cache of 0 leaves', async () => {
    const leaves = await leavesOf(s.db.store);
    const capped = createMerkleTree({ store: s.db.store, cache: { maxLeaves: 16 }, fillLeaves: 4 });
    expect(await capped.warm()).to.equal(Math.min(16, leaves.length));
    const none = createMerkleTree({ store: s.db.store, cache: { maxLeaves: 0 } });
    expect(await none.warm()).to.equal(0);
    const { leaf, proof } = await inclusionProof(s.db.store, none, 0, leaves.length);
    expect(checkInclusion(0, leaves.length, leaf, proof, merkleTreeHash(leaves))).to.equal(true);
  });

  it('stops at maxLeaves and answers larger sizes from the database, still right', async () => {
    const leaves = await leavesOf(s.db.store);
    const capped = createMerkleTree({ store: s.db.store, cache: { maxLeaves: 16 } });
    for (const size of [5, 16, 17, leaves.length]) {
      const index = size - 1;
      const { leaf, proof } = await inclusionProof(s.db.store, capped, index, size);
      expect(checkInclusion(index, size, leaf, proof, merkleTreeHash(leaves.slice(0, size)))).to.equal(true);
      expect(capped.cache?.size).to.be.at.most(16);
    }
  });
});

// A second server process on the same PostgreSQL appends and builds the tree; the first (in
// process, cache full at the old size) is then asked for the new leaves and sizes.
describe('inclusion proofs with two server processes on one PostgreSQL — R73', () => {
  let db: TestStore;
  let a: TestLedger;
  let other: ServerProcess;
  let dataDir: string;

  before(async () => {
    const factory = storeFactories().find((f) => f.name === 'postgres');
    if (!factory) throw new Error('no PostgreSQL test store');
    db = await factory.create();
    a = await createTestLedger(db.store);
    dataDir = mkdtempSync(join(tmpdir(), 'consentkit-proofs-'));
    other = await startServerProcess([
      '--database-url',
      db.url as string,
      '--master-key',
      TEST_MASTER_KEY_B64,
      '--policy',
      POLICY_FILE,
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ]);
  });
  after(async () => {
    await other?.stop();
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads sizes it has not seen from the database (never a stale or wrong proof), and fills its cache', async () => {
    const postA = (records: { jws: string }[]) => postRecords(a.app, records);
    const postB = (records: { jws: string }[]) =>
      fetch(`${other.url}/v1/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ records }),
      });
    const key = parseVerifierKey(await (await a.app.request('/v1/log/key')).text());
    await appendTo(postA, a.policy, 5);
    const first = (await (await a.app.request('/v1/log/inclusion?index=4')).json()) as InclusionBody;
    expect(first.size).to.equal(5);
    expect(a.context.tree.cache?.size).to.equal(5);

    for (const [round, count] of [
      [1, 7],
      [2, 22],
    ] as const) {
      await appendTo(postB, a.policy, count);
      // The other process answers (and so builds and stores the nodes) first in round 1; in round 2
      // nobody has built them, so the first process builds them itself.
      if (round === 1) {
        const response = await fetch(`${other.url}/v1/log/inclusion?index=0`);
        expect(response.status).to.equal(200);
        // Over real HTTP (@hono/node-server), as in process: the header the /v1 middleware sets.
        expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
      }
      const leaves = await leavesOf(db.store);
      const cached = a.context.tree.cache?.size as number;
      expect(leaves.length).to.be.above(cached);
      for (const index of [leaves.length - 1, 0, cached - 1, cached, Math.floor(leaves.length / 2)]) {
        // No size: a leaf past the held head makes the route read the newest head.
        const path =
          index >= cached
            ? `/v1/log/inclusion?index=${index}`
            : `/v1/log/inclusion?index=${index}&size=${leaves.length}`;
        const response = await a.app.request(path);
        expect(response.status, path).to.equal(200);
        const body = (await response.json()) as InclusionBody;
        expect(body.size, path).to.equal(leaves.length);
        const cp = openCheckpoint(body.checkpoint, key.name, key.key);
        expect(cp.size).to.equal(leaves.length);
        expect(cp.root.equals(merkleTreeHash(leaves))).to.equal(true);
        const leaf = leafHashOf(leaves[index] as Buffer);
        expect(checkInclusion(index, body.size, leaf, b(body.proof), cp.root), path).to.equal(true);
      }
      expect(a.context.tree.cache?.size, 'filled to the new size').to.equal(leaves.length);
      // The old size is still answered right from memory.
      const old = (await (await a.app.request(`/v1/log/inclusion?index=1&size=5`)).json()) as InclusionBody;
      const leaf = leafHashOf(leaves[1] as Buffer);
      expect(checkInclusion(1, 5, leaf, b(old.proof), merkleTreeHash(leaves.slice(0, 5)))).to.equal(true);
    }
  });
});

describe('node cache memory — R73', () => {
  /** Every node of a tree of `n` random leaves, as the tree builder makes them. */
  function treeOf(n: number) {
    const nodes: Array<{ level: number; index: number; hash: Hash }> = [];
    const frontier: Hash[] = [];
    for (let i = 0; i < n; i++) {
      const leaf = Buffer.alloc(32);
      leaf.writeUInt32BE(i, 0);
      leaf.writeUInt32BE((i * 2654435761) >>> 0, 4);
      pushLeaf(frontier, i, leafHashOf(leaf), (block: Block, hash: Hash) => nodes.push({ ...block, hash }));
    }
    return nodes;
  }

  it('holds 36 bytes a leaf (leaves and levels ≥ 4) and answers every node, recomputed ones included', () => {
    const n = 100_000;
    const nodes = treeOf(n);
    const cache = createNodeCache();
    // Grown in uneven steps, as pages of the builder and fills grow it.
    let at = 0;
    for (const to of [1, 2, 3, 1000, 1001, 65_536, 70_000, n]) {
      const part = nodes.filter((x) => (x.index + 1) * 2 ** x.level > at && (x.index + 1) * 2 ** x.level <= to);
      expect(cache.extend(to, part), `to ${to}`).to.equal(true);
      at = to;
    }
    for (const node of nodes)
      expect(cache.hashOf(node)?.equals(node.hash), `${node.level}/${node.index}`).to.equal(true);
    expect(cache.hashOf({ level: 0, index: n })).to.equal(undefined);
    // 32 · (n + n/16 + n/32 + …) plus at most one part-filled chunk (1,024 hashes) per level.
    const levels = Math.ceil(Math.log2(n)) + 1;
    expect(cache.bytes()).to.be.at.most(32 * (n + n / 8) + levels * 1024 * 32);
    // Every level held would take 64 bytes a leaf.
    expect(cache.bytes()).to.be.below(n * 64);
  });

  it('refuses a step that misses a node or passes maxLeaves, and changes nothing', () => {
    const nodes = treeOf(64);
    const cache = createNodeCache({ maxLeaves: 32 });
    expect(
      cache.extend(
        16,
        nodes.filter((x) => (x.index + 1) * 2 ** x.level <= 16 && x.index !== 3),
      ),
    ).to.equal(false);
    expect(cache.size).to.equal(0);
    expect(cache.extend(64, nodes)).to.equal(false);
    expect(
      cache.extend(
        32,
        nodes.filter((x) => (x.index + 1) * 2 ** x.level <= 32),
      ),
    ).to.equal(true);
    expect(cache.size).to.equal(32);
    expect(
      cache.extend(
        33,
        nodes.filter((x) => (x.index + 1) * 2 ** x.level === 33),
      ),
    ).to.equal(false);
  });
});
