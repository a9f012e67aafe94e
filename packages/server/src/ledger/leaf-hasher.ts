import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ConsentError } from '@consentkit/core';
import { sha256Sync } from '../platform/crypto/hash.js';
import { blocksOf, type Hash } from './merkle.js';

/** A complete subtree of `2^level` leaves, by its MTH. */
export type Subtree = { readonly level: number; readonly hash: Hash };

/**
 * The two hashes `verify` makes of every entry, a page at a time, spread over the cores: the
 * chain's entry hash SHA-256(input) and the Merkle leaf hash SHA-256(0x00 || input) (RFC 9162
 * §2.1.1), where the input is the entry's hash input (`entryHashInput`: the previous hash's 32
 * bytes, then the entry's JSON). Each is SHA-256 over about 1.3 KB; together they are most of
 * what the walk computes, and one core hashes only about 300,000 such inputs a second (R72 asks
 * 200,000 entries a second of the root alone).
 *
 * The caller gives each entry's previous hash (hex) and JSON text; they are written once into a
 * shared buffer as `0x00 || prev || json`, so the leaf input needs no copy of its own: the entry
 * hash is over the same bytes from offset 1. Workers hash slices of the page in place.
 *
 * The workers also hash the page's tree (`subtrees`): the complete subtrees a stretch of leaves
 * decomposes into, which the caller adds to its frontier whole (`pushBlock`). Profiled at 1M
 * entries, one node hash per leaf on the caller's thread was an eighth of its time, the thread
 * that bounds the walk (docs/benchmarks.md, transparency).
 */
export type EntryText = { readonly prevHash: string; readonly body: string };

export type LeafHasher = {
  /**
   * 64 bytes per entry, in order: its entry hash, then its leaf hash. One page at a time: the
   * bytes buffer is reused by the next call.
   */
  hashPage(entries: readonly EntryText[]): Promise<Buffer>;
  /**
   * The tree over the leaves of the page hashed last, whose first leaf has index `first`: for each
   * stretch ending at a page-local `ends[k]` (ascending, the last at most the page's length, the
   * first starting at 0), the MTH of each complete subtree `blocksOf` splits it into, largest first.
   */
  subtrees(first: number, ends: readonly number[]): Promise<Subtree[][]>;
  /** Ends the workers (they never hold the process open, but a long-lived one should close). */
  close(): Promise<void>;
};

type Sha256 = (data: Uint8Array) => Uint8Array;

/**
 * The kernel, run in the workers and, for small pages, in place. It names nothing outside its
 * parameters because the workers run its source text (no module file to load, the same under tsx
 * and the build).
 */
function hashSpans(
  sha256: Sha256,
  bytes: Uint8Array,
  bounds: Uint32Array,
  from: number,
  to: number,
  out: Uint8Array,
): void {
  for (let i = from; i < to; i++) {
    const start = bounds[i] as number;
    const end = bounds[i + 1] as number;
    out.set(sha256(bytes.subarray(start + 1, end)), i * 64);
    out.set(sha256(bytes.subarray(start, end)), i * 64 + 32);
  }
}

/** The MTH of `spans` (leaf offset, power-of-two count) over a page's leaf hashes (`out` of hashSpans). */
function treeSpans(
  sha256: Sha256,
  hashes: Uint8Array,
  spans: Uint32Array,
  from: number,
  to: number,
  result: Uint8Array,
): void {
  const pair = new Uint8Array(65);
  pair[0] = 0x01;
  for (let b = from; b < to; b++) {
    const start = spans[2 * b] as number;
    const count = spans[2 * b + 1] as number;
    let level: Uint8Array[] = [];
    for (let i = start; i < start + count; i++) level.push(hashes.subarray(i * 64 + 32, i * 64 + 64));
    while (level.length > 1) {
      const up: Uint8Array[] = [];
      for (let i = 0; i < level.length; i += 2) {
        pair.set(level[i] as Uint8Array, 1);
        pair.set(level[i + 1] as Uint8Array, 33);
        up.push(sha256(pair));
      }
      level = up;
    }
    result.set(level[0] as Uint8Array, b * 32);
  }
}

// Dynamic imports, not require: the source runs as CommonJS or as a module depending on the
// flags the process was started with (workers inherit them), and import() works in both. Messages
// wait in the port until the listener is attached.
const WORKER_SOURCE = `
(async () => {
  const { hash } = await import('node:crypto');
  const { parentPort } = await import('node:worker_threads');
  const hashSpans = ${hashSpans.toString()};
  const treeSpans = ${treeSpans.toString()};
  const sha256 = (data) => hash('sha256', data, 'buffer');
  parentPort.on('message', (m) => {
    if (m.spans) treeSpans(sha256, new Uint8Array(m.out), new Uint32Array(m.spans), m.from, m.to, new Uint8Array(m.result));
    else hashSpans(sha256, new Uint8Array(m.bytes), new Uint32Array(m.bounds), m.from, m.to, new Uint8Array(m.out));
    parentPort.postMessage(m.id);
  });
})();
`;

