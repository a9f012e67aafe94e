import { ConsentError } from '@consentkit/core';
import type { Queryable } from '../platform/store/store.js';
import { type EntryRow, fromRow, leafInput } from './entry.js';
import {
  type Block,
  blocksOf,
  frontierBlocks,
  type Hash,
  leafHash,
  pushLeaf,
  type Range,
  rangeHash,
} from './merkle.js';
import { createNodeCache, type NodeCache, type NodeCacheOptions } from './node-cache.js';

/**
 * The stored Merkle nodes that proofs are read from (`merkle_nodes`: every complete subtree,
 * leaves at level 0). They are derived from the entries and built outside the head lock, by
 * whoever first needs a size not built yet (a proof, an export), so ingest never waits on them
 * (Tessera builds its tiles after sequencing the same way). Building is idempotent: two
 * processes building the same size write the same rows (ON CONFLICT DO NOTHING).
 */
export type MerkleTree = {
  /**
   * Builds the nodes up to `size` leaves (default: every committed entry) and, when `q` is the
   * store, brings the node cache up to what is stored; the size built (at least `size`).
   */
  catchUp(q: Queryable, size?: number): Promise<number>;
  /**
   * MTH of each range: from the node cache when it holds them all (no query), else from the stored
   * nodes (call `catchUp` to their end first).
   */
  rangeHashes(q: Queryable, ranges: readonly Range[]): Promise<Hash[]>;
  /** The in-memory nodes (undefined without a store: every answer then reads the database). */
  readonly cache: NodeCache | undefined;
  /**
   * Builds the nodes of every committed entry and fills the cache from the stored ones, as a
   * start-up does in the background so that no proof waits for the fill. Proofs meanwhile are
   * answered from the database. Stops between reads once `signal` is aborted; the cache size reached.
   */
  warm(signal?: AbortSignal): Promise<number>;
};

export type MerkleTreeOptions = {
  /**
   * The store (not a transaction): nodes this process writes or reads through it are committed,
   * so they are the ones the cache may learn. Without it there is no cache.
   */
  readonly store?: Queryable;
  readonly cache?: NodeCacheOptions;
  /** Leaves per read when the cache fills from stored nodes (default 32,768, ≈ 37,000 rows). */
  readonly fillLeaves?: number;
};

const PAGE = 2000;
const key = (b: Block) => `${b.level}:${b.index}`;

async function builtSize(q: Queryable): Promise<number> {
  const rows = await q.query<{ n: number | null }>('SELECT max(idx) AS n FROM merkle_nodes WHERE level = 0');
  const n = rows[0]?.n;
  return n === null || n === undefined ? 0 : Number(n) + 1;
}

async function readBlocks(q: Queryable, blocks: readonly Block[]): Promise<Map<string, Hash>> {
  if (blocks.length === 0) return new Map();
  // Two array literals unnested side by side: cheaper to send and to plan than a JSON document.
  // Prepared: every inclusion proof runs it, and parsing and planning were over half its time on
  // PostgreSQL (docs/benchmarks.md, transparency).
  const rows = await q.query<{ level: number; idx: number; hash: string }>(
    `SELECT n.level, n.idx, n.hash FROM merkle_nodes n
     JOIN unnest($1::smallint[], $2::bigint[]) AS x(level, idx) ON n.level = x.level AND n.idx = x.idx`,
    [`{${blocks.map((b) => b.level).join(',')}}`, `{${blocks.map((b) => b.index).join(',')}}`],
    { prepare: 'merkle-nodes-by-block' },
  );
  return new Map(rows.map((r) => [`${Number(r.level)}:${Number(r.idx)}`, Buffer.from(r.hash, 'base64')]));
}

