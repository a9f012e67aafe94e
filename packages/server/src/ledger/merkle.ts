import { ConsentError } from '@consentkit/core';
import { sha256Sync as sha256 } from '../platform/crypto/hash.js';

/**
 * The Merkle tree hash of RFC 9162 §2.1.1 over the ledger's entries (R72), and the shapes of its
 * inclusion and consistency proofs (§2.1.3, §2.1.4). A hash is 32 raw bytes.
 *
 * The tree is held three ways, all derived from the entries: the right edge ("frontier", the
 * roots of the complete subtrees a size decomposes into, largest first) that the head keeps so the
 * root of every size is known under the lock; the stored nodes (`tree-builder.ts`) that proofs
 * are read from; and the recomputation in `verify`. None of them is trusted by `verify`.
 */
export type Hash = Buffer;

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = sha256(new Uint8Array(0));

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(input: Uint8Array): Hash {
  const bytes = Buffer.allocUnsafe(input.length + 1);
  bytes[0] = 0x00;
  bytes.set(input, 1);
  return sha256(bytes);
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  const bytes = Buffer.allocUnsafe(65);
  bytes[0] = 0x01;
  bytes.set(left, 1);
  bytes.set(right, 33);
  return sha256(bytes);
}

/** A complete, aligned subtree: `2^level` leaves starting at leaf `index · 2^level`. */
export type Block = { readonly level: number; readonly index: number };

/**
 * Appends a leaf to a frontier of `size` leaves, in place. Each merge completes a subtree; those
 * are passed to `onNode` (the tree builder stores them), leaves included at level 0.
 */
export function pushLeaf(
  frontier: Hash[],
  size: number,
  leaf: Hash,
  onNode?: (block: Block, hash: Hash) => void,
): void {
  frontier.push(leaf);
  onNode?.({ level: 0, index: size }, leaf);
  let level = 0;
  // Adding leaf number `size` merges as many times as `size` has trailing one bits.
  for (let k = size; k % 2 === 1; k = Math.floor(k / 2)) {
    const right = frontier.pop() as Hash;
    const left = frontier.pop() as Hash;
    const merged = nodeHash(left, right);
    frontier.push(merged);
    level++;
    onNode?.({ level, index: Math.floor(size / 2 ** level) }, merged);
  }
}

/**
 * Appends a complete subtree of `2^level` leaves whose MTH is `hash` to a frontier of `size`
 * leaves, in place: the frontier is then the one `pushLeaf` makes leaf by leaf. `size` must be a
 * multiple of `2^level`, as it is for each block of `blocksOf` pushed in order.
 */
export function pushBlock(frontier: Hash[], size: number, level: number, hash: Hash): void {
  if (size % 2 ** level !== 0)
    throw new ConsentError('internal', `a subtree of 2^${level} leaves cannot start at ${size}`);
  frontier.push(hash);
  for (let k = size / 2 ** level; k % 2 === 1; k = Math.floor(k / 2)) {
    const right = frontier.pop() as Hash;
    const left = frontier.pop() as Hash;
    frontier.push(nodeHash(left, right));
  }
}

/** The root of the tree a frontier describes (MTH of all its leaves). */
export function rootOf(frontier: readonly Hash[]): Hash {
  if (frontier.length === 0) return EMPTY_ROOT;
  let hash = frontier[frontier.length - 1] as Hash;
  for (let i = frontier.length - 2; i >= 0; i--) hash = nodeHash(frontier[i] as Hash, hash);
  return hash;
}

/** The largest power of two smaller than n (n > 1): where RFC 9162 splits a tree of n leaves. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A subtree D[start:end) whose MTH a proof carries. */
export type Range = { readonly start: number; readonly end: number };

/** The ranges of PATH(m, D[start:end)), leaf side first (RFC 9162 §2.1.3.1). */
export function inclusionRanges(m: number, start: number, end: number): Range[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = split(n);
  return m < k
    ? [...inclusionRanges(m, start, start + k), { start: start + k, end }]
    : [...inclusionRanges(m - k, start + k, end), { start, end: start + k }];
}

/** The ranges of PROOF(m, D[0:n)) = SUBPROOF(m, D[0:n), true) (RFC 9162 §2.1.4.1). */
export function consistencyRanges(m: number, n: number): Range[] {
  const sub = (m: number, start: number, end: number, b: boolean): Range[] => {
    const size = end - start;
    if (m === size) return b ? [] : [{ start, end }];
    const k = split(size);
    return m <= k
      ? [...sub(m, start, start + k, b), { start: start + k, end }]
      : [...sub(m - k, start + k, end, false), { start, end: start + k }];
  };
  return sub(m, 0, n, true);
}

/** The complete aligned subtrees a range is made of, largest first (ranges proofs ask for always split so). */
export function blocksOf(range: Range): Block[] {
  const blocks: Block[] = [];
  let at = range.start;
  while (at < range.end) {
    let size = 1;
    // The largest aligned power of two that starts here and fits.
    while (at % (size * 2) === 0 && at + size * 2 <= range.end) size *= 2;
    blocks.push({ level: Math.log2(size), index: at / size });
    at += size;
  }
  return blocks;
}

/** MTH of a range from the hashes of its blocks (folded from the right, as the frontier is). */
export function rangeHash(blocks: readonly Block[], hashOf: (block: Block) => Hash): Hash {
  return rootOf(blocks.map(hashOf));
}

/** The blocks a tree of `size` leaves decomposes into: the frontier's shape. */
export function frontierBlocks(size: number): Block[] {
  return size === 0 ? [] : blocksOf({ start: 0, end: size });
}
