// Over 400 lines as one concept: one streaming walk of the ledger (chain, tree, checkpoints,
// receipts, strict decoding) that must name the first bad entry; its checks share the walk's state.
import { decodeJws, GENESIS_HASH, type PublicJwk, utf8Decode } from '@consentkit/core';
import { createKeyCache, hasStrictForm, verifyCompactWith, verifyRecordFast } from '../ingest/record-verifier.js';
import type { Queryable } from '../platform/store/store.js';
import { openCheckpointNote } from './checkpoint-note.js';
import { type CheckpointClaims, receiptMatches } from './entry.js';
import { COLUMNS, canonicalLeaf, entryTexts, type Row } from './entry-text.js';
import { createLeafHasher, type LeafHasher } from './leaf-hasher.js';
import type { Ledger } from './ledger.js';
import { type Hash, pushBlock, pushLeaf, rootOf } from './merkle.js';
import { createRangeWalker, type RangeOutcome, type RangeTask } from './range-walk.js';
import { type HistoryCheck, verifyHistories } from './verify-histories.js';

// The bench and tests read the walk's inputs from here.
export { COLUMNS, entryTexts } from './entry-text.js';

/**
 * Walks the whole ledger in constant memory and names the first entry that does not hold up.
 *
 * What makes the stored ledger tamper-evident is the hash chain plus what the ledger key signed:
 * checkpoints every N entries and a receipt per entry. So the default walk recomputes every
 * entry's hash and link, checks every signed checkpoint as it passes it, and checks receipts where
 * no checkpoint vouches for the chain (the entries after the last one), and, when something is
 * wrong, for the stretch before the fault so the report names the first bad entry. Record
 * signatures were verified on the way in and the chain proves the records unchanged since; every
 * record's bytes are still checked against core's strict decoder (cheaply, by its strict form), so
 * an entry an older, lenient ingest stored is reported as unverifiable (it would break exports);
 * `signatures: true` (`consentkit verify --signatures`) re-verifies every device signature, signer
 * chain and receipt as well (about 20× slower: one signature check per entry).
 *
 * The walk also recomputes the Merkle tree (RFC 9162) from the entries: every checkpoint note
 * must carry the root of its size, and the head's signed note must name exactly the entries
 * found and their root (R72). What a holder of the database and the master key can still do
 * (re-sign a shorter or different ledger) only `verify --since` or a witness shows.
 */
export type LedgerFault = { readonly seq: number; readonly recordId?: string; readonly reason: string };
/** An entry whose record core's strict decoder refuses: stored intact (the chain holds), but unreadable as proof. */
export type UnverifiableEntry = { readonly seq: number; readonly recordId: string; readonly reason: string };
export type LedgerVerification =
  | {
      readonly ok: true;
      readonly count: number;
      readonly checkpoints: number;
      readonly headSeq: number;
      /** The Merkle root of all `count` entries, base64, as the head's signed note carries it. */
      readonly root: string;
      /** The head's signed checkpoint note. */
      readonly checkpoint: string;
      /** The subject histories held to the entries (absent when not asked for). */
      readonly histories?: HistoryCheck;
      /**
       * Entries the chain covers whose record the strict decoder refuses (stored by an older, more
       * lenient ingest). The chain is intact; `consentkit verify` still reports them and exits 1.
       */
      readonly unverifiable: readonly UnverifiableEntry[];
    }
  | ({
      readonly ok: false;
      readonly count: number;
      /** Set when the entries hold but subject history rows do not match them (verify-histories.ts). */
      readonly histories?: HistoryCheck;
    } & LedgerFault);

