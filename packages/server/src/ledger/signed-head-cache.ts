import type { Queryable } from '../platform/store/store.js';
import { type SignedHead, signedHeadOf } from './log-proofs.js';

/**
 * The signed head as read at most `maxAgeMs` ago, for the proof routes: under load an inclusion
 * proof is otherwise two round trips to the database (the head, then the nodes), and the head is
 * the one that changes least usefully for the asker (every append re-signs it; a proof against a
 * head a second old is as checkable as one against the newest). Whoever needs a newer head, a leaf
 * or size past the one held, asks for `fresh()`; the note is always one the ledger signed (R72).
 */
export type SignedHeadCache = {
  /** The head read at most `maxAgeMs` ago (read now when older). */
  get(): Promise<SignedHead>;
  /** The head read now. */
  fresh(): Promise<SignedHead>;
};

export type SignedHeadCacheOptions = {
  readonly store: Queryable;
  /** How old a held head may be (default 1,000 ms: the most an append may leave its head unsigned). */
  readonly maxAgeMs?: number;
  /** The clock, in ms (tests). */
  readonly now?: () => number;
};

export function createSignedHeadCache(options: SignedHeadCacheOptions): SignedHeadCache {
  const maxAgeMs = options.maxAgeMs ?? 1000;
  const now = options.now ?? (() => performance.now());
  let held: { head: Promise<SignedHead>; at: number } | undefined;

  function fresh(): Promise<SignedHead> {
    const at = now();
    const head = signedHeadOf(options.store);
    held = { head, at };
    // A failed read is not held: the next call reads again.
    head.catch(() => {
      if (held?.head === head) held = undefined;
    });
    return head;
  }

  return {
    get() {
      // Concurrent askers share one read (the promise is held, not its result).
      return held && now() - held.at <= maxAgeMs ? held.head : fresh();
    },
    fresh,
  };
}
