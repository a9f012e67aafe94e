/**
 * The record path: everything needed only to make, sign and deliver a record (the SDK client with
 * core's record building and signing, its outbox and IndexedDB, the HTTP transport, kept choices).
 * The drop-in loads it as a chunk of its own once the controls are usable (record-path-loader.ts),
 * so none of it stands between a page and its first usable control. Every client the elements
 * use is handed over through it, watched for failures (client-watch.ts).
 */
import { type ConsentClient, createConsentClient, createHttpBackend } from '@consentkit/sdk';
import type { WidgetConfig } from '../config.js';
import { watch } from './client-watch.js';

export { trackRecord, watch } from './client-watch.js';
export { captureForm } from './form-record.js';

/** The SDK's factories, for loadSdk(). */
export function sdk(): Pick<typeof import('@consentkit/sdk'), 'createConsentClient' | 'createHttpBackend'> {
  return { createConsentClient, createHttpBackend };
}

/** The client `<consent-config endpoint>` / `configure({ endpoint })` asks for: an HTTP backend to the ledger, watched. */
export function buildClient(config: WidgetConfig & { endpoint: string }): ConsentClient {
  return watch(
    createConsentClient({
      backend: createHttpBackend({ url: config.endpoint }),
      // The SDK reads GET {endpoint}/v1/policy through the backend when no policy is given.
      ...(config.policy ? { policy: config.policy } : config.policyUrl ? { policyUrl: config.policyUrl } : {}),
      ...(config.locale ? { locale: config.locale } : {}),
      ...(config.jurisdiction ? { jurisdiction: config.jurisdiction } : {}),
      ...(config.consentMode ? { consentMode: true } : {}),
    }),
  );
}
