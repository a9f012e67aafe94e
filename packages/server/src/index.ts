// @consentkit/server — public API. Explicit exports only.

export type { ApiKeyInfo, ApiScope, CreatedApiKey } from './access/api-keys.js';
export { API_SCOPES, createApiKey, listApiKeys, revokeApiKey } from './access/api-keys.js';
export type { AuditAction, AuditEntry, AuditInput, AuditVerification } from './access/audit-log.js';
export { listAudit, verifyAudit } from './access/audit-log.js';
export type { BackupCounts } from './backup/backup-format.js';
export type { ExportBackupOptions } from './backup/export.js';
export { exportBackup, exportLedger } from './backup/export.js';
export type { ImportBackupOptions, ImportResult } from './backup/import.js';
export { importBackup } from './backup/import.js';
export type { BuildBundleOptions } from './bundle/bundle.js';
export { signSubjectBundle } from './bundle/bundle.js';
export type { BundleVerification, VerifyBundleOptions } from './bundle/bundle-verify.js';
export { verifySubjectBundle } from './bundle/bundle-verify.js';
export type {
  ListUnsubscribeHeaders,
  UnsubscribeLinker,
  UnsubscribeLinkerOptions,
  UnsubscribeLinks,
} from './email/list-unsubscribe.js';
export { createUnsubscribeLinker, formatListUnsubscribe } from './email/list-unsubscribe.js';
export type { IngestItem, IngestResult, Opening, RejectionCode } from './ingest/ingest.js';
export type { CheckpointClaims, LedgerEntry, ReceiptClaims, StoredEntry } from './ledger/entry.js';
export type { LedgerFault, LedgerVerification } from './ledger/verify-ledger.js';
export { verifyLedger } from './ledger/verify-ledger.js';
export { buildOpenApiDocument } from './openapi/openapi.js';
export type {
  VerifyWebhookOptions,
  WebhookVerification,
  WebhookVerificationFailure,
} from './partners/webhook-signature.js';
export { SIGNATURE_HEADER, verifyWebhookSignature } from './partners/webhook-signature.js';
export type { KeyInfo, KeyPurpose, Keyring, KeyStatus } from './platform/crypto/keyring.js';
export { rotateKeys } from './platform/crypto/keyring.js';
export type { HttpErrorOptions, ProblemIssue } from './platform/http/errors.js';
export { HttpError } from './platform/http/errors.js';
export { migrate } from './platform/store/migrate.js';
export { openStore } from './platform/store/open-store.js';
export { createPgliteStore } from './platform/store/pglite-store.js';
export { createPostgresStore } from './platform/store/postgres-store.js';
export type { Queryable, SqlParam, Store, StoreKind } from './platform/store/store.js';
export type { PurgeOptions, PurgeReport } from './retention/purge.js';
export { purgeExpired } from './retention/purge.js';
export type { DeletionReceiptClaims } from './retention/purge-receipt.js';
export { verifyDeletionReceipt } from './retention/purge-receipt.js';
export type { AppOptions, StaticMount } from './runtime/app.js';
export { createApp } from './runtime/app.js';
export type { LoadConfigOptions, MasterKey, ServerConfig } from './runtime/config.js';
export { CONFIG_SOURCES, ConfigError, loadConfig, publicUrlOf, resolveMasterKey } from './runtime/config.js';
export type { LedgerContext, LedgerContextOptions } from './runtime/context.js';
export { createLedgerContext } from './runtime/context.js';
export type { RunningServer } from './runtime/main.js';
export { startServer } from './runtime/main.js';
export type { OpenedServer } from './runtime/server.js';
export { openServer } from './runtime/server.js';
export type { EraseInput, ErasureResult } from './subjects/erasure.js';
export { eraseSubject } from './subjects/erasure.js';
export type {
  IssueTokenInput,
  RecordServerDecisionInput,
  RecordServerDecisionResult,
  ServerDecision,
  ServerDecisionMethod,
  StateOptions,
  Subject,
  SubjectService,
} from './subjects/subject-service.js';
export { createSubjectService } from './subjects/subject-service.js';
