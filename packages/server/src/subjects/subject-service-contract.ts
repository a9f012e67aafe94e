// The contract of the subject service (subject-service.ts): what the hosted pages (unsubscribe,
// preference centre, GPC), the routes and the providers' webhooks code against. Kept in its own
// file so they can `import type` it without pulling the ledger in.
import type { ConsentRecord, ConsentState, Interaction, Policy, TokenClaims } from '@consentkit/core';
import type { AuditInput } from '../access/audit-log.js';
import type { Subject } from './subject-lookup.js';

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

export type SubjectService = {
  /** The policy the ledger currently serves. */
  readonly policy: Policy;
  resolveSubject(ref: string): Promise<Subject | undefined>;
  /** Core's rules over the subject's history (oldest first). Unknown refs get the empty history. */
  state(subjectRef: string, options?: StateOptions): Promise<ConsentState>;
  /** `state` for a person who must exist: undefined when the ref is unknown (one query for both). */
  stateOf(subjectRef: string, options?: StateOptions): Promise<ConsentState | undefined>;
  /**
   * `stateOf` for a caller who must be audited: resolves only once `audit` (the read's entry) has
   * committed, and writes it only for a person who exists (undefined: unknown ref, no entry).
   */
  auditedStateOf(subjectRef: string, audit: AuditInput, options?: StateOptions): Promise<ConsentState | undefined>;
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
