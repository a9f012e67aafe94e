/**
 * The ledger's hash chain (R72): each entry's hash covers its predecessor's, so a modified,
 * deleted, inserted or reordered entry breaks every later link. A truncated tail leaves a valid
 * shorter chain, which only a published or signed checkpoint `{ seq, entryHash }` can expose.
 */
import { canonicalize, type JsonObject, type JsonValue } from './canonical-json.js';
import { concatBytes, hexDecode, utf8Encode } from './encoding.js';
import { sha256Hex } from './hash.js';

/** The `prevHash` of the first entry: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

/** A stored entry: its body (including `seq` and `prevHash`) plus `entryHash` over that body. */
export type ChainEntry = JsonObject & { seq: number; prevHash: string; entryHash: string };
export type ChainCheckpoint = { seq: number; entryHash: string };
export type ChainFailureReason = 'malformed' | 'seq' | 'prev-hash' | 'entry-hash' | 'checkpoint' | 'truncated';
export type ChainVerification =
  | { ok: true; count: number }
  | { ok: false; index: number; seq: number | null; reason: ChainFailureReason };

const HASH = /^[0-9a-f]{64}$/;

/** `sha256Hex(hexDecode(prevHash) ‖ utf8(canonicalize(entry)))`. */
export async function entryHash(options: { prevHash: string; entry: JsonValue }): Promise<string> {
  return sha256Hex(concatBytes(hexDecode(options.prevHash), utf8Encode(canonicalize(options.entry))));
}

/** The body an entry's hash covers: the entry without its own `entryHash`. */
function bodyOf(entry: ChainEntry): JsonObject {
  const { entryHash: _omit, ...body } = entry;
  return body;
}

/**
 * Verifies `entries` (in stored order, starting at the genesis entry): consecutive `seq`, each
 * `prevHash` equal to the previous `entryHash`, each `entryHash` recomputed. With a checkpoint,
 * the chain must reach `checkpoint.seq` and have that exact hash there.
 */
export async function verifyChain(
  entries: readonly ChainEntry[],
  options: { checkpoint?: ChainCheckpoint } = {},
): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let prevSeq: number | undefined;
  const { checkpoint } = options;
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index] as ChainEntry;
    const seq = typeof entry?.seq === 'number' ? entry.seq : null;
    const fail = (reason: ChainFailureReason): ChainVerification => ({ ok: false, index, seq, reason });
    if (seq === null || !Number.isSafeInteger(seq) || !HASH.test(entry.prevHash) || !HASH.test(entry.entryHash)) {
      return fail('malformed');
    }
    if (prevSeq !== undefined && seq !== prevSeq + 1) return fail('seq');
    if (entry.prevHash !== prevHash) return fail('prev-hash');
    let computed: string;
    try {
      computed = await entryHash({ prevHash, entry: bodyOf(entry) });
    } catch {
      return fail('malformed');
    }
    if (computed !== entry.entryHash) return fail('entry-hash');
    if (checkpoint && seq === checkpoint.seq && computed !== checkpoint.entryHash) return fail('checkpoint');
    prevHash = computed;
    prevSeq = seq;
  }
  if (checkpoint && (prevSeq === undefined || prevSeq < checkpoint.seq)) {
    return { ok: false, index: entries.length, seq: checkpoint.seq, reason: 'truncated' };
  }
  return { ok: true, count: entries.length };
}