export type VerifyLedgerOptions = {
  readonly store: Queryable;
  readonly ledger: Ledger;
  /** The ledger's public keys (JWKS), for receipts and checkpoints. */
  readonly keys: ReadonlyArray<PublicJwk & { kid: string }>;
  readonly pageSize?: number;
  /** Also re-verify every record's signature and signer chain, and every receipt. */
  readonly signatures?: boolean;
  /** The ledger's checkpoint-note keys (raw Ed25519); read from the keys table when absent. */
  readonly checkpointKeys?: readonly Uint8Array[];
  /**
   * A checkpoint saved earlier (`verify --since`): the ledger must extend it, i.e. its first
   * `size` entries must hash to that root. Fails on a truncation, fork or rewrite even when the
   * head was re-signed, because the saved root came from outside the database.
   */
  readonly since?: { readonly origin: string; readonly size: number; readonly root: Buffer };
  /**
   * Also hold every subject history row to the entries (verify-histories.ts); default true. Off
   * only where the histories are known to be rebuilt next (a backup being imported).
   */
  readonly histories?: boolean;
  /** After each page: entries checked so far, and the head's seq when the walk began. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * The PostgreSQL the store reads (DATABASE_URL). When given, the entries up to the last
   * checkpoint are checked in ranges by workers that read them over their own connections
   * (range-walk.ts); the walk's thread only joins the ranges. Without it (PGlite, which one process
   * holds; or `signatures`), the walk reads every row itself.
   */
  readonly databaseUrl?: string;
  /** Entries per worker range (default 32,768); tests use small, odd sizes. */
  readonly rangeSize?: number;
  /** Range workers (default one per core). */
  readonly rangeThreads?: number;
  /**
   * The fewest entries vouched for by a checkpoint for which the range workers start (default
   * 100,000): each loads its modules and opens a connection, seconds on a loaded machine, which a
   * smaller ledger would not win back.
   */
  readonly rangesFrom?: number;
  /**
   * Told why, when the range workers could not be used (no connection, a module that would not
   * load): the walk then reads every row itself, with the same verdict, only slower.
   */
  readonly onRangesUnavailable?: (reason: string) => void;
};

type CheckpointRow = { seq: number; entry_hash: string; jws: string; note: string | null };
type HeadRow = { seq: number; entry_hash: string; origin: string | null; checkpoint: string | null };

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

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

export async function verifyLedger(options: VerifyLedgerOptions): Promise<LedgerVerification> {
  // The entry and leaf hashes of each page are made on every core (leaf-hasher.ts).
  const hasher = createLeafHasher();
  try {
    return await walk(options, hasher);
  } finally {
    await hasher.close();
  }
}

