/**
 * The backup format (`consentkit export` / `consentkit import`), NDJSON:
 *
 * 1. `{"type":"header","format":"consentkit-backup","version":2,…}` with the expected line counts;
 * 2. typed lines, table by table, in an order the importer can check as it goes (keys and
 *    policies before the entries that need them, subjects before what points at them, the audit
 *    trail before the purge receipts that point into it, partners before their deliveries and
 *    deliveries before their attempts; the dispatch cursor is one line);
 *    ledger entries are `{"type":"entry","entry":<core ChainEntry>,"receipt":"<JWS>"}` so a
 *    backup's chain checks with core's `verifyChain` alone, every other row is `{"type","row"}`
 *    with the table's columns as stored;
 * 3. `{"type":"end",…}` with the counts written and both chain heads, so a truncated file is refused,
 *    and (version 3) the signed checkpoint note of the ledger head (R72).
 *
 * Personal data travels only as ciphertext: openings and per-subject keys stay sealed, and the
 * ledger keys and the partners' webhook secrets and pseudonym keys stay sealed under the master
 * key — the file is useless without it (and a restore needs the same master key).
 */
export const BACKUP_FORMAT = 'consentkit-backup';
/**
 * 2 added the retention and partner tables (purge receipts, partners, the dispatch cursor,
 * deliveries and their attempts). 3 added the transparency log's notes: each periodic
 * checkpoint's `note`, and the signed head in the end line; the import checks the restored entries
 * against them. Version 1 and 2 files (without them) still import.
 */
export const BACKUP_VERSION = 3;
export const BACKUP_VERSIONS_READ = [1, 2, 3] as const;

/**
 * The plain tables a backup carries, in file order; `entry` (ledger_entries) goes between them.
 * `numeric`: integer columns (the PostgreSQL driver returns bigint as text, PGlite as a number);
 * `key`: the keyset-paging order (the table's primary key).
 */
export const BACKUP_TABLES = [
  {
    type: 'key',
    table: 'keys',
    key: ['kid'],
    numeric: [],
    columns: ['kid', 'purpose', 'algorithm', 'status', 'created_at', 'public_jwk', 'sealed'],
  },
  {
    type: 'policy',
    table: 'policies',
    key: ['digest'],
    numeric: [],
    columns: ['digest', 'id', 'version', 'document', 'first_served_at'],
  },
  {
    type: 'api-key',
    table: 'api_keys',
    key: ['id'],
    numeric: [],
    columns: ['id', 'name', 'scope', 'key_hash', 'created_at', 'revoked_at'],
  },
  { type: 'subject', table: 'subjects', key: ['ref'], numeric: [], columns: ['ref', 'blind_index', 'created_at'] },
  {
    type: 'subject-key',
    table: 'subject_keys',
    key: ['subject_ref'],
    numeric: [],
    columns: ['subject_ref', 'sealed', 'created_at'],
  },
  {
    type: 'commitment',
    table: 'commitments',
    key: ['commitment'],
    numeric: [],
    columns: ['commitment', 'subject_ref'],
  },
  {
    type: 'opening',
    table: 'openings',
    key: ['record_id'],
    numeric: [],
    columns: ['record_id', 'subject_ref', 'key_id', 'sealed'],
  },
  {
    type: 'checkpoint',
    table: 'checkpoints',
    key: ['seq'],
    numeric: ['seq'],
    columns: ['seq', 'entry_hash', 'signed_at', 'jws', 'note'],
    // Version 3: absent from older files (their checkpoints had no note).
    since3: ['note'],
  },
  {
    type: 'audit',
    table: 'audit_log',
    key: ['seq'],
    numeric: ['seq'],
    columns: ['seq', 'at', 'actor', 'action', 'target', 'ip', 'detail', 'prev_hash', 'entry_hash'],
  },
  // Version 2: deletion evidence, after the audit trail its rows point into.
  {
    type: 'purge-receipt',
    table: 'purge_receipts',
    key: ['id'],
    numeric: ['subjects', 'audit_seq'],
    columns: ['id', 'purged_at', 'subjects', 'jws', 'audit_seq', 'created_at'],
  },
  // The partner registry: secrets and pseudonym key stay sealed under the master key.
  {
    type: 'partner',
    table: 'partners',
    key: ['id'],
    numeric: [],
    columns: ['id', 'endpoint', 'sealed_secrets', 'sealed_pseudonym_key', 'created_at', 'updated_at', 'disabled_at'],
  },
  // One row (id 1): where the dispatcher stands, so a restored server does not re-send history.
  {
    type: 'dispatch-cursor',
    table: 'partner_dispatch_cursor',
    key: ['id'],
    numeric: ['id', 'last_seq'],
    columns: ['id', 'last_seq'],
  },
  {
    type: 'partner-delivery',
    table: 'partner_deliveries',
    key: ['id'],
    numeric: ['ledger_seq', 'attempts', 'retry_base', 'last_status'],
    columns: [
      'id',
      'partner_id',
      'record_id',
      'purpose',
      'event_type',
      'ledger_seq',
      'payload',
      'status',
      'attempts',
      'retry_base',
      'next_attempt_at',
      'last_status',
      'last_error',
      'created_at',
      'updated_at',
      'delivered_at',
    ],
  },
  {
    type: 'partner-attempt',
    table: 'partner_delivery_attempts',
    key: ['delivery_id', 'attempt'],
    numeric: ['attempt', 'status', 'duration_ms'],
    columns: ['delivery_id', 'attempt', 'at', 'status', 'error', 'duration_ms'],
  },
] as const;

