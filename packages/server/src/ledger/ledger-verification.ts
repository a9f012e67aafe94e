// The contract of verifyLedger (verify-ledger.ts): what it takes and the verdict it answers
// (`consentkit verify`, the admin status and the backup import read it), apart from the walk.
import type { PublicJwk } from '@consentkit/core';
import type { Queryable } from '../platform/store/store.js';
import type { Ledger } from './ledger.js';
import type { HistoryCheck } from './verify-histories.js';

/** The first entry that does not hold up, and why. */
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

/**
 * The parts of verify's walk, in the order they end (`consentkit verify --timings` times each):
 * reading what the walk starts from; on PostgreSQL, the range workers starting (modules, a
 * connection each) until the first range is answered, then the rest of their stretch; the pages the
 * walk reads itself; the head's checks; holding the subject histories to the entries.
 */
export type VerifyPhase = 'prepare' | 'ranges-first' | 'ranges' | 'pages' | 'head' | 'histories';

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
   * Told as each part of the walk ends, in order (`verify --timings` reads its clock then); a part
   * that does not run (no range workers) is not told. It changes nothing the walk checks.
   */
  readonly onPhase?: (phase: VerifyPhase) => void;
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
