// Over 400 lines as one concept: a person's state, server-made decisions, vouching and tokens all
// read and append under the same per-person history and lock.
import {
  type Assurance,
  type AssuredRecord,
  ConsentError,
  type ConsentRecord,
  type ConsentState,
  canonicalize,
  createRecord,
  createTokenCodec,
  type Decision,
  decisionInteraction,
  effectivePurpose,
  evaluateConsent,
  findPurpose,
  type Interaction,
  type Policy,
  policyRef,
  type RuleItem,
  signRecord,
  type TokenClaims,
} from '@consentkit/core';
import type { AppendInput, Ledger, LockedTx } from '../ledger/ledger.js';
import { assuredRecordOf } from '../ledger/records-of.js';
import { createSubjectHistories, type SubjectHistory } from '../ledger/subject-histories.js';
import { sha256HexSync } from '../platform/crypto/hash.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { hmacSha256 } from '../platform/crypto/node-hmac.js';
import { createGroupCommit } from '../platform/store/group-commit.js';
import type { Queryable, Store } from '../platform/store/store.js';
import { findSubject, type Subject } from './subject-lookup.js';

/**
 * The contract the hosted pages (unsubscribe, preference centre, GPC) code against.
 * Kept in its own file so the pages can `import type` it without pulling the ledger in.
 */

/** Methods the ledger itself records on a person's behalf (it signs those records). */
export type ServerDecisionMethod = 'one-click-email' | 'preference-page' | 'gpc' | 'email-provider';

/** One purpose the person set; the basis and legal basis come from the policy. */
export type ServerDecision = {
  readonly purpose: string;
  readonly granted: boolean;
  /** The words the person was shown for this purpose; the record carries them with their SHA-256. */
  readonly wording?: string;
};

