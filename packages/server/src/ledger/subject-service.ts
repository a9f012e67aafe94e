import {
  ConsentError,
  type ConsentRecord,
  type ConsentState,
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
import type { Keyring } from '../keys/keyring.js';
import type { Queryable, Store } from '../store/store.js';
import type { Ledger } from './ledger.js';
import { decodeRecord } from './records-of.js';
import { findSubject } from './subjects.js';

/**
 * The contract the hosted pages (unsubscribe, preference centre, GPC) code against.
 * Kept in its own file so the pages can `import type` it without pulling the ledger in.
 */

/** A person the ledger knows, by the opaque reference it issued (a UUID). Never an email. */
export type Subject = {
  readonly ref: string;
  readonly createdAt: string;
};

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

  async function historyOf(q: Queryable, ref: string) {
    return (await ledger.historyOf(q, ref)).map((entry) => decodeRecord(entry.jws));
  }

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
    async recordServerDecision(input) {
      const decisions = input.decisions.map((d) => toDecision(input, d));
      // Decided under the head lock so two simultaneous one-click POSTs make one change (R42).
      return ledger.withLock(async (tx) => {
        if (!(await findSubject(tx, input.subjectRef))) {
          throw new ConsentError('not-found', `no subject ${input.subjectRef}`);
        }
        const history = await historyOf(tx, input.subjectRef);
        const state = evaluateConsent({ policy, history, context: {} });
        // A purpose changes when no record speaks for it yet, or the record on file says otherwise.
        const changed = decisions.some((d) => {
          const current = state[d.purpose];
          return current?.recordId === undefined || (current.status === 'granted') !== d.granted;
        });
        if (!changed) return { recordId: history.at(-1)?.id, changed: false };
        const interaction = input.interaction ?? (input.method === 'preference-page' ? 'pointer' : 'none');
        const record = await createRecord({
          subject: { kind: 'ref', ref: input.subjectRef },
          policy,
          decisions,
          method: input.method,
          interaction,
          collectionPoint: { ...input.collectionPoint },
          locale: input.locale,
          ...(input.jurisdiction === undefined ? {} : { jurisdiction: input.jurisdiction }),
          gpc: input.gpc,
          prev: await ledger.lastDigestOf(tx, keyring.signer.kid),
        });
        const signed = await signRecord({ record, signer: keyring.signer });
        await ledger.append(tx, {
          recordId: record.id,
          kid: keyring.signer.kid,
          digest: signed.digest,
          jws: signed.jws,
          subjectRef: input.subjectRef,
        });
        return { recordId: record.id, changed: true };
      });
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
