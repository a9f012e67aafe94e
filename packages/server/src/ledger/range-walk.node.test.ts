// verify's walk in worker ranges (range-walk.ts, range-check.ts) on the throwaway PostgreSQL: the
// same verdict, root and counts as the one-thread walk for range sizes that do and do not divide
// the ledger, the same report for faults at a range's first entry, its last and its middle (a
// changed entry, a broken link, a changed entry with the chain rehashed over it, so only its leaf
// and checkpoints differ), and the ranges' subtrees against a tree built leaf by leaf.
import { createTestSigner } from '@consentkit/test-support/keys';
import {
  createTestDatabase,
  createTestLedger,
  postRecords,
  rewriteEntryRehashed,
  signedRecord,
  testPostgresUrl,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import pg from 'pg';
import { createPostgresStore } from '../platform/store/postgres-store.js';
import type { Store } from '../platform/store/store.js';
import { copyRows } from './copy-rows.js';
import { type EntryRow, entryHashInput, fromRow, toEntry } from './entry.js';
import { roomFor, rowOf, writeHashInput } from './entry-bytes.js';
import { COLUMNS, type Row } from './entry-text.js';
import { type Hash, leafHash, pushBlock, pushLeaf, rootOf } from './merkle.js';
import { checkRange, type ReadRange, rangeSelect } from './range-check.js';
import { type LedgerVerification, verifyLedger } from './verify-ledger.js';

/** Entries in the ledger: checkpoints every 10 (each with a note), 7 after the last. */
const N = 157;
const LAST_CHECKPOINT = 150;

/** A copy of the database `template` (no one may be connected to it): tampering here is committed. */
async function cloneDatabase(template: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ck_test_rw_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => client.end());
    },
  };
}

