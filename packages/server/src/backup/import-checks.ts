import { verifyCommitment } from '@consentkit/core';
import { verifyAudit } from '../access/audit-log.js';
import type { Opening } from '../ingest/ingest.js';
import { openCheckpointNote, parseCheckpointNote } from '../ledger/checkpoint-note.js';
import { createLedger } from '../ledger/ledger.js';
import { readStoredRecordLeniently } from '../ledger/records-of.js';
import { type UnverifiableEntry, verifyLedger } from '../ledger/verify-ledger.js';
import { createPartnerRegistry } from '../partners/partner-registry.js';
import { createCryptoBox } from '../platform/crypto/crypto-box.js';
import { createKeyring } from '../platform/crypto/keyring.js';
import { subjectKeyId } from '../platform/crypto/subject-keys.js';
import type { Queryable, Store } from '../platform/store/store.js';
import { verifyDeletionReceipt } from '../retention/purge-receipt.js';
import { blindIndexOf } from '../subjects/subject-lookup.js';
import { describe, ImportRefusedError } from './import-refused.js';

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
            ? createCryptoBox({
                key: await keyring.openingBox.box.open(String(row.subject_key), `subject-key:${row.subject_ref}`),
              })
            : keyring.openingBox.box;
        opening = JSON.parse(
          new TextDecoder().decode(await box.open(row.sealed, `opening:${row.record_id}`)),
        ) as Opening;
      } catch (error) {
        throw new ImportRefusedError(`${where} does not open with its data key (${describe(error)})`);
      }
      const subject = readStoredRecordLeniently(row.jws).subject;
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

/**
 * Checks the staged rows as `consentkit verify` would, before anything commits. Entries whose
 * record core's strict decoder refuses (stored by an older, lenient ingest) refuse the backup
 * unless `keepUnverifiable`; then they are kept as they are and returned, so the caller says so.
 */
/** The backup's signed head, checked against the restored keys and size; refuses the backup otherwise. */
function openBackupHead(note: string, size: number, keys: readonly Uint8Array[]) {
  const opened = openCheckpointNote(note, keys);
  if ('reason' in opened) throw new ImportRefusedError(`the backup's signed head: ${opened.reason}`);
  if (opened.size !== size)
    throw new ImportRefusedError(
      `the backup's signed head is for ${opened.size} entries, the file holds ${size} (entries dropped or added)`,
    );
  return opened;
}

export async function check(
  tx: Queryable,
  store: Store,
  masterKey: Uint8Array,
  options: {
    readonly keepUnverifiable?: boolean;
    /** The restored head's size, and (version 3) the signed head the backup carried. */
    readonly head?: { readonly size: number; readonly note: string | undefined };
  } = {},
): Promise<readonly UnverifiableEntry[]> {
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
  // The backup's signed head (version 3) must be the ledger's, for exactly the entries restored;
  // the restored log keeps its origin, so its next heads extend what witnesses already hold.
  const backupHead =
    options.head?.note === undefined
      ? undefined
      : openBackupHead(options.head.note, options.head.size, await keyring.checkpointKeys());
  if (backupHead) await tx.query('UPDATE ledger_head SET origin = $1 WHERE id = 1', [backupHead.origin]);
  // The restored entries get a head signed over them (their tree recomputed from every entry);
  // the walk below then checks it with everything else.
  const sealed = parseCheckpointNote(await ledger.seal());
  // signatures: every record signature, signer chain and receipt, not only the hash chain.
  const verified = await verifyLedger({ store: tx, ledger, keys: await keyring.publicJwks(), signatures: true });
  if (!verified.ok) {
    throw new ImportRefusedError(
      `the ledger does not verify at entry ${verified.seq}${verified.recordId ? ` (record ${verified.recordId})` : ''}: ${verified.reason}`,
    );
  }
  // After the walk, which names the first bad entry: a root that differs with every entry sound.
  if (backupHead && !('reason' in sealed) && !sealed.root.equals(backupHead.root)) {
    throw new ImportRefusedError(
      `the restored entries' Merkle root ${sealed.root.toString('base64')} is not the root ${backupHead.root.toString('base64')} the backup's signed head carries: entries were changed after it was signed`,
    );
  }
  const audit = await verifyAudit(tx);
  if (!audit.ok)
    throw new ImportRefusedError(`the audit trail does not verify at its entry ${audit.seq} (${audit.reason})`);
  const first = verified.unverifiable[0];
  if (first && !options.keepUnverifiable) {
    const n = verified.unverifiable.length;
    throw new ImportRefusedError(
      `${n} entr${n === 1 ? 'y holds a record' : 'ies hold records'} the strict decoder refuses (first: entry ${first.seq}, record ${first.recordId}: ${first.reason}); ` +
        'the chain is intact: import with --keep-unverifiable to keep them as they are (consentkit verify keeps reporting them)',
    );
  }
  return verified.unverifiable;
}
