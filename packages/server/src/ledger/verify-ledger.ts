// verifyLedger, the entry of `consentkit verify`: one streaming walk of the ledger that names the
// first bad entry. Its parts: the contract (ledger-verification.ts), the walk's state
// (verify-walk.ts), its signature and checkpoint checks (verify-signatures.ts,
// verify-checkpoints.ts), the range workers' stretch (verify-ranges.ts), the pages the walk reads
// itself (verify-pages.ts) and the head it ends at (verify-head.ts).
import { createLeafHasher, type LeafHasher } from './leaf-hasher.js';
import type { LedgerVerification, VerifyLedgerOptions } from './ledger-verification.js';
import { createRangeWalker, type RangeWalker } from './range-walk.js';
import { checkHead } from './verify-head.js';
import { walkPages } from './verify-pages.js';
import { walkRanges } from './verify-ranges.js';
import { startWalk } from './verify-walk.js';

// The bench and tests read the walk's inputs from here.
export { COLUMNS, entryTexts } from './entry-text.js';
export type {
  LedgerFault,
  LedgerVerification,
  UnverifiableEntry,
  VerifyLedgerOptions,
} from './ledger-verification.js';

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
  const state = await startWalk(options);
  options.onPhase?.('prepare');
  // On PostgreSQL, for a ledger large enough to win back their start, workers with connections of
  // their own read the entries a checkpoint vouches for (no receipt to check) and then the subject
  // histories. They start with their first task.
  const { databaseUrl } = options;
  const { lastCheckpointSeq } = state;
  let workers: RangeWalker | undefined =
    databaseUrl && lastCheckpointSeq > 0 && lastCheckpointSeq >= (options.rangesFrom ?? 100_000)
      ? createRangeWalker({ databaseUrl, ...(options.rangeThreads ? { threads: options.rangeThreads } : {}) })
      : undefined;
  try {
    if (workers && !state.full) {
      // Workers that failed here are not asked again: the histories are read on this thread.
      if (!(await walkRanges(state, workers))) {
        await workers.close();
        workers = undefined;
      }
      options.onPhase?.('ranges');
    }
    const fault = await walkPages(state, hasher);
    options.onPhase?.('pages');
    // checkHead tells its own two parts: the head's checks, then the subject histories.
    return fault ?? (await checkHead(state, workers));
  } finally {
    await workers?.close();
  }
}
