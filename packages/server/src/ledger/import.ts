import { policyDigest, verifyCommitment } from '@consentkit/core';
import { parsePolicy } from '@consentkit/core/schema';
import { z } from 'zod';
import { appendAudit, verifyAudit } from '../audit/audit-log.js';
import { createCryptoBox } from '../keys/crypto-box.js';
import { createKeyring } from '../keys/keyring.js';
import { subjectKeyId } from '../keys/subject-keys.js';
import { createPartnerRegistry } from '../partners/partner-registry.js';
import { migrate } from '../store/migrate.js';
import type { Queryable, SqlParam, Store } from '../store/store.js';
import {
  BACKUP_FORMAT,
  BACKUP_TABLES,
  BACKUP_VERSION,
  BACKUP_VERSIONS_READ,
  type BackupCounts,
  type BackupLineType,
  type BackupTable,
  isNumeric,
  V1_TYPES,
} from './export.js';
import type { Opening } from './ingest.js';
import { createLedger } from './ledger.js';
import { verifyDeletionReceipt } from './purge-receipt.js';
import { decodeRecord } from './records-of.js';
import { blindIndexOf } from './subjects.js';
import { verifyLedger } from './verify-ledger.js';

/**
 * `consentkit import`: restores a backup written by `exportBackup` into an empty ledger. Everything
 * is staged in one transaction and checked there — the file's shape and order, every policy's
 * digest, that the master key opens the ledger keys, the whole hash chain with every record
 * signature, signer chain, receipt and checkpoint (the same `verifyLedger` that `consentkit verify`
 * runs), the audit chain, and that every opening, commitment and entry points at a row that exists;
 * every purge receipt's JWS verifies against the restored ledger keys and says what its row says,
 * every partner's sealed secrets open with the master key, every delivery names a known partner
 * and a restored entry, and the dispatch cursor stands at or before the ledger head.
 * Any fault rolls the transaction back: a refused backup leaves nothing behind.
 */
export type ImportBackupOptions = {
  readonly store: Store;
  /** The master key the backup's ledger keys are sealed under (the original deployment's). */
  readonly masterKey: Uint8Array;
  /** The file's lines, in order (a readline interface over a file stream keeps memory constant). */
  readonly lines: AsyncIterable<string>;
  readonly onProgress?: (done: number, total: number) => void;
  /** Who restored it, for the audit entry the import appends after the backup's own (default `cli`). */
  readonly actor?: string;
};

export type ImportResult =
  | { readonly ok: true; readonly counts: BackupCounts; readonly ledgerHead: number; readonly auditHead: number }
  | { readonly ok: false; readonly reason: string; readonly line?: number };

/** Why an import was refused; `line` is the 1-based line of the file at fault, when there is one. */
export class ImportRefusedError extends Error {
  override readonly name = 'ImportRefusedError';
  readonly code = 'import-refused';
  readonly line: number | undefined;
  constructor(reason: string, line?: number) {
    super(reason);
    this.line = line;
  }
}

// The order of sections in the file; a line may never come back to an earlier section.
const ORDER: readonly (BackupLineType | 'end')[] = [
  'key',
  'policy',
  'api-key',
  'subject',
  'subject-key',
  'commitment',
  'entry',
  'opening',
  'checkpoint',
  'audit',
  'purge-receipt',
  'partner',
  'dispatch-cursor',
  'partner-delivery',
  'partner-attempt',
  'end',
];

const text = z.string();
const count = z.number().int().nonnegative();
const head = z.strictObject({ seq: count, entryHash: z.string().regex(/^[0-9a-f]{64}$/) });
const countsSchema = z.partialRecord(z.enum(ORDER.filter((t) => t !== 'end') as [BackupLineType]), count);
const headerSchema = z.strictObject({
  type: z.literal('header'),
  format: z.literal(BACKUP_FORMAT),
  version: z.union(BACKUP_VERSIONS_READ.map((v) => z.literal(v))),
  createdAt: text,
  counts: countsSchema,
});
const endSchema = z.strictObject({ type: z.literal('end'), counts: countsSchema, ledgerHead: head, auditHead: head });
const entrySchema = z.strictObject({
  type: z.literal('entry'),
  entry: z.strictObject({
    seq: count,
    recordId: text,
    kid: text,
    digest: text,
    jws: text,
    subjectRef: text.nullable(),
    receivedAt: text,
    prevHash: text,
    entryHash: text,
  }),
  receipt: text,
});
const rowSchemas = new Map(
  BACKUP_TABLES.map((spec) => [
    spec.type,
    z.strictObject({
      type: z.literal(spec.type),
      row: z.strictObject(
        Object.fromEntries(
          spec.columns.map((c) => [
            c,
            isNumeric(spec, c)
              ? (spec.key as readonly string[]).includes(c)
                ? count
                : count.nullable()
              : text.nullable(),
          ]),
        ),
      ),
    }),
  ]),
);

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');

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

