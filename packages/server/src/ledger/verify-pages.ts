// The part of verify's walk that reads the entries itself, a page at a time: every link, entry
// hash, leaf, checkpoint and due receipt, naming the first entry that does not hold up.
import { COLUMNS, canonicalLeaf, entryTexts, type Row } from './entry-text.js';
import type { LeafHasher } from './leaf-hasher.js';
import type { LedgerVerification } from './ledger-verification.js';
import { type Hash, pushBlock, pushLeaf, rootOf } from './merkle.js';
import type { CheckpointRow } from './verify-checkpoints.js';
import type { VerifyWalk } from './verify-walk.js';

/**
 * Where the stretches of a page's tree end (page-local, ascending, the last the page's length): at
 * each checkpoint carrying a note and at the saved checkpoint's size, where the walk needs the root.
 */
function stretchEnds(
  length: number,
  first: number,
  checkpoints: readonly CheckpointRow[],
  sinceSize: number | undefined,
): number[] {
  const ends = new Set<number>([length]);
  for (const cp of checkpoints) {
    const end = Number(cp.seq) - first;
    if (cp.note !== null && end > 0 && end < length) ends.add(end);
  }
  if (sinceSize !== undefined && sinceSize - first > 0 && sinceSize - first < length) ends.add(sinceSize - first);
  return [...ends].sort((a, b) => a - b);
}

/**
 * Walks the entries from `walk.expectSeq` to the last; a fault when one does not hold up, else
 * undefined with the walk's state at the last entry (the head is checked next, verify-head.ts).
 */
