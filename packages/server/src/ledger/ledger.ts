import type { Keyring } from '../keys/keyring.js';
import type { Queryable, Store } from '../store/store.js';
import { type EntryRow, fromRow, hashEntry, type StoredEntry, signCheckpoint, signReceipt } from './entry.js';

export type LedgerOptions = {
  readonly store: Store;
  readonly keyring: Keyring;
  /** A signed checkpoint of the head every N entries (R72 truncation evidence). */
  readonly checkpointEvery?: number;
};

export type AppendInput = {
  readonly recordId: string;
  readonly kid: string;
  readonly digest: string;
  readonly jws: string;
  readonly subjectRef: string | null;
};

/** A transaction that holds the head lock: the only place appends may happen. */
export type LockedTx = Queryable & { readonly head: { seq: number; entryHash: string } };

export type Ledger = {
  /**
   * Runs `fn` in one transaction after `SELECT … FOR UPDATE` on the head row. Every process
   * appending to the same database queues here, so there is one chain and idempotency checks
   * made inside see every earlier append.
   */
  withLock<T>(fn: (tx: LockedTx) => Promise<T>): Promise<T>;
  append(tx: LockedTx, input: AppendInput): Promise<StoredEntry>;
  findByRecordId(q: Queryable, recordId: string): Promise<StoredEntry | undefined>;
  /** The digest of the last record signed by `kid` (the signer chain's expected `prev`). */
  lastDigestOf(q: Queryable, kid: string): Promise<string | null>;
  historyOf(q: Queryable, subjectRef: string): Promise<StoredEntry[]>;
  /** Entries in seq order, a page at a time (verify, export). */
  page(q: Queryable, afterSeq: number, limit: number): Promise<StoredEntry[]>;
};

export function createLedger(options: LedgerOptions): Ledger {
  const { store, keyring } = options;
  const checkpointEvery = options.checkpointEvery ?? 100;

  return {
    withLock(fn) {
      return store.transaction(async (tx) => {
        const rows = await tx.query<{ seq: number; entry_hash: string }>(
          'SELECT seq, entry_hash FROM ledger_head WHERE id = 1 FOR UPDATE',
        );
        const row = rows[0];
        if (!row) throw new Error('[consentkit] the ledger head row is missing; were the migrations applied?');
        return fn({ ...tx, head: { seq: Number(row.seq), entryHash: row.entry_hash } });
      });
    },

    async append(tx, input) {
      const seq = tx.head.seq + 1;
      const prevHash = tx.head.entryHash;
      const receivedAt = new Date().toISOString();
      const entry = { seq, ...input, receivedAt };
      const entryHash = await hashEntry(prevHash, entry);
      const receipt = await signReceipt(keyring.signer, {
        recordId: input.recordId,
        digest: input.digest,
        seq,
        receivedAt,
        entryHash,
      });
      await tx.query(
        `INSERT INTO ledger_entries (seq, record_id, kid, digest, jws, subject_ref, received_at, prev_hash, entry_hash, receipt)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
        [
          seq,
          input.recordId,
          input.kid,
          input.digest,
          input.jws,
          input.subjectRef,
          receivedAt,
          prevHash,
          entryHash,
          receipt,
        ],
      );
      await tx.query('UPDATE ledger_head SET seq = $1, entry_hash = $2 WHERE id = 1', [seq, entryHash]);
      tx.head.seq = seq;
      tx.head.entryHash = entryHash;
      if (seq % checkpointEvery === 0) {
        const signedAt = new Date().toISOString();
        const jws = await signCheckpoint(keyring.signer, { seq, entryHash, signedAt });
        await tx.query('INSERT INTO checkpoints (seq, entry_hash, signed_at, jws) VALUES ($1,$2,$3,$4)', [
          seq,
          entryHash,
          signedAt,
          jws,
        ]);
      }
      return { ...entry, prevHash, entryHash, receipt };
    },

    async findByRecordId(q, recordId) {
      const rows = await q.query<EntryRow>('SELECT * FROM ledger_entries WHERE record_id = $1', [recordId]);
      return rows[0] ? fromRow(rows[0]) : undefined;
    },

    async lastDigestOf(q, kid) {
      const rows = await q.query<{ digest: string }>(
        'SELECT digest FROM ledger_entries WHERE kid = $1 ORDER BY seq DESC LIMIT 1',
        [kid],
      );
      return rows[0]?.digest ?? null;
    },

    async historyOf(q, subjectRef) {
      const rows = await q.query<EntryRow>('SELECT * FROM ledger_entries WHERE subject_ref = $1 ORDER BY seq', [
        subjectRef,
      ]);
      return rows.map(fromRow);
    },

    async page(q, afterSeq, limit) {
      const rows = await q.query<EntryRow>('SELECT * FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2', [
        afterSeq,
        limit,
      ]);
      return rows.map(fromRow);
    },
  };
}
