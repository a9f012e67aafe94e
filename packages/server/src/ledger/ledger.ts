import { createHash } from 'node:crypto';
import { type Assurance, ConsentError } from '@consentkit/core';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Queryable, SqlParam, Store } from '../platform/store/store.js';
import { signCheckpointNote } from './checkpoint-note.js';
import {
  CURRENT_ENTRY_VERSION,
  type EntryRow,
  entryHashInput,
  fromRow,
  leafInput,
  receiptClaimsOf,
  type StoredEntry,
  signCheckpoint,
  signReceipt,
} from './entry.js';
import { type Hash, leafHash, pushLeaf, rootOf } from './merkle.js';
import { afterProjection, historyRowsOf, projectionCtes } from './subject-histories.js';

export type LedgerOptions = {
  readonly store: Store;
  readonly keyring: Keyring;
  /** A signed checkpoint kept every N entries (R72 truncation evidence); every head is signed too. */
  readonly checkpointEvery?: number;
  /**
   * The log's origin (C2SP tlog-checkpoint: a schema-less URL naming this log), fixed when the
   * head is first sealed and kept after (default `localhost/consentkit-ledger`).
   */
  readonly origin?: string;
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

/**
 * Rows another part of the server writes in the append's own statement, so that under the head
 * lock they cost no statement of their own: data-modifying CTEs (`name AS (…)`, comma-joined)
 * whose parameters are numbered from $1 over `params`. `name` keys the statement's text (prepared
 * under it on PostgreSQL), so one name must always come with the same `ctes`. `newPeople`, when
 * given, is one of those CTEs, inserting into `subjects` and returning `ref`: the new entries of
 * those people join their histories, which a sibling CTE could not otherwise see.
 */
export type AppendAlongside = {
  readonly name: string;
  readonly ctes: string;
  readonly params: readonly SqlParam[];
  readonly newPeople?: string;
};

/** The head as the lock reads it: the chain's last hash, the tree's right edge, the log's origin. */
export type Head = { seq: number; entryHash: string; frontier: Hash[]; readonly origin: string };

/** A transaction that holds the head lock: the only place appends may happen. */
export type LockedTx = Queryable & { readonly head: Head };

type HeadRow = {
  seq: number;
  entry_hash: string;
  tree_size: number;
  frontier: string;
  origin: string | null;
  checkpoint: string | null;
};

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
  appendMany(
    tx: LockedTx,
    inputs: readonly AppendInput[],
    options?: { readonly alongside?: AppendAlongside },
  ): Promise<StoredEntry[]>;
  findByRecordId(q: Queryable, recordId: string): Promise<StoredEntry | undefined>;
  /** The digest of the last record signed by `kid` (the signer chain's expected `prev`). */
  lastDigestOf(q: Queryable, kid: string): Promise<string | null>;
  historyOf(q: Queryable, subjectRef: string): Promise<StoredEntry[]>;
  /** Entries in seq order, a page at a time (verify, export). */
  page(q: Queryable, afterSeq: number, limit: number): Promise<StoredEntry[]>;
  /**
   * Recomputes the tree over every stored entry and signs its head: on the start that finds a
   * head never sealed (no origin: a ledger made before the transparency log, a new database), and
   * after an import. Never on its own: a head that does not match its entries stops appends
   * instead (re-signing whatever is found would sign a truncation). Whoever can write the database
   * can clear the origin and so have the next start sign what they left; `verify --since` and
   * witnesses are what catch that (docs/transparency.md).
   */
  seal(): Promise<string>;
};

/**
 * The digest of the last record signed by the key the SQL expression `kid` names, as a scalar
 * subquery (null when it signed none): `lastDigestOf`, and statements that read it with others.
 */
export const lastDigestSql = (kid: string) =>
  `(SELECT e.digest FROM ledger_entries e WHERE e.kid = ${kid} ORDER BY e.seq DESC LIMIT 1)`;

const DEFAULT_ORIGIN = 'localhost/consentkit-ledger';

/**
 * An append's writes, all in ONE statement: the entries ($1), the checkpoints due ($2), both JSON
 * arrays of rows, the new head (seq $3, entry hash $4, frontier $5, signed note $6), any writes
 * `alongside` (their parameters from $9) and, last (they may read what `alongside` returns), the
 * people's histories (subject-histories.ts: from the head before, $7, with the rows $8).
 * Why one: under the head lock every statement is a round trip (on PGlite a hand-off to its
 * thread and back) that the lock is held for; the histories and a placement's people took two
 * more statements per append before (5 under the lock for a capture, now 3). Sibling
 * data-modifying CTEs all read the snapshot from before the statement, so each is computed from
 * its JSON input, never from another's writes; the head row is already locked by this
 * transaction. It answers whether the histories moved.
 */