/**
 * Rows that point at nothing: each is a sign of a hand-edited or mixed-up backup. (Entries may name
 * a subject that is gone: erasure deletes the subject row and keeps the entries.)
 */
const DANGLING: readonly { what: string; sql: string }[] = [
  {
    what: 'an opening whose record is not in the backup',
    sql: 'SELECT o.record_id AS id FROM openings o LEFT JOIN ledger_entries e ON e.record_id = o.record_id WHERE e.seq IS NULL LIMIT 1',
  },
  {
    what: 'an opening whose subject is not in the backup',
    sql: 'SELECT o.record_id AS id FROM openings o LEFT JOIN subjects s ON s.ref = o.subject_ref WHERE s.ref IS NULL LIMIT 1',
  },
  {
    what: 'a commitment whose subject is not in the backup',
    sql: 'SELECT c.commitment AS id FROM commitments c LEFT JOIN subjects s ON s.ref = c.subject_ref WHERE s.ref IS NULL LIMIT 1',
  },
  {
    what: 'a data key whose subject is not in the backup',
    sql: 'SELECT k.subject_ref AS id FROM subject_keys k LEFT JOIN subjects s ON s.ref = k.subject_ref WHERE s.ref IS NULL LIMIT 1',
  },
  {
    what: 'a partner delivery for a partner that is not in the backup',
    sql: 'SELECT d.id AS id FROM partner_deliveries d LEFT JOIN partners p ON p.id = d.partner_id WHERE p.id IS NULL LIMIT 1',
  },
  {
    what: 'a partner delivery whose ledger entry is not in the backup',
    sql: 'SELECT d.id AS id FROM partner_deliveries d LEFT JOIN ledger_entries e ON e.seq = d.ledger_seq AND e.record_id = d.record_id WHERE e.seq IS NULL LIMIT 1',
  },
  {
    what: 'a delivery attempt whose delivery is not in the backup',
    sql: 'SELECT a.delivery_id AS id FROM partner_delivery_attempts a LEFT JOIN partner_deliveries d ON d.id = a.delivery_id WHERE d.id IS NULL LIMIT 1',
  },
  {
    what: 'a purge receipt whose audit entry is not in the backup',
    sql: 'SELECT r.id AS id FROM purge_receipts r LEFT JOIN audit_log a ON a.seq = r.audit_seq WHERE a.seq IS NULL LIMIT 1',
  },
];

type Staged = { counts: BackupCounts; ledgerHead: number; auditHead: number };

