import { policyDigest } from '@consentkit/core';
import { parsePolicy } from '@consentkit/core/schema';
import type { z } from 'zod';
import { derivedAssurance } from '../ledger/entry.js';
import { readStoredRecordLeniently } from '../ledger/records-of.js';
import type { Queryable, SqlParam } from '../platform/store/store.js';
import {
  BACKUP_FORMAT,
  BACKUP_TABLES,
  BACKUP_VERSION,
  BACKUP_VERSIONS_READ,
  type BackupCounts,
  type BackupLineType,
  type BackupTable,
  LINE_ORDER,
  V1_TYPES,
} from './backup-format.js';
import { endSchema, entrySchema, headerSchema, issuesOf, rowSchemas } from './backup-lines.js';
import { describe, ImportRefusedError } from './import-refused.js';

// Tables a target must have no rows in. Ledger keys and served policies are replaced instead: an
// empty ledger's fresh keys have signed nothing yet.
const MUST_BE_EMPTY = [
  'ledger_entries',
  'subjects',
  'commitments',
  'openings',
  'subject_keys',
  'checkpoints',
  'audit_log',
  'api_keys',
  'purge_receipts',
  'partners',
  'partner_deliveries',
  'partner_delivery_attempts',
];

async function refuseNonEmpty(tx: Queryable): Promise<void> {
  const head = (await tx.query<{ seq: number }>('SELECT seq FROM ledger_head WHERE id = 1 FOR UPDATE'))[0];
  if (!head) throw new ImportRefusedError('the target has no ledger head row; were the migrations applied?');
  const busy: string[] = [];
  for (const table of MUST_BE_EMPTY) {
    const n = Number((await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0);
    if (n > 0) busy.push(`${table} (${n})`);
  }
  // The migrations make the cursor row at 0; a dispatcher that has moved it has been at work here.
  const cursor = (await tx.query<{ last_seq: number }>('SELECT last_seq FROM partner_dispatch_cursor WHERE id = 1'))[0];
  if (Number(cursor?.last_seq ?? 0) > 0) busy.push(`partner_dispatch_cursor (at ${cursor?.last_seq})`);
  if (Number(head.seq) > 0 || busy.length > 0) {
    throw new ImportRefusedError(
      `the target ledger is not empty (${busy.join(', ') || `head at ${head.seq}`}); ` +
        'import restores into an empty database only: point --data-dir or --database-url at a new one',
    );
  }
}

async function insert(tx: Queryable, spec: BackupTable, row: Record<string, unknown>): Promise<void> {
  const values = spec.columns.map((c) => (row[c] ?? null) as SqlParam);
  const marks = spec.columns.map((_, i) => `$${i + 1}`).join(', ');
  await tx.query(`INSERT INTO ${spec.table} (${spec.columns.join(', ')}) VALUES (${marks})`, values);
}

type Staged = { counts: BackupCounts; ledgerHead: number; auditHead: number; checkpoint: string | undefined };

/** What staging reads: the file's lines in order, and where to report progress. */
export type StageOptions = {
  /** The file's lines, in order (a readline interface over a file stream keeps memory constant). */
  readonly lines: AsyncIterable<string>;
  readonly onProgress?: (done: number, total: number) => void;
};

export async function stage(tx: Queryable, options: StageOptions): Promise<Staged> {
  await refuseNonEmpty(tx);
  await tx.query('DELETE FROM keys');
  await tx.query('DELETE FROM policies');

  const counts: BackupCounts = {};
  const policies = new Set<string>();
  let lineNo = 0;
  let section = -1;
  let ledgerKids: Set<string> | undefined;
  let total = 0;
  let done = 0;
  let end: z.infer<typeof endSchema> | undefined;
  let version: number = BACKUP_VERSION;
  let cursor: number | undefined;

  for await (const raw of options.lines) {
    lineNo++;
    if (raw.trim() === '') continue;
    if (end) throw new ImportRefusedError('there is data after the end line', lineNo);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ImportRefusedError(`not JSON: ${describe(error)}`, lineNo);
    }
    if (section < 0) {
      const claimed = value as { type?: unknown; format?: unknown; version?: unknown } | null;
      if (
        claimed?.type === 'header' &&
        claimed.format === BACKUP_FORMAT &&
        !(BACKUP_VERSIONS_READ as readonly unknown[]).includes(claimed.version)
      ) {
        throw new ImportRefusedError(
          `${BACKUP_FORMAT} version ${JSON.stringify(claimed.version)} is not one this consentkit reads ` +
            `(versions ${BACKUP_VERSIONS_READ.join(', ')}); import it with the consentkit release that wrote it, or a newer one`,
          lineNo,
        );
      }
      const header = headerSchema.safeParse(value);
      if (!header.success) {
        throw new ImportRefusedError(
          `not a ${BACKUP_FORMAT} header (${issuesOf(header.error)}); write backups with consentkit export`,
          lineNo,
        );
      }
      total = Object.values(header.data.counts).reduce((a, b) => a + (b ?? 0), 0);
      version = header.data.version;
      section = 0;
      continue;
    }
    const type = (value as { type?: unknown } | null)?.type;
    const at = LINE_ORDER.indexOf(type as BackupLineType);
    if (at < 0) throw new ImportRefusedError(`unknown line type ${JSON.stringify(type)}`, lineNo);
    if (version === 1 && type !== 'end' && !V1_TYPES.includes(type as BackupLineType)) {
      throw new ImportRefusedError(`a "${String(type)}" line in a version 1 backup (it came in version 2)`, lineNo);
    }
    if (at < section) {
      throw new ImportRefusedError(
        `a "${String(type)}" line after the "${LINE_ORDER[section]}" section (out of order)`,
        lineNo,
      );
    }
    section = at;
    if (type === 'end') {
      const parsed = endSchema.safeParse(value);
      if (!parsed.success) throw new ImportRefusedError(`bad end line: ${issuesOf(parsed.error)}`, lineNo);
      end = parsed.data;
      continue;
    }
    if (type === 'entry') {
      const parsed = entrySchema.safeParse(value);
      if (!parsed.success) throw new ImportRefusedError(`bad entry: ${issuesOf(parsed.error)}`, lineNo);
      const { entry, receipt } = parsed.data;
      let policy: string;
      try {
        policy = readStoredRecordLeniently(entry.jws).policy.digest;
      } catch (error) {
        throw new ImportRefusedError(`entry ${entry.seq}: the record JWS cannot be read (${describe(error)})`, lineNo);
      }
      if (!policies.has(policy)) {
        throw new ImportRefusedError(
          `entry ${entry.seq} (record ${entry.recordId}) names policy digest ${policy}, which the backup does not hold`,
          lineNo,
        );
      }
      // A version 1 entry gets its assurance derived as the upgrade derives it (from the keys already staged).
      ledgerKids ??= new Set(
        (await tx.query<{ kid: string }>(`SELECT kid FROM keys WHERE purpose = 'signing'`)).map((r) => r.kid),
      );
      const assurance = entry.assurance ?? derivedAssurance(entry.kid, ledgerKids);
      await tx.query(
        `INSERT INTO ledger_entries (seq, record_id, kid, digest, jws, subject_ref, received_at, prev_hash, entry_hash, receipt,
           assurance, entry_version)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [
          entry.seq,
          entry.recordId,
          entry.kid,
          entry.digest,
          entry.jws,
          entry.subjectRef,
          entry.receivedAt,
          entry.prevHash,
          entry.entryHash,
          receipt,
          assurance,
          entry.v ?? 1,
        ],
      );
    } else {
      const spec = BACKUP_TABLES.find((s) => s.type === type) as BackupTable;
      const parsed = rowSchemas.get(spec.type)?.safeParse(value);
      if (!parsed?.success) {
        throw new ImportRefusedError(`bad ${spec.type} line: ${parsed ? issuesOf(parsed.error) : 'no schema'}`, lineNo);
      }
      const row = parsed.data.row as Record<string, string | number | null>;
      if (spec.type === 'policy') {
        let digest: string;
        try {
          digest = await policyDigest(parsePolicy(JSON.parse(String(row.document))));
        } catch (error) {
          throw new ImportRefusedError(
            `policy ${String(row.digest)} is not a valid policy: ${describe(error)}`,
            lineNo,
          );
        }
        if (digest !== row.digest) {
          throw new ImportRefusedError(
            `policy ${String(row.digest)}: its document's digest is ${digest} (altered)`,
            lineNo,
          );
        }
        policies.add(digest);
      }
      if (spec.type === 'dispatch-cursor') {
        // One row, made at 0 by the migrations: set, not inserted.
        if (cursor !== undefined) throw new ImportRefusedError('a second dispatch-cursor line (there is one)', lineNo);
        if (row.id !== 1) throw new ImportRefusedError(`the dispatch cursor's id is ${row.id}, not 1`, lineNo);
        cursor = Number(row.last_seq);
        await tx.query('UPDATE partner_dispatch_cursor SET last_seq = $1 WHERE id = 1', [cursor]);
      } else {
        if (spec.type === 'partner-attempt') {
          const delivery = await tx.query('SELECT 1 AS found FROM partner_deliveries WHERE id = $1', [
            row.delivery_id ?? null,
          ]);
          if (delivery.length === 0) {
            throw new ImportRefusedError(
              `an attempt of delivery ${String(row.delivery_id)} before (or without) that delivery's line: attempts follow their deliveries`,
              lineNo,
            );
          }
        }
        try {
          await insert(tx, spec, row);
        } catch (error) {
          throw new ImportRefusedError(`${spec.type} row refused by the database: ${describe(error)}`, lineNo);
        }
      }
    }
    counts[type as BackupLineType] = (counts[type as BackupLineType] ?? 0) + 1;
    options.onProgress?.(++done, total);
  }

  if (section < 0) throw new ImportRefusedError('the file is empty');
  if (!end) throw new ImportRefusedError('the file ends before its end line (truncated?)', lineNo);
  for (const type of LINE_ORDER) {
    if (type === 'end') continue;
    if ((end.counts[type] ?? 0) !== (counts[type] ?? 0)) {
      throw new ImportRefusedError(
        `the end line promises ${end.counts[type] ?? 0} "${type}" lines, the file has ${counts[type] ?? 0} (lines dropped or added)`,
      );
    }
  }
  if (version >= 3 && end.checkpoint === undefined) {
    throw new ImportRefusedError(
      `a version ${version} backup's end line carries the ledger's signed head (checkpoint); this one has none (altered?)`,
    );
  }
  if (cursor !== undefined && cursor > end.ledgerHead.seq) {
    throw new ImportRefusedError(
      `the partner dispatch cursor (${cursor}) is past the ledger head (${end.ledgerHead.seq}): it would skip entries never dispatched`,
    );
  }
  await tx.query('UPDATE ledger_head SET seq = $1, entry_hash = $2 WHERE id = 1', [
    end.ledgerHead.seq,
    end.ledgerHead.entryHash,
  ]);
  await tx.query('UPDATE audit_head SET seq = $1, entry_hash = $2 WHERE id = 1', [
    end.auditHead.seq,
    end.auditHead.entryHash,
  ]);
  return { counts, ledgerHead: end.ledgerHead.seq, auditHead: end.auditHead.seq, checkpoint: end.checkpoint };
}
