/**
 * Resolves the SDK client elements record through: the one passed to configure(), else one
 * built from `endpoint` (an HTTP backend speaking the ledger API) the first time it is needed,
 * and shared by every element on the page. Building one needs the record path, a chunk of its
 * own in the drop-in (record-path-loader.ts), so the client is always reached asynchronously.
 */
import type { ConsentClient } from '@consentkit/sdk';
import { getConfig, subscribeConfig } from '../config.js';
import { loadRecordPath, recordPathLoaded } from './record-path-loader.js';
import { fail } from './warn.js';

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

/** The client, loading the record path now if it is needed and not loaded yet (a submit, a choice). */
export function getClient(): Promise<ConsentClient | undefined> {
  const config = getConfig();
  if (config.client) return Promise.resolve(watch(config.client));
  const endpoint = config.endpoint;
  if (!endpoint) return Promise.resolve(undefined);
  // Built from the configuration in force when it is first asked for, as one client for the page.
  const snapshot = { ...config, endpoint };
  if (!built) {
    const client = loadRecordPath().then((path) => watch(path.buildClient(snapshot)));
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
 * current state is not worth a request before the control is usable); a page's own client at once.
 */
export async function getClientWhenLoaded(): Promise<ConsentClient | undefined> {
  if (!getConfig().client) await recordPathLoaded();
  return getClient();
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