export async function walkPages(walk: VerifyWalk, hasher: LeafHasher): Promise<LedgerVerification | undefined> {
  const { options, store, full, lastCheckpointSeq, frontier, signatures } = walk;
  const { receiptFault, strictFault, recordFault, signerHeads } = signatures;
  const { checkpointFault, noteFault } = walk.checks;
  const pageSize = options.pageSize ?? 5000;

  const readPage = (after: number, limit: number, withReceipts: boolean) =>
    store.query<Row>(
      `SELECT ${COLUMNS}${withReceipts ? ', receipt' : ''} FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, limit],
    );

  /**
   * Something is wrong at `seq`. A forged entry that fits the chain is only exposed by its receipt,
   * so the receipts since the last good checkpoint are checked first; the earliest fault wins.
   */
  async function fault(seq: number, reason: string, recordId?: string, inclusive = false): Promise<LedgerVerification> {
    const rows = await readPage(walk.vouched, Math.max(0, seq - walk.vouched), true);
    for (const e of rows) {
      const s = Number(e.seq);
      if (s > seq || (s === seq && !inclusive)) break;
      const bad = receiptFault(e);
      if (bad) return { ok: false, count: Math.max(0, s - 1), seq: s, recordId: e.record_id, reason: bad };
    }
    return { ok: false, count: walk.count, seq, ...(recordId === undefined ? {} : { recordId }), reason };
  }

  let next = readPage(walk.expectSeq - 1, pageSize, full || walk.expectSeq - 1 + pageSize > lastCheckpointSeq);
  for (;;) {
    const page = await next;
    if (page.length === 0) break;
    const lastOfPage = Number(page.at(-1)?.seq);
    const checkpoints = await walk.checkpoints.upTo(lastOfPage);
    // Receipts are needed from the last checkpoint on (nothing later vouches for those entries).
    next = readPage(lastOfPage, pageSize, full || lastOfPage + pageSize > lastCheckpointSeq);
    let cpIndex = 0;
    // The fast body is only trusted once it has produced the stored entry hash, i.e. once it is
    // the bytes the entry hash covers: then its leaf hash is the entry's (same bytes, `leafInput`).
    const hashes = await hasher.hashPage(entryTexts(page));
    // The page's tree is hashed by the workers too, in stretches that end where a root is checked
    // (a checkpoint note, the saved checkpoint) and at the page's end; the leaf indexes assume
    // the page holds the entries expected (any gap is a fault before its stretch is used).
    const first = walk.expectSeq - 1;
    const ends = stretchEnds(page.length, first, checkpoints, options.since?.size);
    const stretches = await hasher.subtrees(first, ends);
    let stretch = 0;
    let stretchStart = 0;
    // Leaves the canonical bytes decided (the fast body missed): their stretch is pushed leaf by leaf.
    const replaced = new Map<number, Hash>();
    for (let i = 0; i < page.length; i++) {
      const e = page[i] as Row;
      const seq = Number(e.seq);
      if (seq !== walk.expectSeq) {
        await next;
        return fault(
          walk.expectSeq,
          `expected entry ${walk.expectSeq} here, found ${seq} (an entry is missing or was inserted)`,
          e.record_id,
        );
      }
      if (e.prev_hash !== walk.prevHash) {
        await next;
        return fault(seq, 'prevHash does not match the previous entry (deleted, inserted or reordered)', e.record_id);
      }
      const fast = hashes.toString('hex', i * 64, i * 64 + 32) === e.entry_hash;
      const leaf = fast ? hashes.subarray(i * 64 + 32, i * 64 + 64) : canonicalLeaf(e);
      if (!leaf) {
        await next;
        return fault(seq, 'entryHash does not match the entry (changed)', e.record_id);
      }
      if (!fast) replaced.set(i, leaf);
      if (i + 1 === ends[stretch]) {
        if (replaced.size === 0) {
          let size = first + stretchStart;
          for (const block of stretches[stretch] ?? []) {
            pushBlock(frontier, size, block.level, block.hash);
            size += 2 ** block.level;
          }
        } else {
          for (let k = stretchStart; k <= i; k++)
            pushLeaf(frontier, first + k, replaced.get(k) ?? hashes.subarray(k * 64 + 32, k * 64 + 64));
          replaced.clear();
        }
        stretchStart = i + 1;
        stretch++;
      }
      const since = options.since;
      if (since && seq === since.size && !rootOf(frontier).equals(since.root)) {
        await next;
        return {
          ok: false,
          count: walk.count,
          seq,
          reason: `the first ${seq} entries do not hash to the root of the saved checkpoint: history up to entry ${seq} was rewritten or forked since it was saved`,
        };
      }
      const refused = await strictFault(e);
      if (refused) {
        // Reported, not a break in the chain: the walk goes on, and the signer chain continues
        // from the digest stored for it.
        walk.unverifiable.push({ seq, recordId: e.record_id, reason: refused });
        signerHeads.set(e.kid, e.digest);
      }
      if (full) {
        const bad = (refused ? undefined : await recordFault(e)) ?? receiptFault(e);
        if (bad) {
          await next;
          return { ok: false, count: walk.count, seq, recordId: e.record_id, reason: bad };
        }
      } else if (seq > lastCheckpointSeq) {
        if (e.receipt === undefined) {
          await next;
          const rows = await store.query<{ receipt: string }>('SELECT receipt FROM ledger_entries WHERE seq = $1', [
            seq,
          ]);
          if (rows[0]) e.receipt = rows[0].receipt;
        }
        const bad = receiptFault(e);
        if (bad) {
          await next;
          return { ok: false, count: walk.count, seq, recordId: e.record_id, reason: bad };
        }
      }
      while (cpIndex < checkpoints.length && Number(checkpoints[cpIndex]?.seq) < seq) cpIndex++;
      const cp = checkpoints[cpIndex];
      if (cp && Number(cp.seq) === seq) {
        walk.checkpointsSeen++;
        const bad =
          checkpointFault(cp) ??
          (cp.entry_hash === e.entry_hash ? undefined : `entry ${seq} differs from its signed checkpoint`) ??
          (cp.note === null ? undefined : noteFault(cp.note, seq, rootOf(frontier), `checkpoint ${seq}`));
        if (bad) {
          await next;
          return fault(seq, bad, undefined, true);
        }
        walk.vouched = seq;
      }
      walk.prevHash = e.entry_hash;
      walk.expectSeq = seq + 1;
      walk.count++;
    }
    options.onProgress?.(walk.count, Math.max(walk.startHead, walk.count));
  }
  return undefined;
}
