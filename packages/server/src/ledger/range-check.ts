import { hasStrictForm } from '../ingest/record-verifier.js';
import { sha256Sync } from '../platform/crypto/hash.js';
import {
  ENTRY_HASH,
  hex32,
  JWS,
  PREV_HASH,
  type RawRow,
  RECORD_ID,
  roomFor,
  rowOf,
  sameText,
  seqOf,
  textOf,
  writeHashInput,
} from './entry-bytes.js';
import { COLUMNS, canonicalLeaf, fastBody } from './entry-text.js';
import type { Subtree } from './leaf-hasher.js';
import { blocksOf, type Hash, pushLeaf } from './merkle.js';
import { RangeReadError } from './range-read-error.js';

/**
 * One range of the ledger checked apart from the rest (range-walk.ts runs these on workers, each
 * over its own PostgreSQL connection): every entry's seq, its link to the entry before it inside
 * the range, its entry hash (the fast input, else the canonical bytes, as the walk decides), its
 * record's strict form, its leaf hash, and the range's tree as complete subtrees. What needs the
 * entries before the range (the link of its first entry, the frontier) or the ledger's keys
 * (checkpoints, notes) stays with the walk: the outcome carries what the walk needs for it.
 */
export type RangeTask = {
  /** The entries with seq in (after, upTo]: leaves after … upTo − 1. */
  readonly after: number;
  readonly upTo: number;
  /** Where the range's stretches end, as leaf counts (seqs), ascending, the last `upTo`. */
  readonly ends: readonly number[];
  /** Seqs whose stored entry hash the walk wants back (its checkpoints). */
  readonly hashesAt: readonly number[];
  /**
   * Also check each record's strict form (default true; verify always does). The bench's root
   * recomputation leaves it out, as the root does not depend on it (a third of a worker's time).
   */
  readonly strictForm?: boolean;
};

export type RangeFault = { readonly seq: number; readonly recordId?: string; readonly reason: string };

export type RangeOutcome = {
  readonly task: RangeTask;
  /** The first entry's stored prevHash: the walk holds it to the entry before the range. */
  readonly firstPrev: string | null;
  /** The last entry's stored entry hash. */
  readonly lastHash: string | null;
  /** For each stretch, the complete subtrees `blocksOf` splits it into, largest first. */
  readonly stretches: Subtree[][];
  readonly hashesAt: ReadonlyArray<readonly [number, string]>;
  /** Entries whose record lacks the strict form (the walk asks core's decoder about each). */
  readonly notStrict: readonly number[];
  /** The first entry that does not hold (the outcome is then incomplete). */
  readonly fault?: RangeFault;
};

/**
 * Reads the entries with seq in (after, upTo], in seq order, handing each to `each` as bytes
 * (copy-rows.ts); `each` returns false when it wants no more.
 */
export type ReadRange = (after: number, upTo: number, each: (row: RawRow) => boolean) => Promise<unknown>;

/** The SELECT a range reads: `COLUMNS`, in the order entry-bytes.ts numbers them. */
export function rangeSelect(after: number, upTo: number): string {
  if (!Number.isSafeInteger(after) || !Number.isSafeInteger(upTo))
    throw new RangeReadError('range bounds must be integers');
  return `SELECT ${COLUMNS} FROM ledger_entries WHERE seq > ${after} AND seq <= ${upTo} ORDER BY seq`;
}