async function stage(tx: Queryable, options: ImportBackupOptions): Promise<Staged> {
  await refuseNonEmpty(tx);
  await tx.query('DELETE FROM keys');
  await tx.query('DELETE FROM policies');

  const counts: BackupCounts = {};
  const policies = new Set<string>();
  let lineNo = 0;
  let section = -1;
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
    const at = ORDER.indexOf(type as BackupLineType);
    if (at < 0) throw new ImportRefusedError(`unknown line type ${JSON.stringify(type)}`, lineNo);
    if (version === 1 && type !== 'end' && !V1_TYPES.includes(type as BackupLineType)) {
      throw new ImportRefusedError(`a "${String(type)}" line in a version 1 backup (it came in version 2)`, lineNo);
    }
    if (at < section) {
      throw new ImportRefusedError(
        `a "${String(type)}" line after the "${ORDER[section]}" section (out of order)`,
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
        policy = decodeRecord(entry.jws).policy.digest;
      } catch (error) {
        throw new ImportRefusedError(`entry ${entry.seq}: the record JWS cannot be read (${describe(error)})`, lineNo);
      }
      if (!policies.has(policy)) {
        throw new ImportRefusedError(
          `entry ${entry.seq} (record ${entry.recordId}) names policy digest ${policy}, which the backup does not hold`,
          lineNo,
        );
      }
      await tx.query(
        `INSERT INTO ledger_entries (seq, record_id, kid, digest, jws, subject_ref, received_at, prev_hash, entry_hash, receipt)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
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
  for (const type of ORDER) {
    if (type === 'end') continue;
    if ((end.counts[type] ?? 0) !== (counts[type] ?? 0)) {
      throw new ImportRefusedError(
        `the end line promises ${end.counts[type] ?? 0} "${type}" lines, the file has ${counts[type] ?? 0} (lines dropped or added)`,
      );
    }
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
  return { counts, ledgerHead: end.ledgerHead.seq, auditHead: end.auditHead.seq };
}

type OpeningRow = {
  record_id: string;
  subject_ref: string;
  key_id: string;
  sealed: string;
  jws: string;
  blind_index: string | null;
  subject_key: string | null;
};

/**
 * Every sealed opening must open (with its person's data key) to the identifier the record commits
 * to, and that identifier's blind index must be the one its subject row holds: otherwise lookups by
 * email would silently answer for the wrong person, or for nobody, after the restore.
 */
async function checkOpenings(tx: Queryable, keyring: Awaited<ReturnType<typeof createKeyring>>): Promise<void> {
  for (let after = ''; ; ) {
    const rows = await tx.query<OpeningRow>(
      `SELECT o.record_id, o.subject_ref, o.key_id, o.sealed, e.jws, s.blind_index, k.sealed AS subject_key
       FROM openings o JOIN ledger_entries e ON e.record_id = o.record_id JOIN subjects s ON s.ref = o.subject_ref
       LEFT JOIN subject_keys k ON k.subject_ref = o.subject_ref
       WHERE o.record_id > $1 ORDER BY o.record_id LIMIT 200`,
      [after],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      const where = `the opening of record ${row.record_id}`;
      let opening: Opening;
      try {
        const box =
          row.key_id === subjectKeyId(row.subject_ref)
            ? await createCryptoBox({
                key: await keyring.openingBox.box.open(String(row.subject_key), `subject-key:${row.subject_ref}`),
              })
            : keyring.openingBox.box;
        opening = JSON.parse(
          new TextDecoder().decode(await box.open(row.sealed, `opening:${row.record_id}`)),
        ) as Opening;
      } catch (error) {
        throw new ImportRefusedError(`${where} does not open with its data key (${describe(error)})`);
      }
      const subject = decodeRecord(row.jws).subject;
      const opens =
        subject.kind === 'commitment' && (await verifyCommitment({ commitment: subject.commitment, opening }));
      if (!opens) throw new ImportRefusedError(`${where} does not open the record's commitment`);
      if (row.blind_index !== null && row.blind_index !== (await blindIndexOf(keyring, 'email', opening.identifier))) {
        throw new ImportRefusedError(
          `subject ${row.subject_ref}: its blind index is not that of its records' identifier`,
        );
      }
      after = row.record_id;
    }
  }
}

type ReceiptRow = { id: string; purged_at: string; subjects: number; jws: string; audit_seq: number };

/**
 * Deletion evidence must still prove something after the restore: each receipt's JWS verifies
 * against the restored ledger keys, its row says what its signed payload says, the audit entry it
 * names is the purge that wrote it, and the chain head it was signed at is in the restored chain.
 */
async function checkPurgeReceipts(tx: Queryable, keys: Parameters<typeof verifyDeletionReceipt>[1]): Promise<void> {
  for (let after = ''; ; ) {
    const rows = await tx.query<ReceiptRow>(
      'SELECT id, purged_at, subjects, jws, audit_seq FROM purge_receipts WHERE id > $1 ORDER BY id LIMIT 200',
      [after],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      const where = `purge receipt ${row.id}`;
      let claims: Awaited<ReturnType<typeof verifyDeletionReceipt>>;
      try {
        claims = await verifyDeletionReceipt(row.jws, keys);
      } catch (error) {
        throw new ImportRefusedError(`${where} does not verify against the ledger keys (${describe(error)})`);
      }
      const mismatch = [
        claims.receiptId !== row.id && `id (signed ${claims.receiptId})`,
        claims.purgedAt !== row.purged_at && `purged_at (signed ${claims.purgedAt})`,
        claims.subjects?.length !== Number(row.subjects) && `subjects (signed ${claims.subjects?.length})`,
      ].filter(Boolean);
      if (mismatch.length > 0) {
        throw new ImportRefusedError(`${where}: its row does not match its signed payload: ${mismatch.join(', ')}`);
      }
      const audit = (
        await tx.query<{ action: string; detail: string }>('SELECT action, detail FROM audit_log WHERE seq = $1', [
          row.audit_seq,
        ])
      )[0];
      let named: unknown;
      try {
        named = (JSON.parse(audit?.detail ?? '{}') as { receipt?: unknown }).receipt;
      } catch {
        named = undefined;
      }
      if (audit?.action !== 'retention.purge' || named !== row.id) {
        throw new ImportRefusedError(`${where}: audit entry ${row.audit_seq} is not the purge that wrote it`);
      }
      const head = claims.ledgerHead;
      if (head.seq > 0) {
        const entry = (
          await tx.query<{ entry_hash: string }>('SELECT entry_hash FROM ledger_entries WHERE seq = $1', [head.seq])
        )[0];
        if (entry?.entry_hash !== head.entryHash) {
          throw new ImportRefusedError(`${where}: the chain head it was signed at (${head.seq}) is not in the ledger`);
        }
      }
      after = row.id;
    }
  }
}

