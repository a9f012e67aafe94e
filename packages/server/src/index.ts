/**
 * @consentkit/server — what an application that embeds the ledger needs, and nothing else.
 *
 * - Start it, along one path: `loadConfig()` (environment and flags, every problem reported at
 *   once as a `ConfigError`) → `openServer(config, { routes })` (store, keys, policy and the app,
 *   a `(Request) => Promise<Response>` at `.app.fetch`) → `.listen()` (the port and the background
 *   jobs). `startServer(config)` is those in one call; `stopOnSignals` stops it on Ctrl-C/SIGTERM.
 * - Open the store the configuration names (`openStore`): PGlite in a folder or PostgreSQL.
 * - Link a mail to the hosted pages: `createUnsubscribeLinker` (the unsubscribe and preference URLs
 *   and the RFC 8058 `List-Unsubscribe` headers for an address) and `formatListUnsubscribe`; the
 *   mail footer's words in the recipient's language (`emailFooter`, `recipientLocale`).
 * - Verify: the whole ledger (`verifyLedger`), a person's signed export (`verifySubjectBundle`),
 *   and, for a partner receiving the ledger's webhooks, a webhook signature (`verifyWebhookSignature`).
 * - The admin dashboard's wire types, types only (inferred from the zod schemas the routes use).
 *
 * Everything else (routes, the ingest pipeline, backups, retention, the CLI) is internal; the
 * server's own tests import it from its module.
 */

// --- The admin dashboard's wire types (types only) --------------------------------------------------
export type {
  AdminCollectionPoint,
  AdminCollectionPointStats,
  AdminLedgerStatus,
  AdminPurposeCounts,
  AdminPurposeDay,
  AdminPurposeStats,
  AdminRecordBadge,
  AdminSubjectLookup,
  AdminSubjectRecord,
} from './admin/admin-schemas.js';
// --- Verify ---------------------------------------------------------------------------------------
export type { BundleVerification, VerifyBundleOptions } from './bundle/bundle-verify.js';
export { verifySubjectBundle } from './bundle/bundle-verify.js';
// --- Link a mail to the hosted pages ------------------------------------------------------------
export type { EmailFooter } from './email/email-footer.js';
export { emailFooter, recipientLocale } from './email/email-footer.js';
export type {
  LinksInput,
  ListUnsubscribeHeaders,
  UnsubscribeLinker,
  UnsubscribeLinkerOptions,
  UnsubscribeLinks,
} from './email/list-unsubscribe.js';
export { createUnsubscribeLinker, formatListUnsubscribe } from './email/list-unsubscribe.js';
// --- Run it: the logger, metrics, probes and drain state a server was made with --------------------
export type { Operations } from './health/operations.js';
export type { LedgerFault, LedgerVerification, VerifyLedgerOptions } from './ledger/verify-ledger.js';
export { verifyLedger } from './ledger/verify-ledger.js';
export type { PartnerDelivery } from './partners/partner-deliveries.js';
export type { PartnerDeliveries } from './partners/partners-routes.js';
export type {
  VerifyWebhookOptions,
  WebhookVerification,
  WebhookVerificationFailure,
} from './partners/webhook-signature.js';
export { SIGNATURE_HEADER, verifyWebhookSignature } from './partners/webhook-signature.js';
export type { Locale } from './platform/i18n/locale.js';
export type { LogFormat, Logger, LogLevel } from './platform/observability/logger.js';
// --- Open a store -------------------------------------------------------------------------------
export { openStore } from './platform/store/open-store.js';
export type { Queryable, SqlParam, Store, StoreKind } from './platform/store/store.js';
// --- Start the server ---------------------------------------------------------------------------
export type { ExtraRoute } from './runtime/app.js';
export type { LoadConfigOptions, ServerConfig } from './runtime/config.js';
export { ConfigError, loadConfig } from './runtime/config.js';
export type { LedgerContext } from './runtime/context.js';
export type { OpenedServer, RunningServer, ServerOptions } from './runtime/server.js';
export { openServer, startServer, stopOnSignals } from './runtime/server.js';
