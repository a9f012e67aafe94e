import type { Queryable, SqlParam, Store } from '../store/store.js';
import { toChainEntry } from './entry.js';
import type { Ledger } from './ledger.js';

/**
 * The ledger as NDJSON, one line per entry in seq order: `{ entry, receipt }`, where `entry` is
 * core's `ChainEntry` (check the lines' entries with `verifyChain`) and `receipt` the ledger's
 * JWS. No openings: identifiers never leave in this view. (A full backup is `exportBackup`.)
 */
export async function* exportLedger(options: {
  readonly store: Queryable;
  readonly ledger: Ledger;
  readonly pageSize?: number;
}): AsyncGenerator<string> {
  for (let after = 0; ; ) {
    const page = await options.ledger.page(options.store, after, options.pageSize ?? 500);
    if (page.length === 0) return;
    for (const e of page) {
      yield `${JSON.stringify({ entry: toChainEntry(e), receipt: e.receipt })}\n`;
      after = e.seq;
    }
  }
}

/**
 * The backup format (`consentkit export` / `consentkit import`), NDJSON:
 *
 * 1. `{"type":"header","format":"consentkit-backup","version":1,…}` with the expected line counts;
 * 2. typed lines, table by table, in an order the importer can check as it goes (keys and
 *    policies before the entries that need them, subjects before what points at them);
 *    ledger entries are `{"type":"entry","entry":<core ChainEntry>,"receipt":"<JWS>"}` so a
 *    backup's chain checks with core's `verifyChain` alone, every other row is `{"type","row"}`
 *    with the table's columns as stored;
 * 3. `{"type":"end",…}` with the counts written and both chain heads, so a truncated file is refused.
 *
 * Personal data travels only as ciphertext: openings and per-subject keys stay sealed, and the
 * ledger keys stay sealed under the master key — the file is useless without it (and a restore
 * needs the same master key).
 */
export const BACKUP_FORMAT = 'consentkit-backup';
export const BACKUP_VERSION = 1;

/** The plain tables a backup carries, in file order; `entry` (ledger_entries) goes between them. */
export const BACKUP_TABLES = [
  {
    type: 'key',
    table: 'keys',
    key: 'kid',
    columns: ['kid', 'purpose', 'algorithm', 'status', 'created_at', 'public_jwk', 'sealed'],
  },
  {
    type: 'policy',
    table: 'policies',
    key: 'digest',
    columns: ['digest', 'id', 'version', 'document', 'first_served_at'],
  },
  {
    type: 'api-key',
    table: 'api_keys',
    key: 'id',
    columns: ['id', 'name', 'scope', 'key_hash', 'created_at', 'revoked_at'],
  },
  { type: 'subject', table: 'subjects', key: 'ref', columns: ['ref', 'blind_index', 'created_at'] },
  { type: 'subject-key', table: 'subject_keys', key: 'subject_ref', columns: ['subject_ref', 'sealed', 'created_at'] },
  { type: 'commitment', table: 'commitments', key: 'commitment', columns: ['commitment', 'subject_ref'] },
  { type: 'opening', table: 'openings', key: 'record_id', columns: ['record_id', 'subject_ref', 'key_id', 'sealed'] },
  { type: 'checkpoint', table: 'checkpoints', key: 'seq', columns: ['seq', 'entry_hash', 'signed_at', 'jws'] },
  {
    type: 'audit',
    table: 'audit_log',
    key: 'seq',
    columns: ['seq', 'at', 'actor', 'action', 'target', 'ip', 'detail', 'prev_hash', 'entry_hash'],
  },
] as const;

export type BackupTable = (typeof BACKUP_TABLES)[number];
export type BackupLineType = BackupTable['type'] | 'entry';
export type BackupRow = Record<string, string | number | null>;
export type BackupCounts = Partial<Record<BackupLineType, number>>;
export type ChainHead = { readonly seq: number; readonly entryHash: string };

export type BackupHeader = {
  readonly type: 'header';
  readonly format: typeof BACKUP_FORMAT;
  readonly version: typeof BACKUP_VERSION;
  readonly createdAt: string;
  /** What the file should hold (for progress; the end line has what was written). */
  readonly counts: BackupCounts;
};
export type BackupEnd = {
  readonly type: 'end';
  readonly counts: BackupCounts;
  readonly ledgerHead: ChainHead;
  readonly auditHead: ChainHead;
};

/** Numeric columns: the PostgreSQL driver returns bigint as text, PGlite as a number. */
export const NUMERIC_COLUMNS = new Set(['seq']);

const ENTRY_TYPES = ['key', 'policy', 'api-key', 'subject', 'subject-key', 'commitment'] as const;

export type ExportBackupOptions = {
  readonly store: Store;
  readonly ledger: Ledger;
  readonly pageSize?: number;
  /** Called after every line with the lines written so far and the total expected. */
  readonly onProgress?: (done: number, total: number) => void;
};

async function headOf(store: Queryable, table: 'ledger_head' | 'audit_head'): Promise<ChainHead> {
  const row = (
    await store.query<{ seq: number; entry_hash: string }>(`SELECT seq, entry_hash FROM ${table} WHERE id = 1`)
  )[0];
  if (!row) throw new Error(`[consentkit] the ${table} row is missing; were the migrations applied?`);
  return { seq: Number(row.seq), entryHash: row.entry_hash };
}

