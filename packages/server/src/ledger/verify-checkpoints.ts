// The checkpoints as verify (verify-ledger.ts) meets them: read a page at a time beside the
// entries, each checked for the ledger key's signature, its row and its note's Merkle root.
import type { Queryable } from '../platform/store/store.js';
import { openCheckpointNote } from './checkpoint-note.js';
import type { CheckpointClaims } from './entry.js';
import type { Hash } from './merkle.js';
import { errorText, type SignatureChecks } from './verify-signatures.js';

export type CheckpointRow = { seq: number; entry_hash: string; jws: string; note: string | null };

/** The ledger's checkpoint-note keys (raw Ed25519), as the keys table holds them. */
export async function readCheckpointKeys(store: Queryable): Promise<Uint8Array[]> {
  return (await store.query<{ public_jwk: string }>("SELECT public_jwk FROM keys WHERE purpose = 'checkpoint'")).map(
    (r) => Buffer.from((JSON.parse(r.public_jwk) as { x: string }).x, 'base64url'),
  );
}

/** The seq of the last checkpoint (0 when there is none): receipts after it are what vouches for those entries. */
export async function readLastCheckpointSeq(store: Queryable): Promise<number> {
  return Number((await store.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM checkpoints'))[0]?.seq ?? 0);
}

export type CheckpointReader = {
  /** The checkpoints not yet taken up to `seq`, in order. */
  upTo(seq: number): Promise<CheckpointRow[]>;
  /** Reads again from the first checkpoint after `seq` (the walk resumes there). */
  restartAfter(seq: number): void;
};

/** Checkpoints are read a page at a time too, merged into the walk by seq. */
export function createCheckpointReader(store: Queryable): CheckpointReader {
  let cpBuffer: CheckpointRow[] = [];
  let cpAfter = 0;
  let cpDone = false;
  return {
    async upTo(seq) {
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
    },
    restartAfter(seq) {
      cpBuffer = [];
      cpAfter = seq;
      cpDone = false;
    },
  };
}

export type CheckpointChecks = {
  /** Checks a checkpoint's signature and claims; a reason when it does not hold. */
  checkpointFault(cp: CheckpointRow): string | undefined;
  /** A checkpoint note must be the ledger's, for its own size, with the root the entries give. */
  noteFault(note: string, size: number, root: Hash, what: string): string | undefined;
};

export function createCheckpointChecks(options: {
  readonly ledgerSigned: SignatureChecks['ledgerSigned'];
  readonly noteKeys: readonly Uint8Array[];
}): CheckpointChecks {
  const { ledgerSigned, noteKeys } = options;
  return {
    checkpointFault(cp) {
      const seq = Number(cp.seq);
      const payload = ledgerSigned(cp.jws);
      if (typeof payload !== 'string') return `checkpoint ${seq}: ${payload.reason}`;
      try {
        const claims = JSON.parse(payload) as CheckpointClaims;
        if (claims.seq !== seq || claims.entryHash !== cp.entry_hash)
          return `checkpoint ${seq}: does not match its row`;
      } catch (error) {
        return `checkpoint ${seq}: ${errorText(error)}`;
      }
      return undefined;
    },
    noteFault(note, size, root, what) {
      const opened = openCheckpointNote(note, noteKeys);
      if ('reason' in opened) return `${what}: ${opened.reason}`;
      if (opened.size !== size) return `${what} is signed for ${opened.size} entries, not ${size}`;
      if (!opened.root.equals(root))
        return `${what}: its Merkle root ${opened.root.toString('base64')} is not the root of the entries (${root.toString('base64')})`;
      return undefined;
    },
  };
}