/** Below this many entries a page is hashed in place: handing it over would cost more. */
const INLINE_BELOW = 512;

export function createLeafHasher(options: { readonly threads?: number } = {}): LeafHasher {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  let workers: Worker[] | undefined;
  let nextId = 0;
  const waiting = new Map<number, () => void>();
  let bytes = new SharedArrayBuffer(0);
  let busy = false;

  function pool(): Worker[] {
    if (workers) return workers;
    workers = Array.from({ length: threads }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref();
      worker.on('message', (id: number) => {
        waiting.get(id)?.();
        waiting.delete(id);
      });
      return worker;
    });
    return workers;
  }

  // The last page's hashes, for `subtrees`.
  let last = { out: new SharedArrayBuffer(0), n: 0 };

  function run(worker: Worker, shared: Record<string, SharedArrayBuffer>, from: number, to: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const failed = (error: Error) => {
        waiting.delete(id);
        reject(error);
      };
      worker.once('error', failed);
      waiting.set(id, () => {
        worker.off('error', failed);
        resolve();
      });
      worker.postMessage({ id, ...shared, from, to });
    });
  }

  return {
    async hashPage(entries) {
      if (busy) throw new ConsentError('internal', 'hashPage: one page at a time');
      busy = true;
      try {
        const n = entries.length;
        // UTF-8 is at most 3 bytes per UTF-16 unit: room for every body without measuring it first.
        let room = 0;
        for (const e of entries) room += 33 + e.body.length * 3;
        if (bytes.byteLength < room) bytes = new SharedArrayBuffer(Math.ceil(room * 1.25));
        const view = Buffer.from(bytes);
        const bounds = new SharedArrayBuffer((n + 1) * 4);
        const ends = new Uint32Array(bounds);
        let at = 0;
        for (let i = 0; i < n; i++) {
          const e = entries[i] as EntryText;
          ends[i] = at;
          view[at] = 0x00;
          // A malformed stored prevHash writes fewer than 32 bytes: the hashes then differ from
          // the stored ones and the walk's canonical re-check reports the entry.
          view.fill(0, at + 1, at + 33);
          view.write(e.prevHash, at + 1, 32, 'hex');
          at += 33 + view.write(e.body, at + 33, 'utf8');
        }
        ends[n] = at;
        const out = new SharedArrayBuffer(n * 64);
        last = { out, n };
        if (n < INLINE_BELOW || threads === 1) {
          hashSpans(sha256Sync, view, ends, 0, n, new Uint8Array(out));
        } else {
          const all = pool();
          const per = Math.ceil(n / all.length);
          await Promise.all(
            all.map((w, k) =>
              k * per < n ? run(w, { bytes, bounds, out }, k * per, Math.min(n, (k + 1) * per)) : undefined,
            ),
          );
        }
        return Buffer.from(out);
      } finally {
        busy = false;
      }
    },
    async subtrees(first, ends) {
      if (busy) throw new ConsentError('internal', 'subtrees: one page at a time');
      busy = true;
      try {
        const { out, n } = last;
        // Each stretch's blocks, as page-local (offset, count) spans, in order.
        const counts: number[] = [];
        const flat: number[] = [];
        let start = 0;
        for (const end of ends) {
          if (end < start || end > n) throw new ConsentError('internal', `subtrees: stretch end ${end} out of order`);
          const blocks = blocksOf({ start: first + start, end: first + end });
          counts.push(blocks.length);
          for (const b of blocks) flat.push(b.index * 2 ** b.level - first, 2 ** b.level);
          start = end;
        }
        const total = flat.length / 2;
        const spans = new SharedArrayBuffer(flat.length * 4);
        new Uint32Array(spans).set(flat);
        const result = new SharedArrayBuffer(total * 32);
        if (start < INLINE_BELOW || threads === 1) {
          treeSpans(sha256Sync, new Uint8Array(out), new Uint32Array(spans), 0, total, new Uint8Array(result));
        } else {
          // Blocks to workers by the leaves they cover (a block of c leaves is c − 1 node hashes).
          const all = pool();
          const share = start / all.length;
          const cuts = [0];
          let covered = 0;
          for (let b = 0; b < total; b++) {
            covered += flat[2 * b + 1] as number;
            if (covered >= share * cuts.length && cuts.length < all.length) cuts.push(b + 1);
          }
          cuts.push(total);
          await Promise.all(
            all.map((w, k) => {
              const from = cuts[k] as number;
              const to = cuts[k + 1] ?? total;
              return from < to ? run(w, { out, spans, result }, from, to) : undefined;
            }),
          );
        }
        const hashes = Buffer.from(result);
        const segments: Subtree[][] = [];
        let b = 0;
        for (const count of counts) {
          const segment: Subtree[] = [];
          for (let k = 0; k < count; k++, b++)
            segment.push({ level: Math.log2(flat[2 * b + 1] as number), hash: hashes.subarray(b * 32, b * 32 + 32) });
          segments.push(segment);
        }
        return segments;
      } finally {
        busy = false;
      }
    },
    async close() {
      const all = workers ?? [];
      workers = undefined;
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
