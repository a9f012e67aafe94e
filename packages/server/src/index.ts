// @consentkit/server — public API. Explicit exports only.

export type { ApiKeyInfo, ApiScope, CreatedApiKey } from './access/api-keys.js';
export { API_SCOPES, createApiKey, listApiKeys, revokeApiKey } from './access/api-keys.js';
export type { AppOptions, StaticMount } from './app.js';
export { createApp } from './app.js';
export type { AuditAction, AuditEntry, AuditInput, AuditVerification } from './audit/audit-log.js';
export { listAudit, verifyAudit } from './audit/audit-log.js';
export type { LoadConfigOptions, MasterKey, ServerConfig } from './config.js';
export { CONFIG_SOURCES, ConfigError, loadConfig, publicUrlOf, resolveMasterKey } from './config.js';
export type { LedgerContext, LedgerContextOptions } from './context.js';
export { createLedgerContext } from './context.js';
export type {
  ListUnsubscribeHeaders,
  UnsubscribeLinker,
  UnsubscribeLinkerOptions,
  UnsubscribeLinks,
} from './email/list-unsubscribe.js';
export { createUnsubscribeLinker, formatListUnsubscribe } from './email/list-unsubscribe.js';
export type { HttpErrorOptions, ProblemIssue } from './http/errors.js';
export { HttpError } from './http/errors.js';
export type { KeyInfo, KeyPurpose, Keyring, KeyStatus } from './keys/keyring.js';
export { rotateKeys } from './keys/keyring.js';
export type { BackupCounts } from './ledger/backup-format.js';
export type { BuildBundleOptions } from './ledger/bundle.js';
export { signSubjectBundle } from './ledger/bundle.js';
export type { BundleVerification, VerifyBundleOptions } from './ledger/bundle-verify.js';
export { verifySubjectBundle } from './ledger/bundle-verify.js';
export type { CheckpointClaims, LedgerEntry, ReceiptClaims, StoredEntry } from './ledger/entry.js';
export type { EraseInput, ErasureResult } from './ledger/erasure.js';
export { eraseSubject } from './ledger/erasure.js';
export type { ExportBackupOptions } from './ledger/export.js';
export { exportBackup, exportLedger } from './ledger/export.js';
export type { ImportBackupOptions, ImportResult } from './ledger/import.js';
export { importBackup } from './ledger/import.js';
export type { IngestItem, IngestResult, Opening, RejectionCode } from './ledger/ingest.js';
export type { PurgeOptions, PurgeReport } from './ledger/purge.js';
export { purgeExpired } from './ledger/purge.js';
export type { DeletionReceiptClaims } from './ledger/purge-receipt.js';
export { verifyDeletionReceipt } from './ledger/purge-receipt.js';
export type {
  IssueTokenInput,
  RecordServerDecisionInput,
  RecordServerDecisionResult,
  ServerDecision,
  ServerDecisionMethod,
  StateOptions,
  Subject,
  SubjectService,
} from './ledger/subject-service.js';
export { createSubjectService } from './ledger/subject-service.js';
export type { LedgerFault, LedgerVerification } from './ledger/verify-ledger.js';
export { verifyLedger } from './ledger/verify-ledger.js';
export type { RunningServer } from './main.js';
export { startServer } from './main.js';
export type {
  VerifyWebhookOptions,
  WebhookVerification,
  WebhookVerificationFailure,
} from './partners/webhook-signature.js';
export { SIGNATURE_HEADER, verifyWebhookSignature } from './partners/webhook-signature.js';
export { buildOpenApiDocument } from './routes/openapi.js';
export type { OpenedServer } from './server.js';
export { openServer } from './server.js';
export { migrate } from './store/migrate.js';
export { openStore } from './store/open-store.js';
export { createPgliteStore } from './store/pglite-store.js';
export { createPostgresStore } from './store/postgres-store.js';
export type { Queryable, SqlParam, Store, StoreKind } from './store/store.js';
