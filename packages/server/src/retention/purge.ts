import { type AssuredRecord, ConsentError, uuidv7 } from '@consentkit/core';
import { type AuditAction, appendAudit } from '../access/audit-log.js';
import { assuredRecordOf } from '../ledger/records-of.js';
import type { Queryable } from '../platform/store/store.js';
import type { LedgerContext } from '../runtime/context.js';
import { countShreddable, shredSubject } from '../subjects/erasure.js';
import {
  type DeletedSubject,
  type DeletionReceiptClaims,
  type PurgeCriteria,
  signDeletionReceipt,
  storeDeletionReceipt,
} from './purge-receipt.js';
import { assessRetention, type SubjectRetention } from './retention.js';

/**
 * `consentkit purge` and the daily job: destroy the personal data of everyone whose proof of
 * consent is past retention (retention.ts decides), by the same crypto-shredding as erasure,
 * and leave a signed deletion receipt. The records stay: after the shredding they hold nothing that
 * links them to a person, and removing them would break the chain every other proof rests on (R72).
 *
 * A dry run reads only and writes nothing (not even the audit log): it is a preview.
 */
export type PurgeOptions = {
  /** The clock the rule is evaluated at (tests and `--now` inject it). */
  readonly now?: Date;
  readonly dryRun?: boolean;
  /** Who runs it, for the audit trail: `cli:<user>`, `retention-job`. */
  readonly actor: string;
  readonly ip?: string | null;
  /** At most this many people per run, so one run never holds the head lock for long. */
  readonly maxSubjects?: number;
  /** Progress for a terminal: people examined so far, then people destroyed of those chosen. */
  readonly onProgress?: (phase: 'examining' | 'destroying', done: number, total: number) => void;
};

export type PurgeReport = {
  readonly dryRun: boolean;
  readonly purgedAt: string;
  readonly criteria: PurgeCriteria;
  /** Who went (or, in a dry run, would go): refs and counts, never identifiers. */
  readonly subjects: readonly DeletedSubject[];
  readonly counts: DeletionReceiptClaims['counts'];
  /** More were past retention than `maxSubjects`; the next run takes them. */
  readonly remaining: number;
  readonly receipt?: { readonly id: string; readonly jws: string; readonly auditSeq: number };
};

const PURGE_ACTION: AuditAction = 'retention.purge';

export const PURGE_RULE =
  'destroy when no purpose is ongoing and now > max(end of processing per purpose + purpose.retention) + recordRetention, ' +
  'and never before recordRetention after the last record';

function criteriaOf(context: LedgerContext): PurgeCriteria {
  const policy = context.policies.current;
  return {
    rule: PURGE_RULE,
    recordRetention: policy.recordRetention,
    purposes: Object.fromEntries(policy.purposes.map((p) => [p.id, p.retention])),
  };
}

async function assess(context: LedgerContext, q: Queryable, ref: string, createdAt: string, now: Date) {
  const history = (await context.ledger.historyOf(q, ref)).map(assuredRecordOf);
  return assessRetention({ policy: context.policies.current, history, now, subjectCreatedAt: createdAt });
}

const PAGE = 500;

type Candidate = { ref: string; createdAt: string; retention: SubjectRetention };

