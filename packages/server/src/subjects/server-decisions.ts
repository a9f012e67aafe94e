// Decisions the ledger records on a person's behalf (subject-service.ts): one-click unsubscribes,
// the preference centre, GPC and email providers' webhooks, signed with the ledger key and appended
// in groups under the head lock; a repeat that changes nothing writes nothing (R42).
import {
  type Assurance,
  ConsentError,
  type ConsentRecord,
  canonicalize,
  createRecord,
  type Decision,
  effectivePurpose,
  evaluateConsent,
  findPurpose,
  type Policy,
  policyRef,
  type RuleItem,
  signRecord,
} from '@consentkit/core';
import { type AppendInput, type Ledger, type LockedTx, lastDigestSql } from '../ledger/ledger.js';
import { sha256HexSync } from '../platform/crypto/hash.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { createGroupCommit } from '../platform/store/group-commit.js';
import type {
  RecordServerDecisionInput,
  RecordServerDecisionResult,
  ServerDecision,
  SubjectService,
} from './subject-service-contract.js';
import { historyOf, type SubjectStates } from './subject-state.js';

/**
 * Who the ledger knows spoke for a record it signs (docs/decisions/0002): the hosted pages are
 * reached through a link the ledger mailed, so the person showed they hold the address (`inbox`);
 * an email provider's webhook is an authenticated system reporting what happened in the mailbox,
 * which the ledger did not see (`site`). Opt-outs count at every level either way.
 */
function serverDecisionAssurance(method: string): Assurance {
  return method === 'email-provider' ? 'site' : 'inbox';
}

/**
 * What a group's placement reads under the head lock, in one statement: for each person named ($1,
 * a JSON array of refs) who still exists, their last record's id; and one row with a null ref for
 * the last digest signed by the ledger's key ($2; `ledger.lastDigestOf`).
 */
const LOCKED_READ_SQL = `
  SELECT s.ref,
    (SELECT e.record_id FROM ledger_entries e WHERE e.subject_ref = s.ref ORDER BY e.seq DESC LIMIT 1) AS last
  FROM subjects s WHERE s.ref = ANY(ARRAY(SELECT json_array_elements_text($1::json)))
  UNION ALL
  SELECT NULL, ${lastDigestSql('$2')}`;

