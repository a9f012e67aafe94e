// The state verify's walk carries from the range workers' stretch through the pages to the head
// (verify-ranges.ts, verify-pages.ts, verify-head.ts): what is fixed when it starts, and how far
// it has checked.
import { GENESIS_HASH } from '@consentkit/core';
import type { Queryable } from '../platform/store/store.js';
import type { UnverifiableEntry, VerifyLedgerOptions } from './ledger-verification.js';
import type { Hash } from './merkle.js';
import {
  type CheckpointChecks,
  type CheckpointReader,
  createCheckpointChecks,
  createCheckpointReader,
  readCheckpointKeys,
  readLastCheckpointSeq,
} from './verify-checkpoints.js';
import { createSignatureChecks, type SignatureChecks } from './verify-signatures.js';

export type VerifyWalk = {
  readonly options: VerifyLedgerOptions;
  readonly store: Queryable;
  /** `signatures`: every record's signature, signer chain and receipt is checked. */
  readonly full: boolean;
  readonly noteKeys: readonly Uint8Array[];
  readonly signatures: SignatureChecks;
  readonly checkpoints: CheckpointReader;
  readonly checks: CheckpointChecks;
  readonly lastCheckpointSeq: number;
  /** The head's seq when the walk began, 0 unless progress is asked for. */
  readonly startHead: number;
  /** The Merkle tree of the entries checked so far (its frontier). */
  readonly frontier: Hash[];
  readonly unverifiable: UnverifiableEntry[];
  /** Entries checked so far. */
  count: number;
  /** The last seq a verified checkpoint vouches for: receipts before it need no check. */
  vouched: number;
  checkpointsSeen: number;
  /** The next entry's seq, and the entry hash it must link to. */
  expectSeq: number;
  prevHash: string;
};

export async function startWalk(options: VerifyLedgerOptions): Promise<VerifyWalk> {
  const { store } = options;
  const noteKeys = options.checkpointKeys ?? (await readCheckpointKeys(store));
  const signatures = createSignatureChecks(options.keys);
  const lastCheckpointSeq = await readLastCheckpointSeq(store);
  // Only for progress: the walk itself trusts nothing it has not checked, the head included.
  const startHead = options.onProgress
    ? Number((await store.query<{ seq: number }>('SELECT seq FROM ledger_head WHERE id = 1'))[0]?.seq ?? 0)
    : 0;
  return {
    options,
    store,
    full: options.signatures === true,
    noteKeys,
    signatures,
    checkpoints: createCheckpointReader(store),
    checks: createCheckpointChecks({ ledgerSigned: signatures.ledgerSigned, noteKeys }),
    lastCheckpointSeq,
    startHead,
    frontier: [],
    unverifiable: [],
    count: 0,
    vouched: 0,
    checkpointsSeen: 0,
    expectSeq: 1,
    prevHash: GENESIS_HASH,
  };
}
