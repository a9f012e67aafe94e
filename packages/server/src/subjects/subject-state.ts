// A person's consent state (subject-service.ts): core's rules over their history, read from the
// entries or from their one subject-histories row, as the state queries and the bulk query read it.
import { type AssuredRecord, evaluateConsent, type Policy } from '@consentkit/core';
import { type AuditInput, recordAudit } from '../access/audit-log.js';
import type { Ledger } from '../ledger/ledger.js';
import { assuredRecordOf } from '../ledger/records-of.js';
import { createSubjectHistories, type SubjectHistory } from '../ledger/subject-histories.js';
import { createGroupCommit } from '../platform/store/group-commit.js';
import type { Queryable, Store } from '../platform/store/store.js';
import type { SubjectService } from './subject-service-contract.js';

/** The records on file for a person, oldest first (only the column the rules need). */
export async function historyOf(q: Queryable, ref: string): Promise<AssuredRecord[]> {
  const rows = await q.query<{ jws: string; assurance: string; entry_version: number }>(
    'SELECT jws, assurance, entry_version FROM ledger_entries WHERE subject_ref = $1 ORDER BY seq',
    [ref],
  );
  return rows.map((row) => assuredRecordOf({ ...row, version: Number(row.entry_version) }));
}

export type SubjectStates = Pick<SubjectService, 'state' | 'stateOf' | 'auditedStateOf'> & {
  /** The person's one subject-histories row, read together with whoever asks at the same time. */
  readonly readHistory: (ref: string) => Promise<SubjectHistory | undefined>;
};

export function createSubjectStates(options: {
  readonly store: Store;
  readonly policy: Policy;
  readonly ledger: Ledger;
}): SubjectStates {
  const { store, policy, ledger } = options;
  const histories = createSubjectHistories({ store, withLock: ledger.withLock });

  // Single state queries that arrive together are read in one query (the bulk read's): on PGlite a
  // statement costs about as much as reading fifty people in it, on PostgreSQL it is a round trip
  // each (bench/benches/state.mjs).
  const historyReads = createGroupCommit<string, SubjectHistory | undefined>({
    maxItems: 256,
    run: async (refs) => {
      const rows = await histories.read({ refs: [...new Set(refs)], indexes: [] });
      const byRef = new Map(rows.map((row) => [row.ref, row]));
      return refs.map((ref) => byRef.get(ref));
    },
  });

  // Audited state queries that arrive together: ONE statement per group reads their people and
  // appends their audit entries (a data-modifying CTE, ledger/subject-histories.ts `readAudited`),
  // one transaction, and each answer waits for it. Before, a group cost two statements and two
  // transactions (the read group's SELECT, then the audit group's append), and both queued on
  // PGlite's one thread (bench/benches/state.mjs). A group with an unknown person, histories
  // behind the ledger or an audit head this server does not know falls back to the read and the
  // audit queue (recordAudit), each entry still committed before its answer.
  const auditedReads = createGroupCommit<{ ref: string; audit: AuditInput }, SubjectHistory | undefined>({
    maxItems: 256,
    run: async (items) => {
      const refs = items.map((item) => item.ref);
      const combined = await histories.readAudited(
        refs,
        items.map((item) => item.audit),
      );
      const rows = combined.rows ?? (await histories.read({ refs: [...new Set(refs)], indexes: [] }));
      const byRef = new Map(rows.map((row) => [row.ref, row]));
      if (!combined.audited) {
        await Promise.all(items.filter((item) => byRef.has(item.ref)).map((item) => recordAudit(store, item.audit)));
      }
      return items.map((item) => byRef.get(item.ref));
    },
  });

  return {
    readHistory: (ref) => historyReads.submit(ref),
    async auditedStateOf(subjectRef, audit, stateOptions = {}) {
      const known = await auditedReads.submit({ ref: subjectRef, audit });
      return known && evaluateConsent({ policy, history: known.history, context: { ...stateOptions } });
    },
    async state(subjectRef, stateOptions = {}) {
      const history = await historyOf(store, subjectRef);
      return evaluateConsent({ policy, history, context: { ...stateOptions } });
    },
    async stateOf(subjectRef, stateOptions = {}) {
      // The person's one row of the subject histories (what the rules read of each entry), as the
      // bulk query reads it: one implementation of "the state of a person the ledger knows".
      const known = await historyReads.submit(subjectRef);
      return known && evaluateConsent({ policy, history: known.history, context: { ...stateOptions } });
    },
  };
}
