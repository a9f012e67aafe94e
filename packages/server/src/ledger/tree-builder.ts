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

/**
 * The stored Merkle nodes that proofs are read from (`merkle_nodes`: every complete subtree,
 * leaves at level 0). They are derived from the entries and built outside the head lock, by
 * whoever first needs a size not built yet (a proof, an export), so ingest never waits on them
 * (Tessera builds its tiles after sequencing the same way). Building is idempotent: two
 * processes building the same size write the same rows (ON CONFLICT DO NOTHING).
 */
export type MerkleTree = {
  /** Builds the nodes up to `size` leaves (default: every committed entry); the size built. */
  catchUp(q: Queryable, size?: number): Promise<number>;
  /** MTH of each range, from the stored nodes (call `catchUp` to their end first). */
  rangeHashes(q: Queryable, ranges: readonly Range[]): Promise<Hash[]>;
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

export function createMerkleTree(): MerkleTree {
  // One build at a time in this process; others wait for it and then find the work done.
  let running: Promise<unknown> = Promise.resolve();
  // The size known built: stored nodes are only ever added, so a proof at or below it needs no
  // query and no turn in the queue above (the hot path of /v1/log/inclusion). Reset when a node
  // turns out missing (the table was emptied under us), so the next call rebuilds.
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
      const nodes: Array<{ level: number; idx: number; hash: string }> = [];
      for (const row of rows) {
        const entry = fromRow(row);
        if (entry.seq !== size + 1)
          throw new ConsentError('storage', `entry ${size + 1} is missing: the tree stops at ${size}`);
        pushLeaf(frontier, size, leafHash(leafInput(entry)), (b, h) =>
          nodes.push({ level: b.level, idx: b.index, hash: h.toString('base64') }),
        );
        size++;
      }
      if (nodes.length > 0) {
        await q.query(
          `INSERT INTO merkle_nodes (level, idx, hash)
           SELECT level, idx, hash FROM json_to_recordset($1::json) AS x(level smallint, idx bigint, hash text)
           ON CONFLICT (level, idx) DO NOTHING`,
          [JSON.stringify(nodes)],
        );
      }
      if (rows.length < limit) return size;
    }
  }

  return {
    catchUp(q, size) {
      if (size !== undefined && size <= knownBuilt) return Promise.resolve(knownBuilt);
      const next = running.then(
        () => build(q, size),
        () => build(q, size),
      );
      running = next.catch(() => {});
      return next.then((built) => {
        knownBuilt = Math.max(knownBuilt, built);
        return built;
      });
    },
    async rangeHashes(q, ranges) {
      const shapes = ranges.map((r) => blocksOf(r));
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
