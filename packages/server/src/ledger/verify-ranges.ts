// The stretch of verify's walk that range workers check on PostgreSQL (range-walk.ts): the
// entries a checkpoint vouches for, joined to the walk range by range.
import { COLUMNS, type Row } from './entry-text.js';
import type { UnverifiableEntry } from './ledger-verification.js';
import { type Hash, pushBlock, rootOf } from './merkle.js';
import type { RangeOutcome, RangeTask, RangeWalker } from './range-walk.js';
import type { VerifyWalk } from './verify-walk.js';

/**
 * Joins a range the workers checked to the walk: its first link, its subtrees (the roots the
 * checkpoint notes and the saved checkpoint need), its checkpoints, its records' strict form.
 * False when anything does not hold: the walk then walks the range itself, from its first
 * entry, so the report names the first bad entry exactly as the one-thread walk does.
 */
async function joinRange(walk: VerifyWalk, r: RangeOutcome): Promise<boolean> {
  const { options, store, frontier } = walk;
  const { checkpointFault, noteFault } = walk.checks;
  const { after, upTo, ends } = r.task;
  if (r.fault || r.firstPrev !== walk.prevHash || r.lastHash === null) return false;
  const tree = [...frontier];
  const roots = new Map<number, Hash>();
  let size = after;
  for (let k = 0; k < ends.length; k++) {
    for (const block of r.stretches[k] ?? []) {
      pushBlock(tree, size, block.level, block.hash);
      size += 2 ** block.level;
    }
    if (size !== ends[k]) return false;
    roots.set(size, rootOf(tree));
  }
  const since = options.since;
  if (since && since.size > after && since.size <= upTo && !roots.get(since.size)?.equals(since.root)) return false;
  const hashAt = new Map(r.hashesAt);
  const checkpoints = await walk.checkpoints.upTo(upTo);
  let lastVouched = walk.vouched;
  for (const cp of checkpoints) {
    const seq = Number(cp.seq);
    const root = roots.get(seq);
    const bad =
      seq <= after ||
      checkpointFault(cp) !== undefined ||
      hashAt.get(seq) !== cp.entry_hash ||
      (cp.note !== null && (root === undefined || noteFault(cp.note, seq, root, `checkpoint ${seq}`) !== undefined));
    if (bad) return false;
    lastVouched = seq;
  }
  // Records without the strict form are rare: the walk reads each one and asks core's decoder.
  const refused: UnverifiableEntry[] = [];
  if (r.notStrict.length > 0) {
    const rows = await store.query<Row>(
      `SELECT ${COLUMNS} FROM ledger_entries WHERE seq = ANY($1::bigint[]) ORDER BY seq`,
      [`{${r.notStrict.join(',')}}`],
    );
    for (const e of rows) {
      const reason = await walk.signatures.strictFault(e);
      if (reason) refused.push({ seq: Number(e.seq), recordId: e.record_id, reason });
    }
  }
  frontier.splice(0, frontier.length, ...tree);
  walk.unverifiable.push(...refused);
  walk.checkpointsSeen += checkpoints.length;
  walk.vouched = lastVouched;
  walk.prevHash = r.lastHash;
  walk.expectSeq = upTo + 1;
  walk.count += upTo - after;
  options.onProgress?.(walk.count, Math.max(walk.startHead, walk.count));
  return true;
}

/**
 * Walks the entries up to the last checkpoint in ranges on the range workers, reading over their
 * own connections, and joins each to the walk. The walk goes on from the first entry no range
 * vouched for. False when the workers could not be used (the caller then leaves them out of the
 * subject histories too); the caller closes them.
 */
export async function walkRanges(walk: VerifyWalk, walker: RangeWalker): Promise<boolean> {
  const { options, store, lastCheckpointSeq } = walk;
  const rangeSize = Math.max(1, options.rangeSize ?? 32_768);
  let usable = true;
  const taskAt = async (k: number): Promise<RangeTask | undefined> => {
    const after = k * rangeSize;
    if (after >= lastCheckpointSeq) return undefined;
    const upTo = Math.min(lastCheckpointSeq, after + rangeSize);
    const cps = await store.query<{ seq: number; noted: boolean }>(
      'SELECT seq, note IS NOT NULL AS noted FROM checkpoints WHERE seq > $1 AND seq <= $2 ORDER BY seq',
      [after, upTo],
    );
    // Stretches end where a root is checked: a checkpoint note, the saved checkpoint, the range's end.
    const ends = new Set([upTo]);
    for (const cp of cps) if (cp.noted) ends.add(Number(cp.seq));
    if (options.since && options.since.size > after && options.since.size < upTo) ends.add(options.since.size);
    return {
      after,
      upTo,
      ends: [...ends].sort((a, b) => a - b),
      hashesAt: cps.map((cp) => Number(cp.seq)),
    };
  };
  try {
    let first = true;
    for await (const r of walker.walk(taskAt)) {
      if (first) options.onPhase?.('ranges-first');
      first = false;
      if (!(await joinRange(walk, r))) break;
    }
  } catch (error) {
    // A worker that cannot connect or load: the walk reads the rest itself (any fault in the
    // store shows there again).
    usable = false;
    options.onRangesUnavailable?.(error instanceof Error ? error.message : String(error));
  }
  // The walk goes on from the first entry no range vouched for, its checkpoints read again from there.
  walk.checkpoints.restartAfter(walk.expectSeq - 1);
  return usable;
}