function appendSql(alongside?: Pick<AppendAlongside, 'ctes' | 'newPeople'>): string {
  const FIXED = 8;
  const more = alongside
    ? ` ${alongside.ctes.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + FIXED}`).trim()},`
    : '';
  const newPeople = alongside?.newPeople;
  const histories = projectionCtes({ after: '$7', to: '$3', rows: '$8', ...(newPeople ? { newPeople } : {}) });
  return `
  WITH entries AS (
    INSERT INTO ledger_entries (seq, record_id, kid, digest, jws, subject_ref, received_at, prev_hash, entry_hash,
      receipt, assurance, entry_version)
    SELECT seq, record_id, kid, digest, jws, subject_ref, received_at, prev_hash, entry_hash, receipt, assurance,
      entry_version
    FROM json_to_recordset($1::json) AS x(seq bigint, record_id text, kid text, digest text, jws text,
      subject_ref text, received_at text, prev_hash text, entry_hash text, receipt text, assurance text,
      entry_version smallint)
    ORDER BY seq
  ), checkpoints_due AS (
    INSERT INTO checkpoints (seq, entry_hash, signed_at, jws, note)
    SELECT seq, entry_hash, signed_at, jws, note
    FROM json_to_recordset($2::json) AS x(seq bigint, entry_hash text, signed_at text, jws text, note text)
  ), head AS (
    UPDATE ledger_head SET seq = $3, entry_hash = $4, tree_size = $3, frontier = $5, checkpoint = $6 WHERE id = 1
  ),${more} ${histories}
  SELECT (SELECT count(*) FROM history_moved)::int AS moved`;
}
const APPEND_SQL = appendSql();
const decodeFrontier = (text: string): Hash[] => (JSON.parse(text) as string[]).map((h) => Buffer.from(h, 'base64'));
const encodeFrontier = (frontier: readonly Hash[]) => JSON.stringify(frontier.map((h) => h.toString('base64')));

export function createLedger(options: LedgerOptions): Ledger {
  const { store, keyring } = options;
  const checkpointEvery = options.checkpointEvery ?? 100;
  const noteKey = keyring.checkpoint;
  /** The append statement with each caller's writes alongside, by their name (built once each). */
  const appendSqlWith = new Map<string, string>();

  async function lockHead(tx: Queryable): Promise<HeadRow> {
    const row = (
      await tx.query<HeadRow>(
        'SELECT seq, entry_hash, tree_size, frontier, origin, checkpoint FROM ledger_head WHERE id = 1 FOR UPDATE',
        [],
        { prepare: 'ledger-lock-head' },
      )
    )[0];
    if (!row)
      throw new ConsentError('storage', 'the ledger head row is missing', {
        hint: 'The migrations run at start; was this database made by another tool?',
      });
    return row;
  }

  const signHead = (origin: string, size: number, frontier: readonly Hash[]) =>
    signCheckpointNote(noteKey.signer, noteKey.publicKey, { origin, size, root: rootOf(frontier) });

  const ledger: Ledger = {
    withLock(fn) {
      return store.transaction(async (tx) => {
        const row = await lockHead(tx);
        if (Number(row.tree_size) !== Number(row.seq) || row.checkpoint === null || row.origin === null)
          throw new ConsentError('storage', 'the ledger head is not sealed: its tree does not match its entries', {
            hint: 'Run `consentkit verify` to see what differs; nothing is appended to a head that is not signed.',
          });
        return fn({
          ...tx,
          head: {
            seq: Number(row.seq),
            entryHash: row.entry_hash,
            frontier: decodeFrontier(row.frontier),
            origin: row.origin,
          },
        });
      });
    },

    seal() {
      return store.transaction(async (tx) => {
        const row = await lockHead(tx);
        const origin = row.origin ?? options.origin ?? DEFAULT_ORIGIN;
        const frontier: Hash[] = [];
        let size = 0;
        for (;;) {
          const page = await ledger.page(tx, size, 2000);
          for (const e of page) {
            if (e.seq !== size + 1)
              throw new ConsentError('storage', `entry ${size + 1} is missing: the ledger cannot be sealed`, {
                hint: 'Run `consentkit verify`.',
              });
            pushLeaf(frontier, size, leafHash(leafInput(e)));
            size++;
          }
          if (page.length < 2000) break;
        }
        if (size !== Number(row.seq))
          throw new ConsentError('storage', `the head names ${row.seq} entries, the ledger holds ${size}`, {
            hint: 'Run `consentkit verify`.',
          });
        const note = await signHead(origin, size, frontier);
        await tx.query(
          'UPDATE ledger_head SET tree_size = $1, frontier = $2, origin = $3, checkpoint = $4 WHERE id = 1',
          [size, encodeFrontier(frontier), origin, note],
        );
        return note;
      });
    },

    async append(tx, input) {
      const [entry] = await ledger.appendMany(tx, [input]);
      if (!entry) throw new ConsentError('internal', 'append wrote no entry');
      return entry;
    },

    async appendMany(tx, inputs, appendOptions = {}) {
      const { alongside } = appendOptions;
      if (inputs.length === 0) {
        if (alongside) throw new ConsentError('internal', 'writes alongside an append of no entries');
        return [];
      }
      // The chain is sequential but cheap (a synchronous SHA-256 each); signing is not, so the
      // receipts and checkpoints are signed together once every hash is known.
      const receivedAt = new Date().toISOString();
      const chained: Array<Omit<StoredEntry, 'receipt'>> = [];
      let prevHash = tx.head.entryHash;
      let seq = tx.head.seq;
      // The tree's right edge moves with the chain (two hashes per entry, amortised), so the root
      // of every size is known here; the stored nodes for proofs are built after the commit.
      const frontier = [...tx.head.frontier];
      const roots = new Map<number, Hash>();
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
        const hashed = entryHashInput(prevHash, entry);
        const entryHash = createHash('sha256').update(hashed).digest('hex');
        pushLeaf(frontier, seq - 1, leafHash(hashed));
        if (seq % checkpointEvery === 0) roots.set(seq, rootOf(frontier));
        chained.push({ ...entry, prevHash, entryHash });
        prevHash = entryHash;
      }
      const signedAt = new Date().toISOString();
      const due = chained.filter((e) => e.seq % checkpointEvery === 0);
      const origin = tx.head.origin;
      // Every append ends in a signed head (R72): the note is signed in the same transaction.
      const [receipts, checkpointJws, notes, headNote] = await Promise.all([
        Promise.all(chained.map((e) => signReceipt(keyring.signer, receiptClaimsOf(e)))),
        Promise.all(due.map((e) => signCheckpoint(keyring.signer, { seq: e.seq, entryHash: e.entryHash, signedAt }))),
        Promise.all(
          due.map((e) =>
            signCheckpointNote(noteKey.signer, noteKey.publicKey, {
              origin,
              size: e.seq,
              root: roots.get(e.seq) as Hash,
            }),
          ),
        ),
        signHead(origin, seq, frontier),
      ]);
      const stored = chained.map((e, i) => ({ ...e, receipt: receipts[i] ?? '' }));
      // The entries, any checkpoints due, the new head, the histories and the caller's own rows in
      // ONE statement (APPEND_SQL: a statement's fixed cost is most of a small append on PGlite).
      let sql = APPEND_SQL;
      if (alongside) {
        sql = appendSqlWith.get(alongside.name) ?? appendSql(alongside);
        appendSqlWith.set(alongside.name, sql);
      }
      const [written] = await tx.query<{ moved: number }>(
        sql,
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
          JSON.stringify(
            due.map((e, i) => ({
              seq: e.seq,
              entry_hash: e.entryHash,
              signed_at: signedAt,
              jws: checkpointJws[i],
              note: notes[i],
            })),
          ),
          seq,
          prevHash,
          encodeFrontier(frontier),
          headNote,
          tx.head.seq,
          historyRowsOf(stored),
          ...(alongside?.params ?? []),
        ],
        { prepare: alongside ? `ledger-append+${alongside.name}` : 'ledger-append' },
      );
      // Histories found behind the ledger are built from the entries, in the same transaction.
      await afterProjection(tx, tx.head.seq + 1, Number(written?.moved ?? 0) === 1);
      tx.head.seq = seq;
      tx.head.entryHash = prevHash;
      tx.head.frontier = frontier;
      return stored;
    },

    async findByRecordId(q, recordId) {
      const rows = await q.query<EntryRow>('SELECT * FROM ledger_entries WHERE record_id = $1', [recordId]);
      return rows[0] ? fromRow(rows[0]) : undefined;
    },

    async lastDigestOf(q, kid) {
      const rows = await q.query<{ digest: string | null }>(`SELECT ${lastDigestSql('$1')} AS digest`, [kid]);
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