/** The stored nodes of the cached levels that leaves [from, to) complete (see NodeCache.extend). */
async function readCompleted(
  q: Queryable,
  cache: NodeCache,
  from: number,
  to: number,
): Promise<Array<{ level: number; index: number; hash: Hash }>> {
  const levels: number[] = [];
  for (let level = 0; 2 ** level <= to; level++)
    if (cache.holds(level) && Math.floor(to / 2 ** level) > Math.floor(from / 2 ** level)) levels.push(level);
  if (levels.length === 0) return [];
  const rows = await q.query<{ level: number; idx: number; hash: string }>(
    `SELECT n.level, n.idx, n.hash FROM merkle_nodes n
     JOIN unnest($1::smallint[], $2::bigint[], $3::bigint[]) AS x(level, lo, hi)
       ON n.level = x.level AND n.idx >= x.lo AND n.idx < x.hi`,
    [
      `{${levels.join(',')}}`,
      `{${levels.map((l) => Math.floor(from / 2 ** l)).join(',')}}`,
      `{${levels.map((l) => Math.floor(to / 2 ** l)).join(',')}}`,
    ],
  );
  return rows.map((r) => ({ level: Number(r.level), index: Number(r.idx), hash: Buffer.from(r.hash, 'base64') }));
}

export function createMerkleTree(options: MerkleTreeOptions = {}): MerkleTree {
  const { store } = options;
  const cache = store === undefined ? undefined : createNodeCache(options.cache);
  // Each read is turned into nodes in one synchronous stretch, which the proofs answered during a
  // background fill wait behind; smaller reads cost more in all (a query each).
  const fillLeaves = options.fillLeaves ?? 32_768;
  // Only what went through the store itself is committed once the query returns: a transaction's
  // writes (and what it reads of them) may still roll back, so the cache never learns from one.
  const learner = (q: Queryable): NodeCache | undefined => (q === store ? cache : undefined);
  // One build at a time in this process; others wait for it and then find the work done.
  let running: Promise<unknown> = Promise.resolve();
  // The size known built: stored nodes are only ever added, so a proof at or below it needs no
  // build and no turn in the queue above. Reset when a node turns out missing (the table was
  // emptied under us), so the next call rebuilds.
  let knownBuilt = 0;

  async function build(q: Queryable, target: number | undefined): Promise<number> {
    let size = await builtSize(q);
    if (target !== undefined && size >= target) return size;
    const shape = frontierBlocks(size);
    const stored = await readBlocks(q, shape);
    const frontier = shape.map((b) => stored.get(key(b)) as Hash);
    if (frontier.some((h) => h === undefined))
      throw new ConsentError('storage', `the stored tree of ${size} leaves is missing a node`);
    for (;;) {
      const limit = target === undefined ? PAGE : Math.min(PAGE, target - size);
      if (limit <= 0) return size;
      const rows = await q.query<EntryRow>('SELECT * FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2', [
        size,
        limit,
      ]);
      const start = size;
      const nodes: Array<{ level: number; index: number; hash: Hash }> = [];
      for (const row of rows) {
        const entry = fromRow(row);
        if (entry.seq !== size + 1)
          throw new ConsentError('storage', `entry ${size + 1} is missing: the tree stops at ${size}`);
        pushLeaf(frontier, size, leafHash(leafInput(entry)), (b, h) =>
          nodes.push({ level: b.level, index: b.index, hash: h }),
        );
        size++;
      }
      if (nodes.length > 0) {
        await q.query(
          `INSERT INTO merkle_nodes (level, idx, hash)
           SELECT level, idx, hash FROM json_to_recordset($1::json) AS x(level smallint, idx bigint, hash text)
           ON CONFLICT (level, idx) DO NOTHING`,
          [JSON.stringify(nodes.map((n) => ({ level: n.level, idx: n.index, hash: n.hash.toString('base64') })))],
        );
        // Stored now (a row already there is the same hash: both are derived from the same entries).
        const learning = learner(q);
        if (learning?.size === start) learning.extend(size, nodes);
      }
      if (rows.length < limit) return size;
    }
  }

  /** One turn in the queue above (builds and fills never run at once, so neither sees the other's half-done step). */
  function queued<T>(work: () => Promise<T>): Promise<T> {
    const next = running.then(work, work);
    running = next.catch(() => {});
    return next;
  }

  /** One read of the fill: up to fillLeaves more leaves, or none if the cache is full or already there. */
  const fillStep = (q: Queryable, cache: NodeCache, to: number) =>
    queued(async () => {
      const end = Math.min(to, cache.maxLeaves);
      if (cache.size >= end) return false;
      const next = Math.min(end, cache.size + fillLeaves);
      return cache.extend(next, await readCompleted(q, cache, cache.size, next));
    });

  /**
   * A fill longer than one read (a restart, or sizes another process built) runs in the
   * background, a read per turn in the queue so that builds go between them; proofs past the
   * cache read the database meanwhile (one query), instead of waiting for ≈ 1.1 M rows a million
   * entries. At most one at a time; it reads what is known built when each step starts.
   */
  let filling: Promise<number> | undefined;
  /** Set by warm(): a stopping server ends every background fill, whoever started it. */
  let stopSignal: AbortSignal | undefined;
  function fillInBackground(q: Queryable, cache: NodeCache): Promise<number> {
    filling ??= (async () => {
      try {
        // A macrotask between reads, so requests that arrived meanwhile run before the next one.
        while (!stopSignal?.aborted && (await fillStep(q, cache, knownBuilt)))
          await new Promise((resolve) => setImmediate(resolve));
        return cache.size;
      } finally {
        filling = undefined;
      }
    })();
    return filling;
  }

  /** Brings the cache up to `to`: at once when that is one read, else in the background. */
  async function fill(q: Queryable, cache: NodeCache, to: number): Promise<void> {
    const end = Math.min(to, cache.maxLeaves);
    if (cache.size >= end) return;
    // A node missing here is left to rangeHashes, which reads the database and rebuilds.
    if (end - cache.size <= fillLeaves && filling === undefined) await fillStep(q, cache, end);
    else void fillInBackground(q, cache).catch(() => {});
  }

  function catchUp(q: Queryable, size?: number): Promise<number> {
    if (size !== undefined && cache !== undefined && size <= cache.size)
      return Promise.resolve(Math.max(knownBuilt, cache.size));
    const learning = learner(q);
    if (size !== undefined && size <= knownBuilt)
      return learning ? fill(q, learning, knownBuilt).then(() => knownBuilt) : Promise.resolve(knownBuilt);
    return queued(async () => {
      const built = size !== undefined && size <= knownBuilt ? knownBuilt : await build(q, size);
      knownBuilt = Math.max(knownBuilt, built);
      return built;
    }).then(async (built) => {
      if (learning) await fill(q, learning, built);
      return built;
    });
  }

  return {
    cache,
    catchUp,
    async warm(signal) {
      if (store === undefined || cache === undefined) return 0;
      stopSignal = signal;
      await catchUp(store);
      while (!signal?.aborted && cache.size < Math.min(knownBuilt, cache.maxLeaves)) {
        const before = cache.size;
        await fillInBackground(store, cache);
        if (cache.size === before) break; // a node missing: left to the next proof's rebuild
      }
      return cache.size;
    },
    async rangeHashes(q, ranges) {
      const shapes = ranges.map((r) => blocksOf(r));
      // Served from memory when every block is inside what the cache holds (a prefix: immutable).
      const end = Math.max(0, ...ranges.map((r) => r.end));
      if (cache !== undefined && end <= cache.size)
        return shapes.map((blocks) => rangeHash(blocks, (b) => cache.hashOf(b) as Hash));
      const hashes = await readBlocks(q, shapes.flat());
      const missing = shapes.flat().find((b) => !hashes.has(key(b)));
      if (missing) {
        knownBuilt = 0;
        throw new ConsentError('storage', `the stored tree has no node ${missing.level}/${missing.index}`, {
          hint: 'Nodes are rebuilt from the entries on the next request.',
        });
      }
      return shapes.map((blocks) => rangeHash(blocks, (b) => hashes.get(key(b)) as Hash));
    },
  };
}
