/**
 * Resolves the SDK client elements record through: the one passed to configure(), else one
 * built from `endpoint` (an HTTP backend speaking the ledger API) the first time it is needed,
 * and shared by every element on the page.
 */
import { type ConsentClient, createConsentClient, createHttpBackend } from '@consentkit/sdk';
import { getConfig, subscribeConfig, type WidgetConfig } from '../config.js';

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
  if (config.client) return config.client;
  const endpoint = config.endpoint;
  if (!endpoint) return undefined;
  if (!built) built = { key: endpoint, client: build({ ...config, endpoint }) };
  return built.client;
}
