import { type Assurance, ConsentError } from '@consentkit/core';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Queryable, Store } from '../platform/store/store.js';
import {
  CURRENT_ENTRY_VERSION,
  type EntryRow,
  fromRow,
  hashEntrySync,
  receiptClaimsOf,
  type StoredEntry,
  signCheckpoint,
  signReceipt,
} from './entry.js';

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
  /** Set by the server from who posted it (ingest) or from what the ledger itself made: never from the record. */
  readonly assurance: Assurance;
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
  /**
   * Appends several entries in order with one multi-row INSERT; the receipts are signed in
   * parallel. Same chain, receipts and checkpoints as that many `append` calls.
   */
  appendMany(tx: LockedTx, inputs: readonly AppendInput[]): Promise<StoredEntry[]>;
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

  const ledger: Ledger = {
    withLock(fn) {
      return store.transaction(async (tx) => {
        const rows = await tx.query<{ seq: number; entry_hash: string }>(
          'SELECT seq, entry_hash FROM ledger_head WHERE id = 1 FOR UPDATE',
        );
        const row = rows[0];
        if (!row)
          throw new ConsentError('storage', 'the ledger head row is missing', {
            hint: 'The migrations run at start; was this database made by another tool?',
          });
        return fn({ ...tx, head: { seq: Number(row.seq), entryHash: row.entry_hash } });
      });
    },

    async append(tx, input) {
      const [entry] = await ledger.appendMany(tx, [input]);
      if (!entry) throw new ConsentError('internal', 'append wrote no entry');
      return entry;
    },

    async appendMany(tx, inputs) {
      if (inputs.length === 0) return [];
      // The chain is sequential but cheap (a synchronous SHA-256 each); signing is not, so the
      // receipts and checkpoints are signed together once every hash is known.
      const receivedAt = new Date().toISOString();
      const chained: Array<Omit<StoredEntry, 'receipt'>> = [];
      let prevHash = tx.head.entryHash;
      let seq = tx.head.seq;
      for (const input of inputs) {
        seq++;
        const entry = {
          seq,
          recordId: input.recordId,
          kid: input.kid,
          digest: input.digest,
          jws: input.jws,
          subjectRef: input.subjectRef,
          receivedAt,
          assurance: input.assurance,
          version: CURRENT_ENTRY_VERSION,
        };
        const entryHash = hashEntrySync(prevHash, entry);
        chained.push({ ...entry, prevHash, entryHash });
        prevHash = entryHash;
      }
      const signedAt = new Date().toISOString();
      const due = chained.filter((e) => e.seq % checkpointEvery === 0);
      const [receipts, checkpointJws] = await Promise.all([
        Promise.all(chained.map((e) => signReceipt(keyring.signer, receiptClaimsOf(e)))),
        Promise.all(due.map((e) => signCheckpoint(keyring.signer, { seq: e.seq, entryHash: e.entryHash, signedAt }))),
      ]);
      const stored = chained.map((e, i) => ({ ...e, receipt: receipts[i] ?? '' }));
      await tx.query(
        `INSERT INTO ledger_entries (seq, record_id, kid, digest, jws, subject_ref, received_at, prev_hash, entry_hash,
           receipt, assurance, entry_version)
         SELECT seq, record_id, kid, digest, jws, subject_ref, received_at, prev_hash, entry_hash, receipt, assurance,
           entry_version
         FROM json_to_recordset($1::json) AS x(seq bigint, record_id text, kid text, digest text, jws text,
           subject_ref text, received_at text, prev_hash text, entry_hash text, receipt text, assurance text,
           entry_version smallint)
         ORDER BY seq`,
        [
          JSON.stringify(
            stored.map((e) => ({
              seq: e.seq,
              record_id: e.recordId,
              kid: e.kid,
              digest: e.digest,
              jws: e.jws,
              subject_ref: e.subjectRef,
              received_at: e.receivedAt,
              prev_hash: e.prevHash,
              entry_hash: e.entryHash,
              receipt: e.receipt,
              assurance: e.assurance,
              entry_version: e.version,
            })),
          ),
        ],
      );
      if (due.length > 0) {
        await tx.query(
          `INSERT INTO checkpoints (seq, entry_hash, signed_at, jws)
           SELECT seq, entry_hash, signed_at, jws
           FROM json_to_recordset($1::json) AS x(seq bigint, entry_hash text, signed_at text, jws text)`,
          [
            JSON.stringify(
              due.map((e, i) => ({ seq: e.seq, entry_hash: e.entryHash, signed_at: signedAt, jws: checkpointJws[i] })),
            ),
          ],
        );
      }
      await tx.query('UPDATE ledger_head SET seq = $1, entry_hash = $2 WHERE id = 1', [seq, prevHash]);
      tx.head.seq = seq;
      tx.head.entryHash = prevHash;
      return stored;
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
  return ledger;
}
