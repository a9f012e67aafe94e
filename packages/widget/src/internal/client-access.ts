/**
 * Resolves the SDK client elements record through: the one passed to configure(), else one
 * built from `endpoint` (an HTTP backend speaking the ledger API) the first time it is needed,
 * and shared by every element on the page. Either is handed over through the record path, a
 * chunk of its own in the drop-in (record-path-loader.ts), which watches it for failures
 * (client-watch.ts) first, so the client is always reached asynchronously.
 */
import type { ConsentClient } from '@consentkit/sdk';
import { getConfig, subscribeConfig } from '../config.js';
import { loadedRecordPath, loadRecordPath, recordPathLoaded } from './record-path-loader.js';

let built: { key: string; client: Promise<ConsentClient> } | undefined;
subscribeConfig((config) => {
  // A new endpoint needs a new client; the policy alone does not (the SDK loads its own).
  if (built && built.key !== config.endpoint) {
    void built.client.then(
      (client) => client.close(),
      () => {},
    );
    built = undefined;
  }
});

/** True when a record can be made (known synchronously: form capture must decide at once). */
export function hasClient(): boolean {
  const config = getConfig();
  return Boolean(config.client || config.endpoint);
}

/**
 * The client, loading the record path now if it is needed and not loaded yet (a submit, a choice).
 * A page's own client waits for the record path too: its failure watcher lives there.
 */
export function getClient(): Promise<ConsentClient | undefined> {
  const config = getConfig();
  const own = config.client;
  if (own) return loadRecordPath().then((path) => path.watch(own));
  const endpoint = config.endpoint;
  if (!endpoint) return Promise.resolve(undefined);
  // Built from the configuration in force when it is first asked for, as one client for the page.
  const snapshot = { ...config, endpoint };
  if (!built) {
    const client = loadRecordPath().then((path) => path.buildClient(snapshot));
    built = { key: endpoint, client };
    // A chunk that failed to load is asked for again next time.
    client.catch(() => {
      if (built?.client === client) built = undefined;
    });
  }
  return built.client;
}

/**
 * The client once the record path is loaded by its schedule, without hastening it (an opt-out's
 * current state is not worth a request before the control is usable); a page's own client once it
 * is loaded now (in the drop-in, `loadSdk()` loaded it to build that client).
 */
export async function getClientWhenLoaded(): Promise<ConsentClient | undefined> {
  if (!getConfig().client) await recordPathLoaded();
  return getClient();
}

/** Remembers which form or element made `recordId` (the record path is loaded: getClient() went through it). */
export function trackRecord(recordId: string, origin: Element): void {
  loadedRecordPath()?.trackRecord(recordId, origin);
}
