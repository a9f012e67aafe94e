/**
 * The client's failure watcher: a record the ledger refused or could not take yet, and a policy or
 * storage that failed at start, become console lines and `consent-error` events, on the form or
 * element that made the record while it is on the page, else on the document.
 *
 * Part of the record path's chunk in the drop-in: every client an element uses is reached through
 * that chunk (client-access.ts), which watches it before handing it over, so no record an element
 * makes can be delivered, or fail, before its client is watched.
 */
import type { ConsentClient } from '@consentkit/sdk';
import { fail } from './warn.js';

/** The form or element whose act made each record not yet delivered: where its failure is fired. */
const origins = new Map<string, Element>();
/** Records whose failed attempt was reported: a record retried ten times is one failure, until it is refused. */
const reported = new Set<string>();
const watched = new WeakSet<ConsentClient>();

/** Remembers which form or element made `recordId`, so a later delivery failure reaches it. */
export function trackRecord(recordId: string, origin: Element): void {
  origins.set(recordId, origin);
}

/** Subscribes to `client`'s failures, once per client; returns the client. */
export function watch(client: ConsentClient): ConsentClient {
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