/** Partners' secrets stay sealed in the file; the master key must still open them (or no webhook is ever signed). */
async function checkPartners(tx: Queryable, masterKey: Uint8Array): Promise<void> {
  const registry = await createPartnerRegistry({ masterKey });
  for (const { id } of await tx.query<{ id: string }>('SELECT id FROM partners ORDER BY id')) {
    try {
      await registry.get(tx, id);
      await registry.pseudonymFor(tx, id, 'import-check');
    } catch (error) {
      throw new ImportRefusedError(
        `partner ${id}: its sealed secrets do not open with the master key (${describe(error)})`,
      );
    }
  }
}

/** Checks the staged rows as `consentkit verify` would, before anything commits. */
async function check(tx: Queryable, store: Store, masterKey: Uint8Array): Promise<void> {
  for (const d of DANGLING) {
    const row = (await tx.query<{ id: string }>(d.sql))[0];
    if (row) throw new ImportRefusedError(`${d.what} (${row.id})`);
  }
  // The transaction as a store, so the keyring and ledger read the staged rows.
  const staged: Store = { ...tx, kind: store.kind, transaction: (fn) => fn(tx), close: async () => {} };
  const roles = await tx.query<{ purpose: string }>("SELECT DISTINCT purpose FROM keys WHERE status = 'active'");
  if (!roles.some((r) => r.purpose === 'signing')) {
    throw new ImportRefusedError('the backup holds no active ledger signing key (no key lines?)');
  }
  let keyring: Awaited<ReturnType<typeof createKeyring>>;
  try {
    keyring = await createKeyring({ store: staged, masterKey });
  } catch (error) {
    throw new ImportRefusedError(
      `the master key does not open the backup's ledger keys (${describe(error)}); use the original CONSENTKIT_MASTER_KEY`,
    );
  }
  await checkOpenings(tx, keyring);
  await checkPurgeReceipts(tx, await keyring.publicJwks());
  await checkPartners(tx, masterKey);
  const ledger = createLedger({ store: staged, keyring });
  // signatures: every record signature, signer chain and receipt, not only the hash chain.
  const verified = await verifyLedger({ store: tx, ledger, keys: await keyring.publicJwks(), signatures: true });
  if (!verified.ok) {
    throw new ImportRefusedError(
      `the ledger does not verify at entry ${verified.seq}${verified.recordId ? ` (record ${verified.recordId})` : ''}: ${verified.reason}`,
    );
  }
  const audit = await verifyAudit(tx);
  if (!audit.ok)
    throw new ImportRefusedError(`the audit trail does not verify at its entry ${audit.seq} (${audit.reason})`);
}

export async function importBackup(options: ImportBackupOptions): Promise<ImportResult> {
  const { store } = options;
  await migrate(store);
  try {
    const staged = await store.transaction(async (tx) => {
      const result = await stage(tx, options);
      await check(tx, store, options.masterKey);
      // The restore itself is an admin action: logged after the backup's trail, in the same commit.
      await appendAudit(tx, {
        actor: options.actor ?? 'cli',
        action: 'backup.import',
        target: null,
        ip: null,
        detail: { ledgerHead: result.ledgerHead, auditHead: result.auditHead },
      });
      return result;
    });
    return { ok: true, ...staged };
  } catch (error) {
    if (error instanceof ImportRefusedError) {
      return { ok: false, reason: error.message, ...(error.line === undefined ? {} : { line: error.line }) };
    }
    throw error;
  }
}