async function walk(options: VerifyLedgerOptions, hasher: LeafHasher): Promise<LedgerVerification> {
  const { store } = options;
  const pageSize = options.pageSize ?? 5000;
  const full = options.signatures === true;
  const jwks = new Map(options.keys.map((k) => [k.kid, k]));
  const noteKeys =
    options.checkpointKeys ??
    (await store.query<{ public_jwk: string }>("SELECT public_jwk FROM keys WHERE purpose = 'checkpoint'")).map((r) =>
      Buffer.from((JSON.parse(r.public_jwk) as { x: string }).x, 'base64url'),
    );
  const frontier: Hash[] = [];
  const keys = createKeyCache();

  /** Verifies a JWS made by the ledger key; the payload, or the reason it fails. */
  function ledgerSigned(jws: string): string | { reason: string } {
    try {
      const decoded = decodeJws(jws);
      const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
      const jwk = kid === undefined ? undefined : jwks.get(kid);
      if (!jwk || kid === undefined) return { reason: 'no key is known for this JWS' };
      verifyCompactWith(decoded.header, decoded.signingInput, decoded.signature, keys.known(kid, jwk));
      return utf8Decode(decoded.payload);
    } catch (error) {
      return { reason: errorText(error) };
    }
  }

  function receiptFault(e: Row): string | undefined {
    if (e.receipt === undefined) return 'receipt: missing';
    const payload = ledgerSigned(e.receipt);
    if (typeof payload !== 'string') return `receipt: ${payload.reason}`;
    const entry = {
      recordId: e.record_id,
      digest: e.digest,
      seq: Number(e.seq),
      receivedAt: e.received_at,
      entryHash: e.entry_hash,
    };
    return receiptMatches(payload, entry) ? undefined : 'the receipt does not match the entry';
  }

  /**
   * Why core's strict decoder refuses the stored record, or undefined. Every record the product
   * writes has the strict form, proven cheaply; anything else gets core's full verdict.
   */
  async function strictFault(e: Row): Promise<string | undefined> {
    if (hasStrictForm(e.jws)) return undefined;
    try {
      await verifyRecordFast(e.jws, keys);
      return undefined;
    } catch (error) {
      return errorText(error);
    }
  }
  const unverifiable: UnverifiableEntry[] = [];

  const signerHeads = new Map<string, string>();
  async function recordFault(e: Row): Promise<string | undefined> {
    let verified: Awaited<ReturnType<typeof verifyRecordFast>>;
    try {
      verified = await verifyRecordFast(e.jws, keys);
    } catch (error) {
      return `record signature: ${errorText(error)}`;
    }
    if (verified.digest !== e.digest || verified.record.id !== e.record_id || verified.header.kid !== e.kid) {
      return 'the stored id, kid or digest does not match the signed record';
    }
    if (verified.record.prev !== (signerHeads.get(e.kid) ?? null)) return `signer chain of key ${e.kid} is broken`;
    signerHeads.set(e.kid, e.digest);
    return undefined;
  }

  const readPage = (after: number, limit: number, withReceipts: boolean) =>
    store.query<Row>(
      `SELECT ${COLUMNS}${withReceipts ? ', receipt' : ''} FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, limit],
    );

  // Checkpoints are read a page at a time too, merged into the walk by seq.
  let checkpointsSeen = 0;
  let cpBuffer: CheckpointRow[] = [];
  let cpAfter = 0;
  let cpDone = false;
  async function checkpointsUpTo(seq: number): Promise<CheckpointRow[]> {
    const due: CheckpointRow[] = [];
    for (;;) {
      while (cpBuffer.length > 0 && Number(cpBuffer[0]?.seq) <= seq) due.push(cpBuffer.shift() as CheckpointRow);
      if (cpBuffer.length > 0 || cpDone) return due;
      cpBuffer = await store.query<CheckpointRow>(
        'SELECT seq, entry_hash, jws, note FROM checkpoints WHERE seq > $1 ORDER BY seq LIMIT 1000',
        [cpAfter],
      );
      if (cpBuffer.length === 0) cpDone = true;
      else cpAfter = Number(cpBuffer.at(-1)?.seq);
    }
  }
  const lastCheckpointSeq = Number(
    (await store.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM checkpoints'))[0]?.seq ?? 0,
  );

  /** Checks a checkpoint's signature and claims; a reason when it does not hold. */
  function checkpointFault(cp: CheckpointRow): string | undefined {
    const seq = Number(cp.seq);
    const payload = ledgerSigned(cp.jws);
    if (typeof payload !== 'string') return `checkpoint ${seq}: ${payload.reason}`;
    try {
      const claims = JSON.parse(payload) as CheckpointClaims;
      if (claims.seq !== seq || claims.entryHash !== cp.entry_hash) return `checkpoint ${seq}: does not match its row`;
    } catch (error) {
      return `checkpoint ${seq}: ${errorText(error)}`;
    }
    return undefined;
  }

  /** A checkpoint note must be the ledger's, for its own size, with the root the entries give. */
  function noteFault(note: string, size: number, root: Hash, what: string): string | undefined {
    const opened = openCheckpointNote(note, noteKeys);
    if ('reason' in opened) return `${what}: ${opened.reason}`;
    if (opened.size !== size) return `${what} is signed for ${opened.size} entries, not ${size}`;
    if (!opened.root.equals(root))
      return `${what}: its Merkle root ${opened.root.toString('base64')} is not the root of the entries (${root.toString('base64')})`;
    return undefined;
  }

  let count = 0;
  /** The last seq a verified checkpoint vouches for: receipts before it need no check. */
  let vouched = 0;

  /**
   * Something is wrong at `seq`. A forged entry that fits the chain is only exposed by its receipt,
   * so the receipts since the last good checkpoint are checked first; the earliest fault wins.
   */
  async function fault(seq: number, reason: string, recordId?: string, inclusive = false): Promise<LedgerVerification> {
    const rows = await readPage(vouched, Math.max(0, seq - vouched), true);
    for (const e of rows) {
      const s = Number(e.seq);
      if (s > seq || (s === seq && !inclusive)) break;
      const bad = receiptFault(e);
      if (bad) return { ok: false, count: Math.max(0, s - 1), seq: s, recordId: e.record_id, reason: bad };
    }
    return { ok: false, count, seq, ...(recordId === undefined ? {} : { recordId }), reason };
  }

  // Only for progress: the walk itself trusts nothing it has not checked, the head included.
  const startHead = options.onProgress
    ? Number((await store.query<{ seq: number }>('SELECT seq FROM ledger_head WHERE id = 1'))[0]?.seq ?? 0)
    : 0;
  let expectSeq = 1;
  let prevHash = GENESIS_HASH;

  /**
   * Joins a range the workers checked to the walk: its first link, its subtrees (the roots the
   * checkpoint notes and the saved checkpoint need), its checkpoints, its records' strict form.
   * False when anything does not hold: the walk then walks the range itself, from its first
   * entry, so the report names the first bad entry exactly as the one-thread walk does.
   */
  async function joinRange(r: RangeOutcome): Promise<boolean> {
    const { after, upTo, ends } = r.task;
    if (r.fault || r.firstPrev !== prevHash || r.lastHash === null) return false;
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
    const checkpoints = await checkpointsUpTo(upTo);
    let lastVouched = vouched;
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
        const reason = await strictFault(e);
        if (reason) refused.push({ seq: Number(e.seq), recordId: e.record_id, reason });
      }
    }
    frontier.splice(0, frontier.length, ...tree);
    unverifiable.push(...refused);
    checkpointsSeen += checkpoints.length;
    vouched = lastVouched;
    prevHash = r.lastHash;
    expectSeq = upTo + 1;
    count += upTo - after;
    options.onProgress?.(count, Math.max(startHead, count));
    return true;
  }

  // The entries a checkpoint vouches for (no receipt to check) go to the range workers on PostgreSQL.
  if (options.databaseUrl && !full && lastCheckpointSeq > 0 && lastCheckpointSeq >= (options.rangesFrom ?? 100_000)) {
    const rangeSize = Math.max(1, options.rangeSize ?? 32_768);
    const walker = createRangeWalker({
      databaseUrl: options.databaseUrl,
      ...(options.rangeThreads ? { threads: options.rangeThreads } : {}),
    });
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
      for await (const r of walker.walk(taskAt)) if (!(await joinRange(r))) break;
    } catch (error) {
      // A worker that cannot connect or load: the walk reads the rest itself (any fault in the
      // store shows there again).
      options.onRangesUnavailable?.(error instanceof Error ? error.message : String(error));
    } finally {
      await walker.close();
    }
    // The walk goes on from the first entry no range vouched for, its checkpoints read again from there.
    cpBuffer = [];
    cpAfter = expectSeq - 1;
    cpDone = false;
  }
  let next = readPage(expectSeq - 1, pageSize, full || expectSeq - 1 + pageSize > lastCheckpointSeq);
  for (;;) {
    const page = await next;
    if (page.length === 0) break;
    const lastOfPage = Number(page.at(-1)?.seq);
    const checkpoints = await checkpointsUpTo(lastOfPage);
    // Receipts are needed from the last checkpoint on (nothing later vouches for those entries).
    next = readPage(lastOfPage, pageSize, full || lastOfPage + pageSize > lastCheckpointSeq);
    let cpIndex = 0;
    // The fast body is only trusted once it has produced the stored entry hash, i.e. once it is
    // the bytes the entry hash covers: then its leaf hash is the entry's (same bytes, `leafInput`).
    const hashes = await hasher.hashPage(entryTexts(page));
    // The page's tree is hashed by the workers too, in stretches that end where a root is checked
    // (a checkpoint note, the saved checkpoint) and at the page's end; the leaf indexes assume
    // the page holds the entries expected (any gap is a fault before its stretch is used).
    const first = expectSeq - 1;
    const ends = stretchEnds(page.length, first, checkpoints, options.since?.size);
    const stretches = await hasher.subtrees(first, ends);
    let stretch = 0;
    let stretchStart = 0;
    // Leaves the canonical bytes decided (the fast body missed): their stretch is pushed leaf by leaf.
    const replaced = new Map<number, Hash>();
    for (let i = 0; i < page.length; i++) {
      const e = page[i] as Row;
      const seq = Number(e.seq);
      if (seq !== expectSeq) {
        await next;
        return fault(
          expectSeq,
          `expected entry ${expectSeq} here, found ${seq} (an entry is missing or was inserted)`,
          e.record_id,
        );
      }
      if (e.prev_hash !== prevHash) {
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
          count,
          seq,
          reason: `the first ${seq} entries do not hash to the root of the saved checkpoint: history up to entry ${seq} was rewritten or forked since it was saved`,
        };
      }
      const refused = await strictFault(e);
      if (refused) {
        // Reported, not a break in the chain: the walk goes on, and the signer chain continues
        // from the digest stored for it.
        unverifiable.push({ seq, recordId: e.record_id, reason: refused });
        signerHeads.set(e.kid, e.digest);
      }
      if (full) {
        const bad = (refused ? undefined : await recordFault(e)) ?? receiptFault(e);
        if (bad) {
          await next;
          return { ok: false, count, seq, recordId: e.record_id, reason: bad };
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
          return { ok: false, count, seq, recordId: e.record_id, reason: bad };
        }
      }
      while (cpIndex < checkpoints.length && Number(checkpoints[cpIndex]?.seq) < seq) cpIndex++;
      const cp = checkpoints[cpIndex];
      if (cp && Number(cp.seq) === seq) {
        checkpointsSeen++;
        const bad =
          checkpointFault(cp) ??
          (cp.entry_hash === e.entry_hash ? undefined : `entry ${seq} differs from its signed checkpoint`) ??
          (cp.note === null ? undefined : noteFault(cp.note, seq, rootOf(frontier), `checkpoint ${seq}`));
        if (bad) {
          await next;
          return fault(seq, bad, undefined, true);
        }
        vouched = seq;
      }
      prevHash = e.entry_hash;
      expectSeq = seq + 1;
      count++;
    }
    options.onProgress?.(count, Math.max(startHead, count));
  }
  const lastSeq = expectSeq - 1;
  // A checkpoint past the last entry: the tail was dropped (R72).
  const beyond = await checkpointsUpTo(Number.MAX_SAFE_INTEGER);
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
  // The entries hold: now what the state queries answer from must be exactly what they say.
  const histories = options.histories === false ? undefined : await verifyHistories({ store, verifiedUpTo: lastSeq });
  const firstHistoryFault = histories?.faults[0];
  if (histories && firstHistoryFault) {
    const n = histories.faults.length + histories.more;
    return {
      ok: false,
      count,
      seq: firstHistoryFault.seq ?? 0,
      reason: `${n} subject history row${n === 1 ? ' does' : 's do'} not match the entries (the state and bulk queries answer from them)`,
      histories,
    };
  }
  return {
    ok: true,
    count,
    ...(histories ? { histories } : {}),
    checkpoints: checkpointsSeen,
    headSeq,
    root: root.toString('base64'),
    checkpoint: head.checkpoint,
    unverifiable,
  };
}