export type RecordServerDecisionInput = {
  readonly subjectRef: string;
  readonly decisions: readonly ServerDecision[];
  readonly method: ServerDecisionMethod;
  readonly collectionPoint: ConsentRecord['collectionPoint'];
  /** The GPC signal as seen (`parseSecGpc`), null when not available. */
  readonly gpc: boolean | null;
  /** The language of the words the person was shown (the policy's, when it has no translation). */
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

export type VouchInput = {
  /** The record vouched for, as ingest accepted it. */
  readonly recordId: string;
  /** `attests`: a site's backend with an API key (`site`); `confirms`: the person, through a mailed link (`inbox`). */
  readonly kind: 'attests' | 'confirms';
  /** With `attests`: the backend says it verified the identifier. */
  readonly identifierVerified?: boolean;
  /**
   * Only these purposes' grants (a confirmation link covers the purpose the person saw); every
   * grant in the record when absent (an attestation vouches for the whole record).
   */
  readonly purposes?: readonly string[];
  /**
   * With `confirms`: what the confirmation page showed. The confirmation record then names that
   * language and carries, per purpose, the hash of the words shown there (the grant it confirms
   * keeps its own).
   */
  readonly shown?: { readonly locale: string; readonly wording: Readonly<Record<string, string>> };
};

export type VouchResult = {
  readonly recordId: string;
  readonly seq: number;
  readonly receipt: string;
  /** False when a confirmation already on file covered these purposes: nothing was written. */
  readonly changed: boolean;
};

/** What a confirmation link's token names: the pending grant's record and the purpose it confirms. */
export type ConfirmationClaims = { readonly recordId: string; readonly purpose: string };

export type ConfirmableGrant = { readonly subjectRef: string; readonly issuedAt: string };

/** Token scopes of confirmation links: `confirm:<purpose>`; the token's sealed subject is the grant's record id. */
export const CONFIRM_SCOPE_PREFIX = 'confirm:';

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
  /**
   * Appends a ledger-signed record that names `recordId` as confirmed or attested: a new entry,
   * never a change to the old one. It restates the record's grants; core's rules raise that
   * record to this entry's level where it stands in the history.
   */
  vouch(input: VouchInput): Promise<VouchResult>;
  issueToken(input: IssueTokenInput): Promise<string>;
  /**
   * A confirmation link's token for one purpose of a grant the ledger holds. It seals the record
   * id (not the person's ref), so the link reaches nothing but that grant's confirmation page.
   */
  issueConfirmationToken(input: ConfirmationClaims & { readonly ttlDays?: number }): Promise<string>;
  /** The grant and purpose a confirmation token names; undefined for any failure (one uniform 404). */
  verifyConfirmationToken(token: string): Promise<ConfirmationClaims | undefined>;
  /**
   * The grant a confirmation names, when it can be confirmed: its record is in the ledger, grants
   * that purpose, is a person's own record (not a confirmation or attestation) and its person is
   * not erased. Undefined otherwise.
   */
  confirmable(claims: ConfirmationClaims): Promise<ConfirmableGrant | undefined>;
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

/**
 * Who the ledger knows spoke for a record it signs (docs/decisions/0002): the hosted pages are
 * reached through a link the ledger mailed, so the person showed they hold the address (`inbox`);
 * an email provider's webhook is an authenticated system reporting what happened in the mailbox,
 * which the ledger did not see (`site`). Opt-outs count at every level either way.
 */
function serverDecisionAssurance(method: string): Assurance {
  return method === 'email-provider' ? 'site' : 'inbox';
}

export function createSubjectService(options: SubjectServiceOptions): SubjectService {
  const { store, policy, keyring, ledger } = options;
  const defaultTtl = Math.max(options.tokenTtlDays ?? 180, MIN_TOKEN_DAYS);
  const codec = createTokenCodec({
    keys: keyring.tokenKeys.keys,
    currentKid: keyring.tokenKeys.currentKid,
    hmac: hmacSha256,
  });
  const histories = createSubjectHistories({ store, withLock: ledger.withLock });

  /** The records on file for a person, oldest first (only the column the rules need). */
  async function historyOf(q: Queryable, ref: string): Promise<AssuredRecord[]> {
    const rows = await q.query<{ jws: string; assurance: string; entry_version: number }>(
      'SELECT jws, assurance, entry_version FROM ledger_entries WHERE subject_ref = $1 ORDER BY seq',
      [ref],
    );
    return rows.map((row) => assuredRecordOf({ ...row, version: Number(row.entry_version) }));
  }

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
    // record means the history read before the lock is still the whole of it.
    const rows = await tx.query<{ ref: string; last: string | null }>(
      `SELECT s.ref,
         (SELECT e.record_id FROM ledger_entries e WHERE e.subject_ref = s.ref ORDER BY e.seq DESC LIMIT 1) AS last
       FROM subjects s WHERE s.ref = ANY(ARRAY(SELECT json_array_elements_text($1::json)))`,
      [JSON.stringify(refs)],
    );
    const lastRecord = new Map(rows.map((r) => [r.ref, r.last ?? undefined]));
    /** Histories read again under the lock, and extended with this group's own new records. */
    const fresh = new Map<string, RuleItem[]>();
    let prev = await ledger.lastDigestOf(tx, keyring.signer.kid);
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

  async function vouch(input: VouchInput): Promise<VouchResult> {
    return ledger.withLock(async (tx) => {
      const target = await ledger.findByRecordId(tx, input.recordId);
      if (!target) throw new ConsentError('not-found', `no record ${input.recordId} in the ledger`);
      const original = assuredRecordOf(target).record;
      if (original.confirms !== undefined || original.attests !== undefined) {
        throw new ConsentError('invalid-options', `record ${input.recordId} is itself a confirmation or attestation`, {
          hint: 'Vouch for the grant the person made, not for the ledger’s record about it.',
        });
      }
      const wanted = input.purposes;
      const grants = original.decisions.filter((d) => d.granted && (!wanted || wanted.includes(d.purpose)));
      if (grants.length === 0) {
        const what = wanted ? `nothing of ${wanted.join(', ')}` : 'nothing';
        throw new ConsentError(
          'invalid-options',
          `record ${input.recordId} grants ${what}, so there is nothing to vouch for`,
          {
            hint: 'Refusals and withdrawals count at every level already.',
          },
        );
      }
      const confirms = input.kind === 'confirms';
      if (confirms && target.subjectRef) {
        // A second POST (a double click, a retry) finds the first confirmation and writes nothing.
        const done = await confirmationOf(tx, target.subjectRef, original.id, grants);
        if (done) return { ...done, changed: false };
      }
      const record = await createRecord({
        subject: original.subject,
        policy: original.policy,
        // The grants as the person made them (with their own interaction), so the record reads alone.
        decisions: grants.map((d) => {
          const interaction = decisionInteraction(original, d);
          const shownText = confirms ? input.shown?.wording[d.purpose] : undefined;
          const decision: Decision =
            shownText === undefined
              ? { ...d }
              : { ...d, wording: { sha256: sha256HexSync(shownText), text: shownText } };
          return interaction === undefined ? decision : { ...decision, interaction };
        }),
        method: confirms ? 'email-confirmation' : 'api',
        // Confirming is the person's click on the page; an attestation is the backend speaking.
        ...(confirms ? { interaction: 'pointer' as const } : {}),
        collectionPoint: { flow: confirms ? 'confirmation-page' : 'attestation' },
        locale: (confirms ? input.shown?.locale : undefined) ?? original.locale,
        ...(original.jurisdiction === undefined ? {} : { jurisdiction: original.jurisdiction }),
        gpc: null,
        prev: await ledger.lastDigestOf(tx, keyring.signer.kid),
        ...(confirms ? { confirms: original.id } : { attests: original.id }),
        ...(!confirms && input.identifierVerified !== undefined
          ? { identifierVerified: input.identifierVerified }
          : {}),
      });
      const signed = await signRecord({ record, signer: keyring.signer, sha256Hex: sha256HexSync });
      const entry = await ledger.append(tx, {
        recordId: record.id,
        kid: keyring.signer.kid,
        digest: signed.digest,
        jws: signed.jws,
        subjectRef: target.subjectRef,
        assurance: confirms ? 'inbox' : 'site',
      });
      return { recordId: record.id, seq: entry.seq, receipt: entry.receipt, changed: true };
    });
  }

  /** A confirmation on file that names `recordId` and restates every one of `grants`. */
  async function confirmationOf(tx: LockedTx, subjectRef: string, recordId: string, grants: readonly Decision[]) {
    const entries = await ledger.historyOf(tx, subjectRef);
    for (const entry of entries) {
      if (entry.kid !== keyring.signer.kid) continue;
      const { record } = assuredRecordOf(entry);
      if (record.confirms !== recordId) continue;
      if (grants.every((g) => record.decisions.some((d) => d.granted && d.purpose === g.purpose))) {
        return { recordId: record.id, seq: entry.seq, receipt: entry.receipt };
      }
    }
    return undefined;
  }

  function issueToken(input: IssueTokenInput): Promise<string> {
    const ttlDays = input.ttlDays ?? defaultTtl;
    if (ttlDays < MIN_TOKEN_DAYS) {
      throw new ConsentError('invalid-options', `unsubscribe tokens live at least ${MIN_TOKEN_DAYS} days`, {
        hint: 'R36/R42: the link must keep working for 60 days.',
      });
    }
    return codec.issue({ subject: input.subjectRef, scope: input.scope, ttlDays });
  }

  async function verifyToken(token: string, verifyOptions: { readonly scope?: string } = {}) {
    try {
      return await codec.verify(token, verifyOptions.scope === undefined ? {} : { scope: verifyOptions.scope });
    } catch {
      return undefined;
    }
  }

  return {
    policy,
    vouch,
    resolveSubject: (ref) => findSubject(store, ref),
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
    async recordServerDecision(input) {
      const decisions = input.decisions.map((d) => toDecision(input, d));
      // Read and evaluated outside the lock: a repeat that changes nothing (the common case for a
      // mailbox provider's retries) never queues for it. The read is the state queries' (the
      // person's one subject-histories row), shared with whoever asks at the same time.
      const seen = await historyReads.submit(input.subjectRef);
      if (!seen) throw new ConsentError('not-found', `no subject ${input.subjectRef}`);
      if (!changes(seen.history, decisions)) return { recordId: seen.history.at(-1)?.record.id, changed: false };
      const outcome = await decisionsQueue.submit({ input, decisions, seen: seen.history });
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
    issueToken,
    issueConfirmationToken(input) {
      return issueToken({
        subjectRef: input.recordId,
        scope: `${CONFIRM_SCOPE_PREFIX}${input.purpose}`,
        ...(input.ttlDays === undefined ? {} : { ttlDays: input.ttlDays }),
      });
    },
    async verifyConfirmationToken(token) {
      const claims = await verifyToken(token);
      if (!claims?.scope.startsWith(CONFIRM_SCOPE_PREFIX)) return undefined;
      const purpose = claims.scope.slice(CONFIRM_SCOPE_PREFIX.length);
      return purpose === '' ? undefined : { recordId: claims.subject, purpose };
    },
    verifyToken,
    async confirmable(claims) {
      const entry = await ledger.findByRecordId(store, claims.recordId);
      if (!entry?.subjectRef) return undefined;
      const { record } = assuredRecordOf(entry);
      if (record.confirms !== undefined || record.attests !== undefined) return undefined;
      if (!record.decisions.some((d) => d.granted && d.purpose === claims.purpose)) return undefined;
      // An erased person's links must look exactly like forged ones.
      if (!(await findSubject(store, entry.subjectRef))) return undefined;
      return { subjectRef: entry.subjectRef, issuedAt: record.issuedAt };
    },
  };
}
