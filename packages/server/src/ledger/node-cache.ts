import { type Block, type Hash, nodeHash } from './merkle.js';

/**
 * The stored Merkle nodes of the tree's first `size` leaves, held in memory so that a proof at a
 * size the process has already seen needs no query (docs/transparency.md, "Serving proofs"). The
 * nodes of a prefix never change (complete subtrees of an append-only log), so a size once held
 * stays right whatever other processes append; a size past `size` is read from the database
 * first (`tree-builder.ts`), and only nodes already stored there are ever added here.
 *
 * Memory: the leaf hashes (level 0, they are in every answer) and the levels from `lowLevel` up
 * are held, 32 bytes each; the levels between are recomputed from the leaves when a proof needs
 * them (2^level − 1 node hashes for a node of that level). With the default `lowLevel` 4 that is
 * 32 · (1 + 2/16) = 36 bytes per leaf (36 MB per million), where every level would take 64, and a
 * proof recomputes at most 1 + 3 + 7 = 11 node hashes. `maxLeaves` bounds it: the cache stops
 * growing there and larger sizes are read from the database as before.
 */
export type NodeCache = {
  /** The leaves whose subtrees are held: every complete subtree inside [0, size). */
  readonly size: number;
  /** The most leaves it will hold. */
  readonly maxLeaves: number;
  /** Bytes allocated for hashes. */
  bytes(): number;
  /** Whether `level` is one the cache stores (the others are recomputed). */
  holds(level: number): boolean;
  /** The hash of a complete subtree inside [0, size); undefined past it. */
  hashOf(block: Block): Hash | undefined;
  /**
   * Grows the cache from `size` to `to` leaves with `nodes`: exactly the stored nodes of the held
   * levels that [size, to) completes, in any order. False (and nothing changes) when they are not
   * all there, or `to` is past `maxLeaves`.
   */
  extend(to: number, nodes: Iterable<{ level: number; index: number; hash: Hash }>): boolean;
};

export type NodeCacheOptions = {
  /** The lowest level held above the leaves (default 4). */
  readonly lowLevel?: number;
  /** The most leaves held (default 2^24, about 600 MB at 36 bytes a leaf). */
  readonly maxLeaves?: number;
};

/** Hashes per chunk: a level grows by chunks, so growing never copies what is held. */
const CHUNK = 1024;

export function createNodeCache(options: NodeCacheOptions = {}): NodeCache {
  const lowLevel = options.lowLevel ?? 4;
  const maxLeaves = options.maxLeaves ?? 2 ** 24;
  // levels[level][chunk]: CHUNK hashes of 32 bytes each.
  const levels: Buffer[][] = [];
  let size = 0;
  let allocated = 0;
  const holds = (level: number) => level === 0 || level >= lowLevel;

  function slot(level: number, index: number): Buffer {
    levels[level] ??= [];
    const chunks = levels[level];
    const c = Math.floor(index / CHUNK);
    while (chunks.length <= c) {
      chunks.push(Buffer.alloc(CHUNK * 32));
      allocated += CHUNK * 32;
    }
    const offset = (index % CHUNK) * 32;
    return (chunks[c] as Buffer).subarray(offset, offset + 32);
  }

  function hashOf(block: Block): Hash | undefined {
    if ((block.index + 1) * 2 ** block.level > size) return undefined;
    return nodeAt(block.level, block.index);
  }

  function nodeAt(level: number, index: number): Hash {
    if (holds(level)) {
      const chunk = levels[level]?.[Math.floor(index / CHUNK)] as Buffer;
      const offset = (index % CHUNK) * 32;
      return chunk.subarray(offset, offset + 32);
    }
    return nodeHash(nodeAt(level - 1, 2 * index), nodeAt(level - 1, 2 * index + 1));
  }

  return {
    get size() {
      return size;
    },
    maxLeaves,
    bytes: () => allocated,
    holds,
    hashOf,
    extend(to, nodes) {
      if (to > maxLeaves || to < size) return false;
      // What [size, to) completes at each held level: indexes [size >> level, to >> level).
      const expected = new Map<number, number>();
      for (let level = 0; 2 ** level <= to; level++)
        if (holds(level)) {
          const n = Math.floor(to / 2 ** level) - Math.floor(size / 2 ** level);
          if (n > 0) expected.set(level, n);
        }
      const seen = new Map<number, Set<number>>();
      const pending: Array<{ level: number; index: number; hash: Hash }> = [];
      for (const node of nodes) {
        if (!holds(node.level)) continue;
        const lo = Math.floor(size / 2 ** node.level);
        const hi = Math.floor(to / 2 ** node.level);
        if (node.index < lo || node.index >= hi || node.hash.length !== 32) return false;
        const set = seen.get(node.level) ?? new Set<number>();
        seen.set(node.level, set);
        set.add(node.index);
        pending.push(node);
      }
      for (const [level, n] of expected) if ((seen.get(level)?.size ?? 0) !== n) return false;
      for (const node of pending) node.hash.copy(slot(node.level, node.index));
      size = to;
      return true;
    },
  };
}
