// The end of verify's walk: no checkpoint past the last entry, the saved checkpoint (`--since`)
// and the head's signed note agree with the entries found, and the subject histories hold to them.
import { openCheckpointNote } from './checkpoint-note.js';
import type { LedgerVerification } from './ledger-verification.js';
import { rootOf } from './merkle.js';
import type { RangeWalker } from './range-walk.js';
import { verifyHistories } from './verify-histories.js';
import type { VerifyWalk } from './verify-walk.js';

type HeadRow = { seq: number; entry_hash: string; origin: string | null; checkpoint: string | null };

/**
 * The verdict once every entry held (the walk's state is at the last entry). `workers`: the range
 * workers, when the walk has them, check the histories in slices.
 */
export async function checkHead(walk: VerifyWalk, workers?: RangeWalker): Promise<LedgerVerification> {
  const { options } = walk;
  const head = await checkSignedHead(walk);
  options.onPhase?.('head');
  if (!head.ok) return head;
  // The entries hold: now what the state queries answer from must be exactly what they say.
  if (options.histories === false) return head;
  const histories = await verifyHistories({
    store: walk.store,
    verifiedUpTo: walk.expectSeq - 1,
    ...(workers ? { workers } : {}),
  });
  options.onPhase?.('histories');
  const firstHistoryFault = histories.faults[0];
  if (firstHistoryFault) {
    const n = histories.faults.length + histories.more;
    return {
      ok: false,
      count: walk.count,
      seq: firstHistoryFault.seq ?? 0,
      reason: `${n} subject history row${n === 1 ? ' does' : 's do'} not match the entries (the state and bulk queries answer from them)`,
      histories,
    };
  }
  return { ...head, histories };
}

/** Everything but the histories: checkpoints past the end, the saved checkpoint, the signed head. */
async function checkSignedHead(walk: VerifyWalk): Promise<LedgerVerification> {
  const { options, store, frontier, noteKeys, unverifiable, count, checkpointsSeen, prevHash } = walk;
  const { checkpointFault, noteFault } = walk.checks;
  const lastSeq = walk.expectSeq - 1;
  // A checkpoint past the last entry: the tail was dropped (R72).
  const beyond = await walk.checkpoints.upTo(Number.MAX_SAFE_INTEGER);
  for (const cp of beyond) {
    const seq = Number(cp.seq);
    const bad = checkpointFault(cp);
    if (bad) return { ok: false, count, seq, reason: bad };
    return {
      ok: false,
      count,
      seq,
      reason: `checkpoint ${seq} is past the last entry ${lastSeq} (the tail was dropped)`,
    };
  }
  const head = (
    await store.query<HeadRow>('SELECT seq, entry_hash, origin, checkpoint FROM ledger_head WHERE id = 1')
  )[0];
  const root = rootOf(frontier);
  if (options.since && options.since.size > lastSeq) {
    return {
      ok: false,
      count,
      seq: lastSeq + 1,
      reason: `the saved checkpoint is for ${options.since.size} entries, the ledger holds ${lastSeq}: the tail was cut since it was saved`,
    };
  }
  if (options.since && options.since.size === 0 && lastSeq === 0 && !root.equals(options.since.root)) {
    return { ok: false, count, seq: 1, reason: 'the saved checkpoint is not of this ledger' };
  }
  // The signed head: never absent, and exactly the entries found (R72). Its size, not the head
  // row's (which anyone with SQL can set), says where a cut tail began.
  if (!head?.checkpoint) {
    return { ok: false, count, seq: lastSeq + 1, reason: 'the head carries no signed checkpoint' };
  }
  const signedHead = openCheckpointNote(head.checkpoint, noteKeys);
  if ('reason' in signedHead)
    return { ok: false, count, seq: lastSeq + 1, reason: `the signed head: ${signedHead.reason}` };
  if (signedHead.origin !== head.origin) {
    return {
      ok: false,
      count,
      seq: lastSeq + 1,
      reason: `the signed head names the log "${signedHead.origin}", the head row "${head.origin}"`,
    };
  }
  if (signedHead.size > lastSeq) {
    return {
      ok: false,
      count,
      seq: lastSeq + 1,
      reason: `the signed head is for ${signedHead.size} entries, the ledger holds ${lastSeq}: entries ${lastSeq + 1}–${signedHead.size} are missing (the tail was cut)`,
    };
  }
  if (signedHead.size < lastSeq) {
    return {
      ok: false,
      count,
      seq: signedHead.size + 1,
      reason: `the signed head is for ${signedHead.size} entries, the ledger holds ${lastSeq}: entries ${signedHead.size + 1}–${lastSeq} are signed by no head`,
    };
  }
  const headFault = noteFault(head.checkpoint, lastSeq, root, 'the signed head');
  if (headFault) return { ok: false, count, seq: lastSeq, reason: headFault };
  const headSeq = Number(head.seq ?? 0);
  if (headSeq !== lastSeq || (lastSeq > 0 && head?.entry_hash !== prevHash)) {
    return {
      ok: false,
      count,
      seq: Math.min(headSeq, lastSeq + 1),
      reason: `the head (${headSeq}) does not match the last entry (${lastSeq})`,
    };
  }
  return {
    ok: true,
    count,
    checkpoints: checkpointsSeen,
    headSeq,
    root: root.toString('base64'),
    checkpoint: head.checkpoint,
    unverifiable,
  };
}
