import { ConsentError } from '@consentkit/core';
import { toChainEntry } from '../ledger/entry.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Queryable, SqlParam, Store } from '../platform/store/store.js';
import {
  BACKUP_FORMAT,
  BACKUP_TABLES,
  BACKUP_VERSION,
  type BackupCounts,
  type BackupEnd,
  type BackupHeader,
  type BackupLineType,
  type BackupRow,
  type BackupTable,
  type ChainHead,
  isNumeric,
  TABLES_AFTER_ENTRIES,
  TABLES_BEFORE_ENTRIES,
} from './backup-format.js';

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
  if (!row)
    throw new ConsentError('storage', `the ${table} row is missing`, {
      hint: 'The migrations run at start; was this database made by another tool?',
    });
  return { seq: Number(row.seq), entryHash: row.entry_hash };
}

/**
 * Rows that belong in a backup taken at `bounds` (later appends are left for the next one); `$B`
 * stands for the bound's parameter. (One REPEATABLE READ snapshot already makes them consistent.)
 */
function boundFor(spec: BackupTable, bounds: { ledger: number; audit: number }): { where: string; params: SqlParam[] } {
  switch (spec.type) {
    case 'checkpoint':
      return { where: 'seq <= $B', params: [bounds.ledger] };
    case 'audit':
      return { where: 'seq <= $B', params: [bounds.audit] };
    case 'opening':
      // Only openings of exported entries: the importer refuses an opening without its record.
      return { where: 'record_id IN (SELECT record_id FROM ledger_entries WHERE seq <= $B)', params: [bounds.ledger] };
    case 'purge-receipt':
      return { where: 'audit_seq <= $B', params: [bounds.audit] };
    case 'partner-delivery':
      return { where: 'ledger_seq <= $B', params: [bounds.ledger] };
    case 'partner-attempt':
      return {
        where: 'delivery_id IN (SELECT id FROM partner_deliveries WHERE ledger_seq <= $B)',
        params: [bounds.ledger],
      };
    default:
      return { where: 'TRUE', params: [] };
  }
}

async function* rowsOf(
  store: Queryable,
  spec: BackupTable,
  bounds: { ledger: number; audit: number },
  pageSize: number,
): AsyncGenerator<BackupRow> {
  const keys: readonly string[] = spec.key;
  const { where, params } = boundFor(spec, bounds);
  const marks = keys.map((_, i) => `$${i + 1}`).join(', ');
  const bounded = where.replaceAll('$B', `$${keys.length + 1}`);
  // Keyset paging: constant memory, and no OFFSET rescans on a large table.
  let after: SqlParam[] = keys.map((k) => (isNumeric(spec, k) ? 0 : ''));
  for (;;) {
    const rows = await store.query<BackupRow>(
      `SELECT ${spec.columns.join(', ')} FROM ${spec.table} WHERE (${keys.join(', ')}) > (${marks}) AND ${bounded} ORDER BY ${keys.join(', ')} LIMIT ${pageSize}`,
      [...after, ...params],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      const out: BackupRow = {};
      for (const column of spec.columns) {
        const value = row[column] ?? null;
        out[column] = isNumeric(spec, column) && value !== null ? Number(value) : value;
      }
      yield out;
      after = keys.map((k) => out[k] ?? null);
    }
  }
}

async function countOf(store: Queryable, spec: BackupTable, bounds: { ledger: number; audit: number }) {
  const { where, params } = boundFor(spec, bounds);
  const sql = `SELECT count(*) AS n FROM ${spec.table} WHERE ${where.replaceAll('$B', '$1')}`;
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

  for (const type of TABLES_BEFORE_ENTRIES) {
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
  for (const type of TABLES_AFTER_ENTRIES) {
    for await (const row of rowsOf(store, specOf(type), bounds, pageSize)) {
      yield `${JSON.stringify({ type, row })}\n`;
      tick(type);
    }
  }
  // The signed head of the same snapshot: the import checks the restored tree against it.
  const note = (await store.query<{ checkpoint: string | null }>('SELECT checkpoint FROM ledger_head WHERE id = 1'))[0]
    ?.checkpoint;
  const end: BackupEnd = { type: 'end', counts, ledgerHead, auditHead, ...(note ? { checkpoint: note } : {}) };
  yield `${JSON.stringify(end)}\n`;
}