export async function checkRange(task: RangeTask, read: ReadRange): Promise<RangeOutcome> {
  // The blocks to fill, in leaf order, each with its stretch.
  const plan: { stretch: number; leaves: number }[] = [];
  let start = task.after;
  task.ends.forEach((end, stretch) => {
    for (const b of blocksOf({ start, end })) plan.push({ stretch, leaves: 2 ** b.level });
    start = end;
  });
  const stretches: Subtree[][] = task.ends.map(() => []);
  const want = new Set(task.hashesAt);
  const strictForm = task.strictForm !== false;
  const hashesAt: [number, string][] = [];
  const notStrict: number[] = [];
  let firstPrev: string | null = null;
  let fault: RangeFault | undefined;
  // One block's own frontier: leaf k of the block is pushed at size k, so it ends as its MTH.
  const block: Hash[] = [];
  let inBlock = 0;
  let b = 0;
  let bytes = Buffer.allocUnsafe(4096);
  const stored = Buffer.alloc(32);
  // The previous entry's stored entry hash, as bytes (the rows' buffer is the driver's, reused).
  let last = Buffer.alloc(128);
  let lastLength = -2;
  let expect = task.after + 1;

  const faultAt = (e: RawRow, seq: number, reason: string): false => {
    const recordId = textOf(e, RECORD_ID);
    fault = { seq, ...(recordId === null ? {} : { recordId }), reason };
    return false;
  };

  const entry = (e: RawRow): boolean => {
    const seq = seqOf(e);
    const at = e.at;
    if (seq !== expect) {
      return faultAt(e, expect, `expected entry ${expect} here, found ${seq} (an entry is missing or was inserted)`);
    }
    const prevStart = at[2 * PREV_HASH] as number;
    const prevLength = at[2 * PREV_HASH + 1] as number;
    if (seq === task.after + 1) firstPrev = textOf(e, PREV_HASH);
    else if (!sameText(e.buf, prevStart, prevLength, last, 0, lastLength)) {
      return faultAt(e, seq, 'prevHash does not match the previous entry (deleted, inserted or reordered)');
    }
    // The hash input 0x00 || prev || body, as leaf-hasher.ts writes it (the entry hash from offset 1):
    // from the row's bytes (entry-bytes.ts), else through strings as the one-thread walk makes it.
    const room = roomFor(e);
    if (bytes.length < room) bytes = Buffer.allocUnsafe(2 * room);
    let end = writeHashInput(e, bytes);
    let fast: boolean;
    const hashStart = at[2 * ENTRY_HASH] as number;
    const hashLength = at[2 * ENTRY_HASH + 1] as number;
    if (end >= 0 && hex32(e.buf, hashStart, hashLength, stored, 0)) {
      fast = sha256Sync(bytes.subarray(1, end)).equals(stored);
    } else {
      const row = rowOf(e);
      const body = fastBody(row);
      if (bytes.length < 33 + body.length * 3) bytes = Buffer.allocUnsafe(2 * (33 + body.length * 3));
      bytes[0] = 0x00;
      bytes.fill(0, 1, 33);
      bytes.write(row.prev_hash, 1, 32, 'hex');
      end = 33 + bytes.write(body, 33, 'utf8');
      fast = sha256Sync(bytes.subarray(1, end)).toString('hex') === row.entry_hash;
    }
    const leaf = fast ? sha256Sync(bytes.subarray(0, end)) : canonicalLeaf(rowOf(e));
    if (!leaf) return faultAt(e, seq, 'entryHash does not match the entry (changed)');
    if (strictForm && !hasStrictForm(textOf(e, JWS) as string)) notStrict.push(seq);
    if (want.has(seq)) hashesAt.push([seq, textOf(e, ENTRY_HASH) as string]);
    const target = plan[b];
    if (!target) {
      // Unreachable while seqs are checked above; reported as a fault so the walk re-checks the range itself.
      return faultAt(e, seq, `more entries than range ${task.after}–${task.upTo} holds`);
    }
    pushLeaf(block, inBlock, leaf);
    inBlock++;
    if (inBlock === target.leaves) {
      stretches[target.stretch]?.push({ level: Math.log2(target.leaves), hash: block[0] as Hash });
      block.length = 0;
      inBlock = 0;
      b++;
    }
    if (last.length < hashLength) last = Buffer.alloc(2 * hashLength);
    if (hashLength > 0) e.buf.copy(last, 0, hashStart, hashStart + hashLength);
    lastLength = hashLength;
    expect = seq + 1;
    return true;
  };

  await read(task.after, task.upTo, entry);
  const lastHash = lastLength >= 0 ? last.toString('utf8', 0, lastLength) : null;
  if (!fault && expect !== task.upTo + 1) {
    fault = { seq: expect, reason: `expected entry ${expect} here, the range ends before it (an entry is missing)` };
  }
  return { task, firstPrev, lastHash, stretches, hashesAt, notStrict, ...(fault ? { fault } : {}) };
}
