/**
 * Resolves the SDK client elements record through: the one passed to configure(), else one
 * built from `endpoint` (an HTTP backend speaking the ledger API) the first time it is needed,
 * and shared by every element on the page.
 */
import { type ConsentClient, createConsentClient, createHttpBackend } from '@consentkit/sdk';
import { getConfig, subscribeConfig, type WidgetConfig } from '../config.js';
import { fail } from './warn.js';

let built: { key: string; client: ConsentClient } | undefined;
subscribeConfig((config) => {
  // A new endpoint needs a new client; the policy alone does not (the SDK loads its own).
  if (built && built.key !== config.endpoint) {
    void built.client.close();
    built = undefined;
  }
});

/** True when a record can be made (known synchronously: form capture must decide at once). */
export function hasClient(): boolean {
  const config = getConfig();
  return Boolean(config.client || config.endpoint);
}

function build(config: WidgetConfig & { endpoint: string }): ConsentClient {
  return createConsentClient({
    backend: createHttpBackend({ url: config.endpoint }),
    // The SDK reads GET {endpoint}/v1/policy through the backend when no policy is given.
    ...(config.policy ? { policy: config.policy } : config.policyUrl ? { policyUrl: config.policyUrl } : {}),
    ...(config.locale ? { locale: config.locale } : {}),
    ...(config.jurisdiction ? { jurisdiction: config.jurisdiction } : {}),
    ...(config.consentMode ? { consentMode: true } : {}),
  });
}

export function getClient(): ConsentClient | undefined {
  const config = getConfig();
  if (config.client) return watch(config.client);
  const endpoint = config.endpoint;
  if (!endpoint) return undefined;
  if (!built) built = { key: endpoint, client: watch(build({ ...config, endpoint })) };
  return built.client;
}

/** The form or element whose act made each record not yet delivered: where its failure is fired. */
const origins = new Map<string, Element>();
/** Records whose failed attempt was reported: a record retried ten times is one failure, until it is refused. */
const reported = new Set<string>();
const watched = new WeakSet<ConsentClient>();

/** Remembers which form or element made `recordId`, so a later delivery failure reaches it. */
export function trackRecord(recordId: string, origin: Element): void {
  origins.set(recordId, origin);
}

/**
 * The client's background failures (a record the ledger refused, or could not take yet; a policy
 * or storage that failed at start) become console lines and `consent-error` events, on the form
 * or element that made the record while it is on the page, else on the document.
 */
function watch(client: ConsentClient): ConsentClient {
  if (watched.has(client)) return client;
  watched.add(client);
  client.subscribe((event) => {
    if (event.type === 'delivered') origins.delete(event.recordId);
    if (event.type !== 'error' && event.type !== 'pending') return;
    const { recordId } = event;
    if (event.type === 'pending') {
      if (reported.has(event.recordId)) return;
      reported.add(event.recordId);
    }
    const origin = recordId === undefined ? undefined : origins.get(recordId);
    if (event.type === 'error' && recordId !== undefined) origins.delete(recordId);
    fail(event.code, event.reason, {
      ...(origin?.isConnected ? { target: origin } : {}),
      ...(recordId === undefined ? {} : { recordId }),
      retrying: event.type === 'pending',
    });
  });
  return client;
}