export function createServerDecisions(options: {
  readonly policy: Policy;
  readonly keyring: Keyring;
  readonly ledger: Ledger;
  readonly readHistory: SubjectStates['readHistory'];
}): Pick<SubjectService, 'recordServerDecision'> {
  const { policy, keyring, ledger, readHistory } = options;

  /** Which of `decisions` differ from the person's current state (R42: a repeat changes nothing). */
  function changes(history: readonly RuleItem[], decisions: readonly Decision[]): boolean {
    const state = evaluateConsent({ policy, history: [...history], context: {} });
    // A purpose changes when no record speaks for it yet, or the record on file says otherwise.
    return decisions.some((d) => {
      const current = state[d.purpose];
      return current?.recordId === undefined || (current.status === 'granted') !== d.granted;
    });
  }

  type Pending = {
    input: RecordServerDecisionInput;
    decisions: Decision[];
    /** The history read before the lock (the person's subject-histories row), as the rules read it. */
    seen: RuleItem[];
  };
  type Outcome = { ok: true; value: RecordServerDecisionResult } | { ok: false; error: unknown };

  /**
   * Under the head lock, for a group of decisions at once: each is re-checked against the ledger
   * (two simultaneous one-click POSTs still make one change, R42), the new records are chained and
   * signed in parallel, and all are appended with one INSERT.
   */
  async function placeDecisions(tx: LockedTx, group: readonly Pending[]): Promise<Outcome[]> {
    const refs = [...new Set(group.map((p) => p.input.subjectRef))];
    // Each person's last record id under the lock: records are only ever appended, so the same last
    // record means the history read before the lock is still the whole of it. Asked in the same
    // statement as the ledger's last digest (the next record's `prev`, the row with no ref): each
    // statement is a round trip the head lock is held for (on PGlite a hand-off to its thread).
    const found = await tx.query<{ ref: string | null; last: string | null }>(
      LOCKED_READ_SQL,
      [JSON.stringify(refs), keyring.signer.kid],
      { prepare: 'decisions-locked-read' },
    );
    const rows = found.filter((r): r is { ref: string; last: string | null } => r.ref !== null);
    const lastDigest = found.find((r) => r.ref === null)?.last ?? null;
    const lastRecord = new Map(rows.map((r) => [r.ref, r.last ?? undefined]));
    /** Histories read again under the lock, and extended with this group's own new records. */
    const fresh = new Map<string, RuleItem[]>();
    let prev = lastDigest;
    const made: ConsentRecord[] = [];
    const outcomes: Outcome[] = [];
    for (const p of group) {
      const ref = p.input.subjectRef;
      if (!lastRecord.has(ref)) {
        outcomes.push({ ok: false, error: new ConsentError('not-found', `no subject ${ref}`) });
        continue;
      }
      let history = fresh.get(ref);
      if (!history) {
        // Unchanged since it was read (its last entry is the same), the earlier read stands.
        history = lastRecord.get(ref) === p.seen.at(-1)?.record.id ? [...p.seen] : await historyOf(tx, ref);
        fresh.set(ref, history);
      }
      if (!changes(history, p.decisions)) {
        outcomes.push({ ok: true, value: { recordId: history.at(-1)?.record.id, changed: false } });
        continue;
      }
      const input = p.input;
      const interaction = input.interaction ?? (input.method === 'preference-page' ? 'pointer' : 'none');
      const record = await createRecord({
        subject: { kind: 'ref', ref },
        policy: await policyReference,
        decisions: p.decisions,
        method: input.method,
        interaction,
        collectionPoint: { ...input.collectionPoint },
        locale: input.locale,
        ...(input.jurisdiction === undefined ? {} : { jurisdiction: input.jurisdiction }),
        gpc: input.gpc,
        prev,
      });
      // The record digest is the SHA-256 of its JCS form: the next record's `prev`, known before signing.
      prev = sha256HexSync(canonicalize(record));
      history.push({ record, assurance: serverDecisionAssurance(input.method) });
      made.push(record);
      outcomes.push({ ok: true, value: { recordId: record.id, changed: true } });
    }
    const signed = await Promise.all(
      made.map((record) => signRecord({ record, signer: keyring.signer, sha256Hex: sha256HexSync })),
    );
    const appends: AppendInput[] = signed.map((s) => ({
      recordId: s.record.id,
      kid: keyring.signer.kid,
      digest: s.digest,
      jws: s.jws,
      subjectRef: s.record.subject.kind === 'ref' ? s.record.subject.ref : null,
      assurance: serverDecisionAssurance(s.record.method),
    }));
    await ledger.appendMany(tx, appends);
    return outcomes;
  }

  // The reference each server-made record carries: the policy's digest is the SHA-256 of its whole
  // JCS form, which createRecord computed again for every record (4–9% of a one-click POST's CPU,
  // under the head lock, bench/benches/unsubscribe.mjs). The service serves one policy.
  const policyReference = policyRef(policy);
  policyReference.catch(() => {}); // a failure surfaces where it is awaited

  const decisionsQueue = createGroupCommit<Pending, Outcome>({
    maxItems: 128,
    run: (group) => ledger.withLock((tx) => placeDecisions(tx, group)),
  });

  function toDecision(input: RecordServerDecisionInput, d: ServerDecision): Decision {
    const purpose = findPurpose(policy, d.purpose);
    if (!purpose) {
      throw new ConsentError(
        'invalid-options',
        `purpose "${d.purpose}" is not in policy ${policy.id}@${policy.version}`,
      );
    }
    // Switching a purpose on in the preference centre is the person's own affirmative click:
    // express consent, whatever the purpose's default basis. It is also the only act that
    // re-consents after a GPC opt-out (R48 (c)(3), B12), so it must not be recorded as opt-out.
    const wording = d.wording === undefined ? {} : { wording: { sha256: sha256HexSync(d.wording), text: d.wording } };
    if (input.method === 'preference-page' && d.granted) {
      return { purpose: d.purpose, granted: true, basis: 'express', legalBasis: 'consent', ...wording };
    }
    const effective = effectivePurpose(purpose, input.jurisdiction ?? policy.jurisdiction);
    // The legal basis createRecord would take from the policy (R37); the record is built from the
    // policy's reference, so it is named here.
    return {
      purpose: d.purpose,
      granted: d.granted,
      basis: effective.basis,
      legalBasis: effective.legalBasis,
      ...wording,
    };
  }

  return {
    async recordServerDecision(input) {
      const decisions = input.decisions.map((d) => toDecision(input, d));
      // Read and evaluated outside the lock: a repeat that changes nothing (the common case for a
      // mailbox provider's retries) never queues for it. The read is the state queries' (the
      // person's one subject-histories row), shared with whoever asks at the same time.
      const seen = await readHistory(input.subjectRef);
      if (!seen) throw new ConsentError('not-found', `no subject ${input.subjectRef}`);
      if (!changes(seen.history, decisions)) return { recordId: seen.history.at(-1)?.record.id, changed: false };
      const outcome = await decisionsQueue.submit({ input, decisions, seen: seen.history });
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
  };
}