describe('verify in worker ranges over PostgreSQL (range-walk.ts)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let keys: Awaited<ReturnType<Awaited<ReturnType<typeof createTestLedger>>['context']['keyring']['publicJwks']>>;
  let template = '';

  before(async () => {
    db = await createTestDatabase();
    const store = createPostgresStore({ connectionString: db.url });
    try {
      const t = await createTestLedger(store, { checkpointEvery: 10 });
      const signer = await createTestSigner();
      let prev: string | null = null;
      for (let done = 0; done < N; ) {
        const items: { jws: string; opening?: unknown }[] = [];
        for (; items.length < 50 && done < N; done++) {
          const signed = await signedRecord({ signer, policy: t.policy, prev, email: `p${done % 7}@example.com` });
          items.push({ jws: signed.jws, opening: signed.opening });
          prev = signed.digest;
        }
        const body = (await (await postRecords(t.app, items)).json()) as { results: { status: string }[] };
        if (body.results.some((r) => r.status !== 'accepted')) throw new Error(JSON.stringify(body));
      }
      keys = await t.context.keyring.publicJwks();
    } finally {
      await store.close();
    }
    template = new URL(db.url).pathname.slice(1);
  });
  after(() => db.drop());

  /** `fn` with a range reader over its own connection to `url`, as a range worker reads (binary COPY). */
  async function withReader<T>(url: string, fn: (read: ReadRange) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn((after, upTo, each) => copyRows(client, rangeSelect(after, upTo), each));
    } finally {
      await client.end();
    }
  }

  /** Runs `fn` on a fresh copy of the ledger, after `tamper` (committed). */
  async function onCopy<T>(tamper: (store: Store) => Promise<unknown>, fn: (store: Store, url: string) => Promise<T>) {
    const copy = await cloneDatabase(template);
    const store = createPostgresStore({ connectionString: copy.url });
    try {
      await tamper(store);
      return await fn(store, copy.url);
    } finally {
      await store.close();
      await copy.drop();
    }
  }

  const oneThread = (store: Store) => verifyLedger({ store, ledger: undefined as never, keys, histories: false });
  const inRanges = (store: Store, url: string, rangeSize: number, progress?: number[], phases?: string[]) =>
    verifyLedger({
      store,
      ledger: undefined as never,
      keys,
      histories: false,
      databaseUrl: url,
      rangeSize,
      rangeThreads: 2,
      rangesFrom: 1,
      ...(progress ? { onProgress: (done: number) => progress.push(done) } : {}),
      ...(phases ? { onPhase: (phase: string) => phases.push(phase) } : {}),
    });

  it('gives the one-thread walk’s verdict, root and counts for range sizes that do and do not divide the ledger', async () => {
    await onCopy(
      async () => {},
      async (store, url) => {
        const expected = await oneThread(store);
        expect(expected).to.deep.include({ ok: true, count: N, checkpoints: 15, headSeq: N });
        const sizes = [1, 7, 10, 16, 33, 64, 149, 150, 151, 4096];
        for (let i = 0; i < 4; i++) sizes.push(2 + Math.floor(Math.random() * 100));
        for (const size of sizes) {
          const progress: number[] = [];
          const phases: string[] = [];
          const got = await inRanges(store, url, size, progress, phases);
          expect(got, `range size ${size}`).to.deep.equal(expected);
          // verify --timings: each part told once as it ends, in order (the workers answered first).
          expect(phases, `range size ${size}`).to.deep.equal(['prepare', 'ranges-first', 'ranges', 'pages', 'head']);
          // The entries up to the last checkpoint were joined range by range (the workers read them).
          const joined = [];
          for (let end = Math.min(size, LAST_CHECKPOINT); ; end = Math.min(end + size, LAST_CHECKPOINT)) {
            joined.push(end);
            if (end === LAST_CHECKPOINT) break;
          }
          expect(progress.slice(0, joined.length), `range size ${size}`).to.deep.equal(joined);
        }
        // Workers that cannot connect: the walk reads every row itself, to the same verdict, and says why.
        const unavailable: string[] = [];
        const phases: string[] = [];
        expect(
          await verifyLedger({
            store,
            ledger: undefined as never,
            keys,
            histories: false,
            databaseUrl: 'postgres://nobody@127.0.0.1:1/none',
            rangeSize: 10,
            rangeThreads: 2,
            rangesFrom: 1,
            onRangesUnavailable: (reason) => unavailable.push(reason),
            onPhase: (phase) => phases.push(phase),
          }),
        ).to.deep.equal(expected);
        // No range was answered: the time the workers took to fail is all in `ranges`.
        expect(phases).to.deep.equal(['prepare', 'ranges', 'pages', 'head']);
        expect(unavailable).to.have.length(1);
        expect(unavailable[0]).to.match(/ECONNREFUSED|connect/);
      },
    );
  });

  it('reads rows by binary COPY exactly as the driver’s SELECT gives them (non-ASCII, escapes, NULL)', async () => {
    await onCopy(
      (store) =>
        store.query('UPDATE ledger_entries SET kid = $1, subject_ref = NULL WHERE seq = 5', ['k"\\é😀\n\u0001']),
      async (store, url) => {
        const selected = await store.query<Row>(`SELECT ${COLUMNS} FROM ledger_entries ORDER BY seq`);
        const copied: ReturnType<typeof rowOf>[] = [];
        let written = 0;
        await withReader(url, (read) =>
          read(0, N, (raw) => {
            copied.push(rowOf(raw));
            if (writeHashInput(raw, Buffer.alloc(roomFor(raw))) >= 0) written++;
            return true;
          }),
        );
        expect(copied).to.deep.equal(selected);
        expect(copied[4]?.kid).to.equal('k"\\é😀\n\u0001');
        // Every row the product wrote takes the byte path; the one changed here does not.
        expect(written).to.equal(N - 1);
      },
    );
  });

  it('subtrees of random ranges and stretches give the root of a tree built leaf by leaf', async () => {
    await onCopy(
      async () => {},
      async (store, url) => {
        const rows = await store.query<EntryRow>('SELECT * FROM ledger_entries ORDER BY seq');
        const leaves = rows.map((r) => leafHash(entryHashInput(r.prev_hash, toEntry(fromRow(r)))));
        await withReader(url, async (read) => {
          for (let c = 0; c < 60; c++) {
            const size = 1 + Math.floor(Math.random() * N);
            const rangeSize = 1 + Math.floor(Math.random() * size);
            const frontier: Hash[] = [];
            for (let after = 0; after < size; after += rangeSize) {
              const upTo = Math.min(size, after + rangeSize);
              const ends = new Set([upTo]);
              for (let k = 0; k < 3; k++) ends.add(after + 1 + Math.floor(Math.random() * (upTo - after)));
              const task = { after, upTo, ends: [...ends].sort((a, b) => a - b), hashesAt: [] };
              const outcome = await checkRange(task, read);
              expect(outcome.fault, `${after}–${upTo}`).to.equal(undefined);
              let at = after;
              for (const stretch of outcome.stretches)
                for (const block of stretch) {
                  pushBlock(frontier, at, block.level, block.hash);
                  at += 2 ** block.level;
                }
              expect(at).to.equal(upTo);
            }
            const byLeaf: Hash[] = [];
            for (let i = 0; i < size; i++) pushLeaf(byLeaf, i, leaves[i] as Hash);
            expect(rootOf(frontier).equals(rootOf(byLeaf)), `size ${size}, ranges of ${rangeSize}`).to.equal(true);
          }
        });
      },
    );
  });

  const RANGE = 20;
  // The first entry of a range, the last of one, one in the middle of one.
  const places = [
    ['at a range’s first entry', 41],
    ['at a range’s last entry', 60],
    ['in the middle of a range', 75],
  ] as const;
  const faults = [
    [
      'a changed entry',
      (store: Store, seq: number) => store.query('UPDATE ledger_entries SET subject_ref = NULL WHERE seq = $1', [seq]),
      /entryHash does not match the entry \(changed\)/,
      (seq: number) => seq,
    ],
    [
      'a broken link',
      (store: Store, seq: number) =>
        store.query("UPDATE ledger_entries SET prev_hash = repeat('0', 64) WHERE seq = $1", [seq]),
      /prevHash does not match the previous entry/,
      (seq: number) => seq,
    ],
    [
      'a deleted entry',
      (store: Store, seq: number) => store.query('DELETE FROM ledger_entries WHERE seq = $1', [seq]),
      /expected entry \d+ here, found \d+/,
      (seq: number) => seq,
    ],
    // Only the leaf (and so the checkpoints after it) differs: named by its receipt, as the one-thread walk does.
    ['a changed leaf under a rehashed chain', rewriteEntryRehashed, /receipt/, (seq: number) => seq],
  ] as const;
  for (const [what, tamper, reason, named] of faults) {
    for (const [where, seq] of places) {
      it(`names ${what} ${where} (entry ${seq}) exactly as the one-thread walk does`, async () => {
        await onCopy(
          (store) => tamper(store, seq),
          async (store, url) => {
            const expected: LedgerVerification = await oneThread(store);
            expect(expected).to.include({ ok: false, seq: named(seq) });
            expect(expected.ok ? '' : expected.reason).to.match(reason);
            expect(await inRanges(store, url, RANGE)).to.deep.equal(expected);
            expect(await inRanges(store, url, 7)).to.deep.equal(expected);
            // The worker that read the range names the entry itself (its first entry's link is the walk's to check).
            const after = Math.floor((seq - 1) / RANGE) * RANGE;
            const outcome = await withReader(url, (read) =>
              checkRange({ after, upTo: after + RANGE, ends: [after + RANGE], hashesAt: [] }, read),
            );
            if (what === 'a broken link' && seq === after + 1) {
              // Its link is the walk's to check (it does, first); the worker sees its hash input changed.
              expect(outcome.firstPrev).to.equal('0'.repeat(64));
              expect(outcome.fault).to.deep.include({ seq, reason: 'entryHash does not match the entry (changed)' });
            } else if (what === 'a deleted entry' && seq === after + RANGE) {
              // The range ends without it: the walk re-reads the range and names what follows.
              expect(outcome.fault).to.deep.include({ seq });
            } else if (what === 'a changed leaf under a rehashed chain') {
              expect(outcome.fault).to.equal(undefined);
            } else {
              expect(outcome.fault?.seq).to.equal(seq);
              expect(outcome.fault?.reason).to.match(reason);
            }
          },
        );
      });
    }
  }
});
