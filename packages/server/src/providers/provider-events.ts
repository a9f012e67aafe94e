import type { Policy } from '@consentkit/core';
import type { Ledger } from '../ledger/ledger.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Store } from '../platform/store/store.js';
import { blindIndexOf, findOrCreateSubject, findSubjectByIndex } from '../subjects/subject-lookup.js';
import type { SubjectService } from '../subjects/subject-service.js';

/**
 * What every provider's webhook becomes once its authenticity is checked: one event per
 * recipient, in the provider's own words (`type`) and in ours (`kind`). Unsubscribes, group
 * unsubscribes and spam complaints are consent events: each becomes a ledger-signed opt-out
 * record (method `email-provider`) of the configured purposes. Bounces and everything else are
 * not, and are set aside with a counted reason.
 */
export type ProviderName = 'sendgrid' | 'ses' | 'postmark' | 'mailgun';

export type ProviderEventKind = 'unsubscribe' | 'group-unsubscribe' | 'complaint' | 'bounce' | 'other';

export type ProviderEvent = {
  readonly provider: ProviderName;
  /** The provider's own id for the event (sg_event_id, event-data.id, …): replays are no-ops. */
  readonly eventId: string;
  readonly type: string;
  readonly kind: ProviderEventKind;
  readonly email: string | null;
  readonly occurredAt: string | null;
};

export type ProviderOutcome = 'recorded' | 'unchanged' | 'new-subject' | 'ignored' | 'replayed';

export type ProviderTally = Record<ProviderOutcome, number> & { readonly reasons: Record<string, number> };

export type ProviderEventsDeps = {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly ledger: Ledger;
  readonly subjects: SubjectService;
  readonly policy: Policy;
  /** The purposes an unsubscribe or complaint opts out of (default: every optional purpose). */
  readonly purposes?: readonly string[];
};

const CONSENT_KINDS: ReadonlySet<ProviderEventKind> = new Set(['unsubscribe', 'group-unsubscribe', 'complaint']);

/** The purposes a provider's opt-out covers: as configured, else every purpose the person can turn off. */
export function providerPurposes(policy: Policy, configured: readonly string[] | undefined): string[] {
  if (configured && configured.length > 0) return [...configured];
  return policy.purposes.filter((p) => !p.primary).map((p) => p.id);
}

async function seen(store: Store, event: ProviderEvent): Promise<boolean> {
  const rows = await store.query('SELECT 1 FROM provider_events WHERE provider = $1 AND event_id = $2', [
    event.provider,
    event.eventId,
  ]);
  return rows.length > 0;
}

async function remember(
  store: Store,
  event: ProviderEvent,
  row: { outcome: Exclude<ProviderOutcome, 'replayed'>; reason?: string; subjectRef?: string; recordId?: string },
): Promise<void> {
  await store.query(
    `INSERT INTO provider_events (provider, event_id, event_type, outcome, reason, subject_ref, record_id, occurred_at, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (provider, event_id) DO NOTHING`,
    [
      event.provider,
      event.eventId,
      event.type.slice(0, 100),
      row.outcome,
      row.reason ?? null,
      row.subjectRef ?? null,
      row.recordId ?? null,
      event.occurredAt,
      new Date().toISOString(),
    ],
  );
}

/**
 * Records each event once. The opt-out is appended before the event row is written, so a crash
 * between the two leaves the event to be retried by the provider, and the retry changes nothing
 * (the ledger writes no record when every decision already holds).
 */
export async function recordProviderEvents(
  deps: ProviderEventsDeps,
  events: readonly ProviderEvent[],
): Promise<ProviderTally> {
  const tally: ProviderTally = { recorded: 0, unchanged: 0, 'new-subject': 0, ignored: 0, replayed: 0, reasons: {} };
  const purposes = providerPurposes(deps.policy, deps.purposes);
  for (const event of events) {
    if (await seen(deps.store, event)) {
      tally.replayed++;
      continue;
    }
    if (!CONSENT_KINDS.has(event.kind) || event.email === null) {
      const reason =
        event.email === null ? `${event.type}: no recipient address` : `${event.type}: not a consent event`;
      await remember(deps.store, event, { outcome: 'ignored', reason });
      tally.ignored++;
      tally.reasons[reason] = (tally.reasons[reason] ?? 0) + 1;
      continue;
    }
    const index = await blindIndexOf(deps.keyring, 'email', event.email);
    let subject = await findSubjectByIndex(deps.store, index);
    const isNew = subject === undefined;
    // An address the ledger has not seen (a list older than the ledger): a subject by blind index
    // only, so the opt-out is on file when the person later enrols with that address.
    subject ??= await deps.ledger.withLock((tx) => findOrCreateSubject(tx, index));
    const result = await deps.subjects.recordServerDecision({
      subjectRef: subject.ref,
      decisions: purposes.map((purpose) => ({ purpose, granted: false })),
      method: 'email-provider',
      collectionPoint: { url: `urn:consentkit:provider:${event.provider}`, flow: event.kind },
      gpc: null,
      locale: 'und',
    });
    const outcome = isNew ? 'new-subject' : result.changed ? 'recorded' : 'unchanged';
    await remember(deps.store, event, {
      outcome,
      subjectRef: subject.ref,
      ...(result.recordId ? { recordId: result.recordId } : {}),
    });
    tally[outcome]++;
  }
  return tally;
}
