import {
  ConsentError,
  type ConsentRecord,
  type ConsentState,
  canonicalize,
  createRecord,
  createTokenCodec,
  type Decision,
  effectivePurpose,
  evaluateConsent,
  findPurpose,
  type Interaction,
  type Policy,
  signRecord,
  type TokenClaims,
} from '@consentkit/core';
import type { AppendInput, Ledger, LockedTx } from '../ledger/ledger.js';
import { decodeRecord } from '../ledger/records-of.js';
import { sha256HexSync } from '../platform/crypto/hash.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { createGroupCommit } from '../platform/store/group-commit.js';
import type { Queryable, Store } from '../platform/store/store.js';
import { findSubject, type Subject } from './subject-lookup.js';

/**
 * The contract the hosted pages (unsubscribe, preference centre, GPC) code against.
 * Kept in its own file so the pages can `import type` it without pulling the ledger in.
 */

/** Methods the ledger itself records on a person's behalf (it signs those records). */
export type ServerDecisionMethod = 'one-click-email' | 'preference-page' | 'gpc';

/** One purpose the person set; the basis and legal basis come from the policy. */
export type ServerDecision = {
  readonly purpose: string;
  readonly granted: boolean;
};

export type RecordServerDecisionInput = {
  readonly subjectRef: string;
  readonly decisions: readonly ServerDecision[];
  readonly method: ServerDecisionMethod;
  readonly collectionPoint: ConsentRecord['collectionPoint'];
  /** The GPC signal as seen (`parseSecGpc`), null when not available. */
  readonly gpc: boolean | null;
  readonly locale: string;
  readonly jurisdiction?: string;
  /**
   * How the person acted. Defaults: 'pointer' for the preference page (a person submitted the
   * form; HTML cannot tell pointer from keyboard), 'none' for one-click email and GPC.
   */
  readonly interaction?: Interaction;
};

export type RecordServerDecisionResult = {
  /** The new record, or, when nothing changed, the latest record already on file (if any). */
  readonly recordId: string | undefined;
  /** False when every decision already held: no record was written (idempotent one-click, R42). */
  readonly changed: boolean;
};

export type StateOptions = {
  readonly jurisdiction?: string;
  readonly gpc?: boolean;
  readonly now?: Date;
};

export type IssueTokenInput = {
  readonly subjectRef: string;
  /** e.g. 'unsubscribe:marketing' or 'preferences'; checked on verify. */
  readonly scope: string;
  /** At least 60 days (R36/R42); the default is 180. */
  readonly ttlDays?: number;
};

export type SubjectService = {
  /** The policy the ledger currently serves. */
  readonly policy: Policy;
  resolveSubject(ref: string): Promise<Subject | undefined>;
  /** Core's rules over the subject's history (oldest first). Unknown refs get the empty history. */
  state(subjectRef: string, options?: StateOptions): Promise<ConsentState>;
  /** `state` for a person who must exist: undefined when the ref is unknown (one query for both). */
  stateOf(subjectRef: string, options?: StateOptions): Promise<ConsentState | undefined>;
  /** Signs and appends a record with the ledger key; a repeat that changes nothing writes nothing. */
  recordServerDecision(input: RecordServerDecisionInput): Promise<RecordServerDecisionResult>;
  issueToken(input: IssueTokenInput): Promise<string>;
  /**
   * Verifies a token with the ledger's HMAC keys; undefined for any failure (unknown, altered,
   * expired, wrong scope) so callers answer one uniform 404 (R42).
   */
  verifyToken(token: string, options?: { readonly scope?: string }): Promise<TokenClaims | undefined>;
};

export type SubjectServiceOptions = {
  readonly store: Store;
  readonly policy: Policy;
  readonly keyring: Keyring;
  readonly ledger: Ledger;
  /** Unsubscribe links must outlive a mail campaign: at least 60 days (R36, R42). */
  readonly tokenTtlDays?: number;
};

const MIN_TOKEN_DAYS = 60;

