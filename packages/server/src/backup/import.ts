import { appendAudit } from '../access/audit-log.js';
import type { UnverifiableEntry } from '../ledger/verify-ledger.js';
import { migrate } from '../platform/store/migrate.js';
import type { Store } from '../platform/store/store.js';
import type { BackupCounts } from './backup-format.js';
import { check } from './import-checks.js';
import { ImportRefusedError } from './import-refused.js';
import { type StageOptions, stage } from './import-stage.js';

/**
 * `consentkit import`: restores a backup written by `exportBackup` into an empty ledger. Everything
 * is staged in one transaction and checked there — the file's shape and order, every policy's
 * digest, that the master key opens the ledger keys, the whole hash chain with every record
 * signature, signer chain, receipt and checkpoint (the same `verifyLedger` that `consentkit verify`
 * runs), the audit chain, and that every opening, commitment and entry points at a row that exists;
 * every purge receipt's JWS verifies against the restored ledger keys and says what its row says,
 * every partner's sealed secrets open with the master key, every delivery names a known partner
 * and a restored entry, and the dispatch cursor stands at or before the ledger head; and (version
 * 3) that the backup's signed head is the ledger's, for exactly the entries restored, with the
 * Merkle root they give, and every periodic checkpoint's note carries the root of its size (R72).
 * Any fault rolls the transaction back: a refused backup leaves nothing behind.
 */
export type ImportBackupOptions = StageOptions & {
  readonly store: Store;
  /** The master key the backup's ledger keys are sealed under (the original deployment's). */
  readonly masterKey: Uint8Array;
  /** Who restored it, for the audit entry the import appends after the backup's own (default `cli`). */
  readonly actor?: string;
  /**
   * Keep entries whose record core's strict decoder refuses (an older ingest stored them) instead
   * of refusing the backup: the chain covers them, so they are restored as they are and listed.
   */
  readonly keepUnverifiable?: boolean;
};

export type ImportResult =
  | {
      readonly ok: true;
      readonly counts: BackupCounts;
      readonly ledgerHead: number;
      readonly auditHead: number;
      /** The unverifiable entries kept (only with `keepUnverifiable`; otherwise they refuse the backup). */
      readonly unverifiable: readonly UnverifiableEntry[];
    }
  | { readonly ok: false; readonly reason: string; readonly line?: number };

export async function importBackup(options: ImportBackupOptions): Promise<ImportResult> {
  const { store } = options;
  await migrate(store);
  try {
    const staged = await store.transaction(async (tx) => {
      const result = await stage(tx, options);
      const unverifiable = await check(tx, store, options.masterKey, {
        keepUnverifiable: options.keepUnverifiable === true,
        head: { size: result.ledgerHead, note: result.checkpoint },
      });
      // The restore itself is an admin action: logged after the backup's trail, in the same commit.
      await appendAudit(tx, {
        actor: options.actor ?? 'cli',
        action: 'backup.import',
        target: null,
        ip: null,
        detail: {
          ledgerHead: result.ledgerHead,
          auditHead: result.auditHead,
          ...(unverifiable.length > 0 ? { keptUnverifiable: unverifiable.map((u) => u.seq) } : {}),
        },
      });
      const { checkpoint: _, ...rest } = result;
      return { ...rest, unverifiable };
    });
    return { ok: true, ...staged };
  } catch (error) {
    if (error instanceof ImportRefusedError) {
      return { ok: false, reason: error.detail, ...(error.line === undefined ? {} : { line: error.line }) };
    }
    throw error;
  }
}