export type BackupTable = (typeof BACKUP_TABLES)[number];
export type BackupLineType = BackupTable['type'] | 'entry';

// The ledger entries come right after the tables they point at (keys, policies, subjects and their
// commitments) and before the rows that point at them.
const tableTypes: readonly BackupTable['type'][] = BACKUP_TABLES.map((spec) => spec.type);
const entriesAt = tableTypes.indexOf('commitment') + 1;
export const TABLES_BEFORE_ENTRIES = tableTypes.slice(0, entriesAt);
export const TABLES_AFTER_ENTRIES = tableTypes.slice(entriesAt);

/** The order of sections in the file; a line may never come back to an earlier section. */
export const LINE_ORDER: readonly (BackupLineType | 'end')[] = [
  ...TABLES_BEFORE_ENTRIES,
  'entry',
  ...TABLES_AFTER_ENTRIES,
  'end',
];

/** The line types version 1 files hold (up to the audit trail; the importer refuses the others there). */
export const V1_TYPES: readonly BackupLineType[] = [
  ...TABLES_BEFORE_ENTRIES,
  'entry',
  ...TABLES_AFTER_ENTRIES.slice(0, TABLES_AFTER_ENTRIES.indexOf('audit') + 1),
];
export type BackupRow = Record<string, string | number | null>;
export type BackupCounts = Partial<Record<BackupLineType, number>>;
export type ChainHead = { readonly seq: number; readonly entryHash: string };

export type BackupHeader = {
  readonly type: 'header';
  readonly format: typeof BACKUP_FORMAT;
  readonly version: (typeof BACKUP_VERSIONS_READ)[number];
  readonly createdAt: string;
  /** What the file should hold (for progress; the end line has what was written). */
  readonly counts: BackupCounts;
};
export type BackupEnd = {
  readonly type: 'end';
  readonly counts: BackupCounts;
  readonly ledgerHead: ChainHead;
  readonly auditHead: ChainHead;
  /** Version 3: the signed checkpoint note of `ledgerHead` (C2SP tlog-checkpoint). */
  readonly checkpoint?: string;
};

/** Whether `column` of `spec` came in version 3 (older files lack it). */
export const isSince3 = (spec: BackupTable, column: string): boolean =>
  'since3' in spec && (spec.since3 as readonly string[]).includes(column);

/** Whether `column` of `spec` is an integer column (sent as a JSON number). */
export const isNumeric = (spec: BackupTable, column: string): boolean =>
  (spec.numeric as readonly string[]).includes(column);