export function createSubjectService(options: SubjectServiceOptions): SubjectService {
  const { store, policy, keyring, ledger } = options;
  const defaultTtl = Math.max(options.tokenTtlDays ?? 180, MIN_TOKEN_DAYS);
  const codec = createTokenCodec({ keys: keyring.tokenKeys.keys, currentKid: keyring.tokenKeys.currentKid });

  /** The records on file for a person, oldest first (only the column the rules need). */
  async function historyOf(q: Queryable, ref: string): Promise<ConsentRecord[]> {
    const rows = await q.query<{ jws: string }>('SELECT jws FROM ledger_entries WHERE subject_ref = $1 ORDER BY seq', [
      ref,
    ]);
    return rows.map((row) => decodeRecord(row.jws));
  }

  /** Whether the person exists, their history and the seq of their last entry, in one query. */
  async function snapshotOf(q: Queryable, ref: string) {
    const rows = await q.query<{ ref: string; seq: number | null; jws: string | null }>(
      `SELECT s.ref, e.seq, e.jws FROM subjects s LEFT JOIN ledger_entries e ON e.subject_ref = s.ref
       WHERE s.ref = $1 ORDER BY e.seq`,
      [ref],
    );
    if (rows.length === 0) return undefined;
    const entries = rows.flatMap((r) => (r.jws === null ? [] : [{ seq: Number(r.seq), jws: r.jws }]));
    return { history: entries.map((e) => decodeRecord(e.jws)), lastSeq: entries.at(-1)?.seq ?? 0 };
  }

  /** Which of `decisions` differ from the person's current state (R42: a repeat changes nothing). */
  function changes(history: readonly ConsentRecord[], decisions: readonly Decision[]): boolean {
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
    /** The history read before the lock, and the seq of its last entry. */
    seen: ConsentRecord[];
    seenSeq: number;
  };
  type Outcome = { ok: true; value: RecordServerDecisionResult } | { ok: false; error: unknown };

  /**
   * Under the head lock, for a group of decisions at once: each is re-checked against the ledger
   * (two simultaneous one-click POSTs still make one change, R42), the new records are chained and
   * signed in parallel, and all are appended with one INSERT.
   */
  async function placeDecisions(tx: LockedTx, group: readonly Pending[]): Promise<Outcome[]> {
    const refs = [...new Set(group.map((p) => p.input.subjectRef))];
    const rows = await tx.query<{ ref: string; last: number | null }>(
      `SELECT s.ref, (SELECT max(e.seq) FROM ledger_entries e WHERE e.subject_ref = s.ref) AS last
       FROM subjects s WHERE s.ref = ANY(ARRAY(SELECT json_array_elements_text($1::json)))`,
      [JSON.stringify(refs)],
    );
    const lastSeq = new Map(rows.map((r) => [r.ref, Number(r.last ?? 0)]));
    /** Histories read again under the lock, and extended with this group's own new records. */
    const fresh = new Map<string, ConsentRecord[]>();
    let prev = await ledger.lastDigestOf(tx, keyring.signer.kid);
    const made: ConsentRecord[] = [];
    const outcomes: Outcome[] = [];
    for (const p of group) {
      const ref = p.input.subjectRef;
      const last = lastSeq.get(ref);
      if (last === undefined) {
        outcomes.push({ ok: false, error: new ConsentError('not-found', `no subject ${ref}`) });
        continue;
      }
      let history = fresh.get(ref);
      if (!history) {
        // Unchanged since it was read (its last entry is the same), the earlier read stands.
        history = last === p.seenSeq ? [...p.seen] : await historyOf(tx, ref);
        fresh.set(ref, history);
      }
      if (!changes(history, p.decisions)) {
        outcomes.push({ ok: true, value: { recordId: history.at(-1)?.id, changed: false } });
        continue;
      }
      const input = p.input;
      const interaction = input.interaction ?? (input.method === 'preference-page' ? 'pointer' : 'none');
      const record = await createRecord({
        subject: { kind: 'ref', ref },
        policy,
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
      history.push(record);
      made.push(record);
      outcomes.push({ ok: true, value: { recordId: record.id, changed: true } });
    }
    const signed = await Promise.all(made.map((record) => signRecord({ record, signer: keyring.signer })));
    const appends: AppendInput[] = signed.map((s) => ({
      recordId: s.record.id,
      kid: keyring.signer.kid,
      digest: s.digest,
      jws: s.jws,
      subjectRef: s.record.subject.kind === 'ref' ? s.record.subject.ref : null,
    }));
    await ledger.appendMany(tx, appends);
    return outcomes;
  }

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
    if (input.method === 'preference-page' && d.granted) {
      return { purpose: d.purpose, granted: true, basis: 'express', legalBasis: 'consent' };
    }
    const effective = effectivePurpose(purpose, input.jurisdiction ?? policy.jurisdiction);
    return { purpose: d.purpose, granted: d.granted, basis: effective.basis };
  }

  return {
    policy,
    resolveSubject: (ref) => findSubject(store, ref),
    async state(subjectRef, stateOptions = {}) {
      const history = await historyOf(store, subjectRef);
      return evaluateConsent({ policy, history, context: { ...stateOptions } });
    },
    async stateOf(subjectRef, stateOptions = {}) {
      const seen = await snapshotOf(store, subjectRef);
      return seen && evaluateConsent({ policy, history: seen.history, context: { ...stateOptions } });
    },
    async recordServerDecision(input) {
      const decisions = input.decisions.map((d) => toDecision(input, d));
      // Read and evaluated outside the lock: a repeat that changes nothing (the common case for a
      // mailbox provider's retries) never queues for it.
      const seen = await snapshotOf(store, input.subjectRef);
      if (!seen) throw new ConsentError('not-found', `no subject ${input.subjectRef}`);
      if (!changes(seen.history, decisions)) return { recordId: seen.history.at(-1)?.id, changed: false };
      const outcome = await decisionsQueue.submit({ input, decisions, seen: seen.history, seenSeq: seen.lastSeq });
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
    issueToken(input) {
      const ttlDays = input.ttlDays ?? defaultTtl;
      if (ttlDays < MIN_TOKEN_DAYS) {
        throw new ConsentError('invalid-options', `unsubscribe tokens live at least ${MIN_TOKEN_DAYS} days`, {
          hint: 'R36/R42: the link must keep working for 60 days.',
        });
      }
      return codec.issue({ subject: input.subjectRef, scope: input.scope, ttlDays });
    },
    async verifyToken(token, verifyOptions = {}) {
      try {
        return await codec.verify(token, verifyOptions.scope === undefined ? {} : { scope: verifyOptions.scope });
      } catch {
        return undefined;
      }
    },
  };
}
