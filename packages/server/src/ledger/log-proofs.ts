import { ConsentError } from '@consentkit/core';
import type { Queryable } from '../platform/store/store.js';
import { type Checkpoint, parseCheckpointNote } from './checkpoint-note.js';
import { consistencyRanges, inclusionRanges, type Range } from './merkle.js';
import type { MerkleTree } from './tree-builder.js';

/**
 * Proofs against the signed tree (RFC 9162 §2.1.3, §2.1.4), read from the stored nodes. The
 * sizes asked for must be ones the head has signed: never past the current signed head.
 */
export type SignedHead = Checkpoint & { readonly note: string };

export async function signedHeadOf(q: Queryable): Promise<SignedHead> {
  const row = (await q.query<{ checkpoint: string | null }>('SELECT checkpoint FROM ledger_head WHERE id = 1'))[0];
  const parsed = row?.checkpoint ? parseCheckpointNote(row.checkpoint) : undefined;
  if (!parsed || 'reason' in parsed || !row?.checkpoint)
    throw new ConsentError('storage', 'the ledger head carries no readable signed checkpoint', {
      hint: 'Run `consentkit verify`.',
    });
  return { origin: parsed.origin, size: parsed.size, root: parsed.root, note: row.checkpoint };
}

/** Reads hashes of a tree built to `size`; once more after a rebuild if a stored node went missing. */
async function readBuilt(q: Queryable, tree: MerkleTree, size: number, ranges: readonly Range[]): Promise<Buffer[]> {
  await tree.catchUp(q, size);
  try {
    return await tree.rangeHashes(q, ranges);
  } catch (error) {
    if (!(error instanceof ConsentError) || error.code !== 'storage') throw error;
    await tree.catchUp(q, size);
    return tree.rangeHashes(q, ranges);
  }
}

/** The leaf's hash and its inclusion proof at `size`, read together (one query). */
export async function inclusionProof(
  q: Queryable,
  tree: MerkleTree,
  index: number,
  size: number,
): Promise<{ readonly leaf: Buffer; readonly proof: Buffer[] }> {
  const hashes = await readBuilt(q, tree, size, [...inclusionRanges(index, 0, size), { start: index, end: index + 1 }]);
  const leaf = hashes.pop() as Buffer;
  return { leaf, proof: hashes };
}

export async function consistencyProof(q: Queryable, tree: MerkleTree, from: number, to: number): Promise<Buffer[]> {
  if (from === 0 || from === to) return [];
  return readBuilt(q, tree, to, consistencyRanges(from, to));
}
