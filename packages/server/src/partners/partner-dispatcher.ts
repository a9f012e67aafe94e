import {
  type ConsentRecord,
  type ConsentState,
  evaluateConsent,
  findPurpose,
  findRecipient,
  type Policy,
  uuidv7,
} from '@consentkit/core';
import type { StoredEntry } from '../ledger/entry.js';
import type { Ledger } from '../ledger/ledger.js';
import { assuredRecordOf, decodeRecord } from '../ledger/records-of.js';
import type { Queryable, Store } from '../platform/store/store.js';
import type { PartnerEventType } from './partner-deliveries.js';
import type { PartnerRegistry } from './partner-registry.js';

/**
 * The dispatcher turns ledger entries into partner deliveries, apart from ingest: ingest never
 * waits for (or fails because of) a partner. It keeps a cursor — the last ledger seq examined —
 * and, per page, inserts the delivery rows and advances the cursor in ONE transaction, so a crash
 * keeps both or neither; the (partner, record, purpose) unique key makes a re-run insert nothing.
 *
 * What triggers an event: a decision `granted: false` on a purpose whose recipients (in the
 * current policy) include a registered partner that the policy marks audited, when core's rules
 * said the purpose was `granted` just before (an express grant, or an opt-out purpose not yet
 * opted out). A refusal of something never granted sends nothing: that partner never received the
 * person's data, and telling it about them would be a disclosure of its own.
 */

/** The `data` of the webhook event: no identifier in clear (see docs/privacy-operations.md, Third parties). */
export type PartnerEventData = {
  readonly partner: string;
  /** The per-partner pseudonym of the subject (PartnerRegistry.pseudonymFor). */
  readonly subject: string;
  readonly purpose: string;
  readonly decision: 'withdrawn' | 'opted-out';
  /** When the ledger received the choice: the moment from which the partner must stop. */
  readonly effectiveAt: string;
  /** The person's own clock when they chose (the record's issuedAt). */
  readonly decidedAt: string;
  /** The ledger record that proves it (its id; the receipt is available to the controller). */
  readonly recordId: string;
  readonly policy: { readonly id: string; readonly version: string };
};

export type DispatchOptions = {
  readonly store: Store;
  readonly ledger: Ledger;
  readonly registry: PartnerRegistry;
  /** The policy in force: who the recipients are and whether they are audited now. */
  readonly policy: Policy;
  /** Ledger entries read per transaction (default 200). */
  readonly pageSize?: number;
  /** Pages per call (default 50), so one call never runs unbounded. */
  readonly maxPages?: number;
  readonly now?: () => Date;
};

export type DispatchResult = { readonly examined: number; readonly created: number; readonly cursor: number };

/** Registered, enabled partners that the policy marks audited — the only ones that may receive anything. */
async function eligiblePartners(q: Queryable, registry: PartnerRegistry, policy: Policy): Promise<Set<string>> {
  const partners = await registry.list(q);
  return new Set(
    partners.filter((p) => p.disabledAt === null && findRecipient(policy, p.id)?.audited === true).map((p) => p.id),
  );
}

/**
 * The person's state for every purpose just before `entry`, as core's rules see it (the server
 * never decides consent itself): the earlier records of the same subject, evaluated at the moment
 * the ledger received this one, in the record's jurisdiction.
 */
function stateBefore(policy: Policy, history: readonly StoredEntry[], entry: StoredEntry, record: ConsentRecord) {
  const earlier = history.filter((e) => e.seq < entry.seq).map(assuredRecordOf);
  const at = Math.max(Date.parse(entry.receivedAt), Date.parse(record.issuedAt));
  return evaluateConsent({
    policy,
    history: earlier,
    context: { now: new Date(at), ...(record.jurisdiction ? { jurisdiction: record.jurisdiction } : {}) },
  });
}

type PendingInsert = {
  partner: string;
  record: ConsentRecord;
  entry: StoredEntry;
  purpose: string;
  type: PartnerEventType;
};

export async function dispatchPartnerEvents(options: DispatchOptions): Promise<DispatchResult> {
  const pageSize = options.pageSize ?? 200;
  const maxPages = options.maxPages ?? 50;
  const now = options.now ?? (() => new Date());
  let examined = 0;
  let created = 0;
  let cursor = 0;
  for (let page = 0; page < maxPages; page++) {
    const step = await options.store.transaction(async (tx) => {
      // FOR UPDATE: two servers dispatching at once take turns instead of reading the same page.
      const head = await tx.query<{ last_seq: number }>(
        'SELECT last_seq FROM partner_dispatch_cursor WHERE id = 1 FOR UPDATE',
      );
      const from = Number(head[0]?.last_seq ?? 0);
      const entries = await options.ledger.page(tx, from, pageSize);
      if (entries.length === 0) return { examined: 0, created: 0, cursor: from };
      const partners = await eligiblePartners(tx, options.registry, options.policy);
      const inserts: PendingInsert[] = [];
      const histories = new Map<string, StoredEntry[]>();
      for (const entry of partners.size === 0 ? [] : entries) {
        // Without a subject link the partner could not tell who opted out: nothing useful to send.
        if (entry.subjectRef === null) continue;
        const record = decodeRecord(entry.jws);
        let before: ConsentState | undefined;
        for (const decision of record.decisions) {
          if (decision.granted) continue;
          const purpose = findPurpose(options.policy, decision.purpose);
          const targets = (purpose?.recipients ?? []).filter((id) => partners.has(id));
          if (targets.length === 0) continue;
          let history = histories.get(entry.subjectRef);
          if (!history) {
            history = await options.ledger.historyOf(tx, entry.subjectRef);
            histories.set(entry.subjectRef, history);
          }
          before ??= stateBefore(options.policy, history, entry, record);
          const prior = before[decision.purpose];
          if (prior?.status !== 'granted') continue;
          const type: PartnerEventType = prior.basis === 'opt-out' ? 'consent.opted-out' : 'consent.withdrawn';
          for (const partner of targets) inserts.push({ partner, record, entry, purpose: decision.purpose, type });
        }
      }
      let inserted = 0;
      const at = now().toISOString();
      for (const item of inserts) {
        const subject = await options.registry.pseudonymFor(tx, item.partner, item.entry.subjectRef ?? '');
        if (subject === undefined) continue;
        const id = uuidv7();
        const data: PartnerEventData = {
          partner: item.partner,
          subject,
          purpose: item.purpose,
          decision: item.type === 'consent.opted-out' ? 'opted-out' : 'withdrawn',
          effectiveAt: item.entry.receivedAt,
          decidedAt: item.record.issuedAt,
          recordId: item.entry.recordId,
          policy: { id: item.record.policy.id, version: item.record.policy.version },
        };
        const payload = JSON.stringify({ id, type: item.type, createdAt: at, data });
        const rows = await tx.query<{ id: string }>(
          `INSERT INTO partner_deliveries
             (id, partner_id, record_id, purpose, event_type, ledger_seq, payload, status, attempts, next_attempt_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8, $8)
           ON CONFLICT (partner_id, record_id, purpose) DO NOTHING RETURNING id`,
          [id, item.partner, item.entry.recordId, item.purpose, item.type, item.entry.seq, payload, at],
        );
        inserted += rows.length;
      }
      const last = entries[entries.length - 1]?.seq ?? from;
      await tx.query('UPDATE partner_dispatch_cursor SET last_seq = $1 WHERE id = 1', [last]);
      return { examined: entries.length, created: inserted, cursor: last };
    });
    examined += step.examined;
    created += step.created;
    cursor = step.cursor;
    if (step.examined < pageSize) break;
  }
  return { examined, created, cursor };
}