export async function purgeExpired(context: LedgerContext, options: PurgeOptions): Promise<PurgeReport> {
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new ConsentError('invalid-options', 'purge: the clock gave an invalid date');
  const maxSubjects = options.maxSubjects ?? 10_000;
  const { store } = context;

  // 1. Find the candidates outside the lock: ingest keeps running while we read.
  const verdicts = { ongoing: 0, retained: 0, expired: 0 };
  const candidates: Candidate[] = [];
  let after = '';
  for (;;) {
    // One query per page of people (with their records, in ledger order), not one per person.
    const rows = await store.query<{
      ref: string;
      created_at: string;
      jws: string | null;
      assurance: string | null;
      entry_version: number | null;
    }>(
      `SELECT s.ref, s.created_at, e.jws, e.assurance, e.entry_version
         FROM (SELECT ref, created_at FROM subjects WHERE ref > $1 ORDER BY ref LIMIT ${PAGE}) s
         LEFT JOIN ledger_entries e ON e.subject_ref = s.ref
        ORDER BY s.ref, e.seq`,
      [after],
    );
    const people = new Map<string, { createdAt: string; history: AssuredRecord[] }>();
    for (const row of rows) {
      const person = people.get(row.ref) ?? { createdAt: row.created_at, history: [] };
      if (row.jws !== null) {
        const version = Number(row.entry_version);
        person.history.push(assuredRecordOf({ jws: row.jws, assurance: row.assurance ?? 'device', version }));
      }
      people.set(row.ref, person);
    }
    for (const [ref, person] of people) {
      const retention = assessRetention({
        policy: context.policies.current,
        history: person.history,
        now,
        subjectCreatedAt: person.createdAt,
      });
      verdicts[retention.verdict]++;
      if (retention.verdict === 'expired') candidates.push({ ref, createdAt: person.createdAt, retention });
    }
    const seen = verdicts.ongoing + verdicts.retained + verdicts.expired;
    options.onProgress?.('examining', seen, seen);
    if (people.size < PAGE) break;
    after = [...people.keys()].at(-1) ?? after;
  }
  const chosen = candidates.slice(0, maxSubjects);
  const remaining = candidates.length - chosen.length;
  const examined = verdicts.ongoing + verdicts.retained + verdicts.expired;
  const criteria = criteriaOf(context);
  const purgedAt = now.toISOString();
  const total = (subjects: readonly DeletedSubject[]) => ({
    examined,
    ongoing: verdicts.ongoing,
    retained: verdicts.retained,
    destroyed: subjects.length,
    openings: subjects.reduce((n, s) => n + s.openings, 0),
    commitments: subjects.reduce((n, s) => n + s.commitments, 0),
    dataKeys: subjects.reduce((n, s) => n + s.dataKeys, 0),
    records: subjects.reduce((n, s) => n + s.records, 0),
  });

  if (options.dryRun) {
    const subjects: DeletedSubject[] = [];
    for (const c of chosen) {
      subjects.push({
        subjectRef: c.ref,
        keepUntil: c.retention.keepUntil ?? purgedAt,
        records: c.retention.records,
        ...(await countShreddable(store, c.ref)),
      });
    }
    return { dryRun: true, purgedAt, criteria, subjects, counts: total(subjects), remaining };
  }

  // 2. Destroy under the head lock, deciding again on what the transaction sees: a record that
  // arrived since the scan (a new grant) saves the person. All or nothing, receipt included.
  return context.ledger.withLock(async (tx) => {
    const subjects: DeletedSubject[] = [];
    const receiptId = uuidv7();
    for (const [i, c] of chosen.entries()) {
      options.onProgress?.('destroying', i, chosen.length);
      const retention = await assess(context, tx, c.ref, c.createdAt, now);
      if (retention.verdict !== 'expired') {
        verdicts.expired--;
        verdicts[retention.verdict]++;
        continue;
      }
      const shredded = await shredSubject(tx, c.ref);
      if (!shredded) continue; // erased meanwhile
      subjects.push({
        subjectRef: c.ref,
        keepUntil: retention.keepUntil ?? purgedAt,
        records: retention.records,
        ...shredded,
      });
      await appendAudit(tx, {
        actor: options.actor,
        action: 'subject.erase',
        target: c.ref,
        ip: options.ip ?? null,
        detail: { ...shredded, reason: 'retention', receipt: receiptId },
      });
    }
    const counts = total(subjects);
    const claims: DeletionReceiptClaims = {
      receiptId,
      purgedAt,
      policy: {
        id: context.policies.current.id,
        version: context.policies.current.version,
        digest: context.policies.currentDigest,
      },
      criteria,
      ledgerHead: { seq: tx.head.seq, entryHash: tx.head.entryHash },
      subjects,
      counts,
    };
    const jws = await signDeletionReceipt(context.keyring.signer, claims);
    const audit = await appendAudit(tx, {
      actor: options.actor,
      action: PURGE_ACTION,
      target: null,
      ip: options.ip ?? null,
      detail: { receipt: receiptId, purgedAt, ...counts },
    });
    await storeDeletionReceipt(tx, { id: receiptId, purgedAt, subjects: subjects.length, jws, auditSeq: audit.seq });
    return {
      dryRun: false,
      purgedAt,
      criteria,
      subjects,
      counts,
      remaining,
      receipt: { id: receiptId, jws, auditSeq: audit.seq },
    };
  });
}
