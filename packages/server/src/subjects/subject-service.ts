// The subject service: a person's state, the decisions the ledger records for them, vouching and
// links, over one per-person history and head lock. This file composes the parts: the contract
// (subject-service-contract.ts), state (subject-state.ts), server-made decisions
// (server-decisions.ts), vouching (vouching.ts) and tokens (subject-tokens.ts).
import type { Policy } from '@consentkit/core';
import type { Ledger } from '../ledger/ledger.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Store } from '../platform/store/store.js';
import { createServerDecisions } from './server-decisions.js';
import { findSubject } from './subject-lookup.js';
import type { SubjectService } from './subject-service-contract.js';
import { createSubjectStates } from './subject-state.js';
import { createSubjectTokens } from './subject-tokens.js';
import { createVouching } from './vouching.js';

export type {
  ConfirmableGrant,
  ConfirmationClaims,
  IssueTokenInput,
  RecordServerDecisionInput,
  RecordServerDecisionResult,
  ServerDecision,
  ServerDecisionMethod,
  StateOptions,
  SubjectService,
  VouchInput,
  VouchResult,
} from './subject-service-contract.js';
export { CONFIRM_SCOPE_PREFIX } from './subject-tokens.js';

export type SubjectServiceOptions = {
  readonly store: Store;
  readonly policy: Policy;
  readonly keyring: Keyring;
  readonly ledger: Ledger;
  /** Unsubscribe links must outlive a mail campaign: at least 60 days (R36, R42). */
  readonly tokenTtlDays?: number;
};

export function createSubjectService(options: SubjectServiceOptions): SubjectService {
  const { store, policy, keyring, ledger } = options;
  const tokens = createSubjectTokens({ keyring, tokenTtlDays: options.tokenTtlDays });
  const states = createSubjectStates({ store, policy, ledger });
  const decisions = createServerDecisions({ policy, keyring, ledger, readHistory: states.readHistory });
  const vouching = createVouching({ store, keyring, ledger });

  return {
    policy,
    vouch: vouching.vouch,
    resolveSubject: (ref) => findSubject(store, ref),
    state: states.state,
    stateOf: states.stateOf,
    auditedStateOf: states.auditedStateOf,
    recordServerDecision: decisions.recordServerDecision,
    issueToken: tokens.issueToken,
    issueConfirmationToken: tokens.issueConfirmationToken,
    verifyConfirmationToken: tokens.verifyConfirmationToken,
    verifyToken: tokens.verifyToken,
    confirmable: vouching.confirmable,
  };
}
