/**
 * @packageDocumentation
 * `@consentkit/sdk` — capture a person's choice as a signed consent record and deliver it to the
 * ledger through a pluggable backend, durably (outbox, retry, page-hide beacons). Browser-safe:
 * no `node:` imports and no zod here; Node-only pieces live in `@consentkit/sdk/node`.
 */

// --- Backends -------------------------------------------------------------------------------
export type {
  AcceptedResult,
  BeaconOptions,
  ConsentBackend,
  FetchPolicyOptions,
  FetchStateOptions,
  FetchStateResult,
  IdentifierOpening,
  OutgoingRecord,
  RejectedResult,
  SendOptions,
  SendResult,
} from './backend.js';
export type { FetchPolicyDocumentOptions } from './backends/http/fetch-policy.js';
export { fetchPolicy } from './backends/http/fetch-policy.js';
export type { HttpBackendOptions } from './backends/http/http-backend.js';
export { createHttpBackend } from './backends/http/http-backend.js';
export type { MemoryBackend, MemoryBackendOptions, MemoryLedgerEntry } from './backends/memory/memory-backend.js';
export { createMemoryBackend } from './backends/memory/memory-backend.js';
export type {
  CaptureDecision,
  CaptureOptions,
  CaptureResult,
  ChoiceOptions,
  ConsentClient,
  ConsentClientOptions,
  IdentifierInput,
  StateOptions,
} from './client/client-types.js';
// --- Client ---------------------------------------------------------------------------------
export { createConsentClient } from './client.js';
export type {
  ConsentModeBridge,
  ConsentModeOptions,
  ConsentModeSettings,
  ConsentModeValue,
  Gtag,
  MapConsentModeOptions,
} from './consent-mode.js';
export {
  createConsentModeBridge,
  defaultConsentMode,
  mapConsentMode,
} from './consent-mode.js';
// --- Events ---------------------------------------------------------------------------------
export type {
  ConsentErrorEvent,
  ConsentEvent,
  ConsentListener,
  DeliveredEvent,
  PendingEvent,
  StateEvent,
} from './events.js';
// --- Signals: GPC and Google Consent Mode v2 --------------------------------------------------
export { gpcPurposeIds, readGpcSignal } from './gpc.js';
export type { IndexedDbOutboxStoreOptions } from './outbox/indexeddb-store.js';
export { createIndexedDbOutboxStore } from './outbox/indexeddb-store.js';
export { createMemoryOutboxStore } from './outbox/memory-store.js';
export { BEACON_MAX_BYTES } from './outbox/outbox.js';
// --- Outbox ---------------------------------------------------------------------------------
export type { OutboxEntry, OutboxPutOptions, OutboxStore } from './outbox/outbox-store.js';
export type { RetryOptions } from './outbox/retry-options.js';
export { mayHaveStoredRecords } from './outbox/stored-hint.js';
export type { DeviceSignerOptions } from './signers/device-signer.js';
// --- Signers --------------------------------------------------------------------------------
export { createDeviceSigner } from './signers/device-signer.js';