/** Rows that belong in a backup taken at `bounds` (later appends are left for the next one). */
function boundFor(spec: BackupTable, bounds: { ledger: number; audit: number }): { where: string; params: SqlParam[] } {
  if (spec.type === 'checkpoint') return { where: 'seq <= $2', params: [bounds.ledger] };
  if (spec.type === 'audit') return { where: 'seq <= $2', params: [bounds.audit] };
  if (spec.type === 'opening') {
    // Only openings of exported entries: the importer refuses an opening without its record.
    return {
      where: 'record_id IN (SELECT record_id FROM ledger_entries WHERE seq <= $2)',
      params: [bounds.ledger],
    };
  }
  return { where: 'TRUE', params: [] };
}

async function* rowsOf(
  store: Queryable,
  spec: BackupTable,
  bounds: { ledger: number; audit: number },
  pageSize: number,
): AsyncGenerator<BackupRow> {
  const numeric = NUMERIC_COLUMNS.has(spec.key);
  const { where, params } = boundFor(spec, bounds);
  // Keyset paging: constant memory, and no OFFSET rescans on a large table.
  let after: string | number = numeric ? 0 : '';
  for (;;) {
    const rows = await store.query<BackupRow>(
      `SELECT ${spec.columns.join(', ')} FROM ${spec.table} WHERE ${spec.key} > $1 AND ${where} ORDER BY ${spec.key} LIMIT ${pageSize}`,
      [after, ...params],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      const out: BackupRow = {};
      for (const column of spec.columns) {
        const value = row[column] ?? null;
        out[column] = NUMERIC_COLUMNS.has(column) && value !== null ? Number(value) : value;
      }
      yield out;
      after = out[spec.key] ?? after;
    }
  }
}

async function countOf(store: Queryable, spec: BackupTable, bounds: { ledger: number; audit: number }) {
  const { where, params } = boundFor(spec, bounds);
  const sql = `SELECT count(*) AS n FROM ${spec.table} WHERE ${where.replaceAll('$2', '$1')}`;
  return Number((await store.query<{ n: number }>(sql, params))[0]?.n ?? 0);
}

/**
 * A full backup as NDJSON lines (see BACKUP_FORMAT), streamed a page at a time so memory stays
 * constant whatever the ledger's size. Every read runs in one REPEATABLE READ, READ ONLY
 * transaction: the file is one consistent snapshot (no commitment without its subject, no opening
 * without its entry) while PostgreSQL writers carry on. The transaction produces lines into a small
 * bounded queue that the caller drains, so a slow consumer pauses the reads instead of buffering.
 */
export async function* exportBackup(options: ExportBackupOptions): AsyncGenerator<string> {
  const queue: string[] = [];
  let finished = false;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  const nudge = () => {
    wake?.();
    wake = undefined;
  };
  const task = options.store
    .transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      for await (const line of snapshotLines({ ...options, store: tx })) {
        if (stopped) return;
        queue.push(line);
        nudge();
        if (queue.length >= 256) await new Promise<void>((r) => (resume = r));
      }
    })
    .then(
      () => (finished = true),
      (error: unknown) => (failure = { error }),
    )
    .finally(nudge);
  try {
    for (;;) {
      const line = queue.shift();
      if (line !== undefined) {
        if (queue.length < 64) {
          resume?.();
          resume = undefined;
        }
        yield line;
        continue;
      }
      if (failure) throw failure.error;
      if (finished) return;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    // The caller stopped early (or failed): let the transaction end instead of waiting forever.
    stopped = true;
    resume?.();
    await task;
  }
}

async function* snapshotLines(options: Omit<ExportBackupOptions, 'store'> & { readonly store: Queryable }) {
  const { store, ledger } = options;
  const pageSize = options.pageSize ?? 500;
  const ledgerHead = await headOf(store, 'ledger_head');
  const auditHead = await headOf(store, 'audit_head');
  const bounds = { ledger: ledgerHead.seq, audit: auditHead.seq };
  const expected: BackupCounts = {};
  for (const spec of BACKUP_TABLES) expected[spec.type] = await countOf(store, spec, bounds);
  expected.entry = ledgerHead.seq;
  const total = Object.values(expected).reduce((a, b) => a + (b ?? 0), 0);
  const header: BackupHeader = {
    type: 'header',
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    counts: expected,
  };
  yield `${JSON.stringify(header)}\n`;

  const counts: BackupCounts = {};
  let done = 0;
  const tick = (type: BackupLineType) => {
    counts[type] = (counts[type] ?? 0) + 1;
    done++;
    options.onProgress?.(done, total);
  };
  const specOf = (type: BackupTable['type']) => BACKUP_TABLES.find((s) => s.type === type) as BackupTable;

  for (const type of ENTRY_TYPES) {
    for await (const row of rowsOf(store, specOf(type), bounds, pageSize)) {
      yield `${JSON.stringify({ type, row })}\n`;
      tick(type);
    }
  }
  for (let after = 0; after < ledgerHead.seq; ) {
    const page = (await ledger.page(store, after, pageSize)).filter((e) => e.seq <= ledgerHead.seq);
    if (page.length === 0) break;
    for (const e of page) {
      yield `${JSON.stringify({ type: 'entry', entry: toChainEntry(e), receipt: e.receipt })}\n`;
      tick('entry');
      after = e.seq;
    }
  }
  for (const type of ['opening', 'checkpoint', 'audit'] as const) {
    for await (const row of rowsOf(store, specOf(type), bounds, pageSize)) {
      yield `${JSON.stringify({ type, row })}\n`;
      tick(type);
    }
  }
  const end: BackupEnd = { type: 'end', counts, ledgerHead, auditHead };
  yield `${JSON.stringify(end)}\n`;
}
