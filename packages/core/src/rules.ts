/**
 * The consent rules: one pure function from (policy, a person's history, context) to the state of
 * every purpose. Core decides; the SDK, widget and server only ask. When in doubt the rules deny:
 * a grant must prove itself, a refusal or withdrawal always counts.
 */

import { type Assurance, DEFAULT_REQUIRED_ASSURANCE, maxAssurance, meetsAssurance } from './assurance.js';
import { type RuleHistoryItem, type RuleRecord, toRuleItem } from './assured-record.js';
import { isGdprJurisdiction } from './jurisdiction.js';
import { effectivePurpose, type LegalBasis, type Policy, type Purpose, type PurposeBasis } from './policy.js';
import { compareVersions } from './policy-version.js';
import { isSensitivePurpose, sharesWithThirdParties } from './purpose-traits.js';
import { type Decision, decisionInteraction } from './record.js';

/** `pending`: a grant below the purpose's required assurance, waiting for a confirmation or attestation. */
export type PurposeStatus = 'granted' | 'denied' | 'needs-consent' | 'pending';

export type ReasonCode =
  | 'express-granted'
  | 'implied-by-submission'
  | 'opt-out-standing'
  | 'opted-out'
  | 'withdrawn'
  | 'refused'
  | 'never-presented'
  | 'not-affirmative'
  | 'gdpr-opt-out-is-not-consent'
  | 'gdpr-implied-is-not-consent'
  | 'gpc'
  | 'expired'
  | 'unknown-purpose'
  | 'awaiting-assurance';

export type PurposeState = {
  purpose: string;
  status: PurposeStatus;
  reason: ReasonCode;
  /** The basis that applies in the evaluated jurisdiction (after strictening, see `purposeTerms`). */
  basis: PurposeBasis;
  legalBasis: LegalBasis;
  /** The record the state rests on. */
  recordId?: string;
  at?: string;
  /** GPC overrode an express grant: offer the person a way to re-consent (R48 (c)(3), R50). */
  conflict?: 'gpc';
};

export type ConsentState = Record<string, PurposeState>;

export type EvaluationContext = {
  /** Where the person is; defaults to the policy's jurisdiction. */
  jurisdiction?: string;
  /** The GPC signal on the current request or page (R45, R46). */
  gpc?: boolean;
  /** Evaluate as of this time: later records are ignored, EBR expiry is measured against it. */
  now?: Date;
};

export type EvaluateConsentInput = {
  policy: Policy;
  /**
   * The person's records, oldest first (ledger order), each with the assurance the ledger stored
   * for it; a bare record counts as `device`. Only the parts of a record `RuleRecord` names are
   * read, so a projection of the history keeping just those gives the same state. Never modified.
   */
  history: readonly RuleHistoryItem[];
  context?: EvaluationContext;
};

/** CASL s.10(10): an existing business relationship implies consent for 2 years (contract) or 6 months (inquiry). */
const EBR_MONTHS = { contract: 24, inquiry: 6 } as const;

/**
 * A purpose's terms where the person is. The policy schema already forbids weaker terms, but the rules
 * do not trust their input: sensitive or third-party purposes, and implied purposes that are not
 * primary, are treated as express (PIPEDA 4.3.6, R31, R32).
 */
export function purposeTerms(
  policy: Policy,
  purpose: Purpose,
  jurisdiction: string,
): { basis: PurposeBasis; legalBasis: LegalBasis } {
  const effective = effectivePurpose(purpose, jurisdiction);
  const mustBeExpress =
    isSensitivePurpose(policy, purpose) ||
    sharesWithThirdParties(policy, purpose) ||
    (effective.basis === 'implied' && !purpose.primary);
  if (mustBeExpress && effective.basis !== 'express') return { basis: 'express', legalBasis: 'consent' };
  return { basis: effective.basis, legalBasis: effective.legalBasis };
}

/**
 * An affirmative act by the person (R16, R21, R23): not pre-ticked, not script, not the absence of
 * action, and not an opt-out channel. An `api` record without an interaction is a backend speaking
 * (e.g. written consent entered by staff) only when the ledger knows an authenticated caller sent
 * it (`site` or better); the record's own claim is never enough.
 */
export function isAffirmative(
  record: Pick<RuleRecord, 'method' | 'interaction'>,
  decision: Omit<Decision, 'wording'>,
  assurance: Assurance = 'device',
): boolean {
  if (decision.preChecked === true) return false;
  if (record.method === 'gpc' || record.method === 'one-click-email' || record.method === 'email-provider')
    return false;
  const interaction = decisionInteraction(record, decision);
  if (interaction === 'pointer' || interaction === 'keyboard') return true;
  return interaction === undefined && record.method === 'api' && meetsAssurance(assurance, 'site');
}

/** The level a grant of this purpose needs (express grants, and opt-out re-grants after an opt-out). */
export function requiredAssurance(purpose: Purpose): Assurance {
  return purpose.assurance ?? DEFAULT_REQUIRED_ASSURANCE;
}

/**
 * A history item as the loop reads it: its record, the level it counts at, and the purposes a
 * confirmation or attestation raised above that level.
 */
type Item = {
  readonly record: RuleRecord;
  readonly level: Assurance;
  readonly raised?: ReadonlyMap<string, Assurance>;
};

/** The level an item counts at for one purpose. */
const levelFor = (item: Item, purpose: string): Assurance => {
  const raised = item.raised?.get(purpose);
  return raised ? maxAssurance(item.level, raised) : item.level;
};

/**
 * Each record at the level it counts at: its own, raised for a purpose by any confirmation or
 * attestation that names it and restates that purpose's grant (a confirmation link covers the
 * purpose the person saw, not the whole record). A record about a device subject is signed by
 * that device, its own subject: nobody else can speak for it, so it meets any level. Vouching
 * entries are not decisions of their own.
 */
function assuredItems(history: readonly RuleHistoryItem[]): Item[] {
  const items = history.map(toRuleItem);
  const raised = new Map<string, Map<string, Assurance>>();
  for (const item of items) {
    if (!item.vouches) continue;
    const levels = raised.get(item.vouches.recordId) ?? new Map<string, Assurance>();
    raised.set(item.vouches.recordId, levels);
    for (const d of item.record.decisions) {
      if (!d.granted) continue;
      const before = levels.get(d.purpose);
      levels.set(d.purpose, before ? maxAssurance(before, item.assurance) : item.assurance);
    }
  }
  return items.flatMap((item): Item[] => {
    if (item.vouches) return [];
    const level = item.record.subject.kind === 'device' ? 'inbox' : item.assurance;
    const levels = raised.get(item.record.id);
    return [levels ? { record: item.record, level, raised: levels } : { record: item.record, level }];
  });
}

function addMonths(iso: string, months: number): number {
  const date = new Date(iso);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

type Working = {
  status: PurposeStatus;
  reason: ReasonCode;
  record?: RuleRecord;
  conflict?: 'gpc';
  /** An express grant made while GPC was seen: later GPC signals do not undo it (R48 (c)(3)). */
  gpcAware?: boolean;
};

/** A GPC signal or opt-out: denied, unless an express grant made under GPC stands (R48 (c)(3)). */
function gpcDenied(cur: Working, record: RuleRecord | undefined): Working {
  if (cur.status === 'granted' && cur.gpcAware) return cur;
  const conflict = cur.status === 'granted' && cur.reason === 'express-granted';
  return { status: 'denied', reason: 'gpc', ...(record ? { record } : {}), ...(conflict ? { conflict: 'gpc' } : {}) };
}

/** A grant below the required level: pending, unless a grant already stands (it is not undone). */
function pendingGrant(cur: Working, record: RuleRecord): Working | undefined {
  return cur.status === 'granted' ? undefined : { status: 'pending', reason: 'awaiting-assurance', record };
}

function evaluatePurpose(
  policy: Policy,
  purpose: Purpose,
  history: readonly Item[],
  context: { jurisdiction: string; gdpr: boolean; gpc: boolean; now: number },
): PurposeState {
  const { basis, legalBasis } = purposeTerms(policy, purpose, context.jurisdiction);
  const required = requiredAssurance(purpose);
  const { gdpr } = context;
  let cur: Working = { status: 'needs-consent', reason: 'never-presented' };
  let afterGpc = false;

  for (const item of history) {
    const { record } = item;
    const level = levelFor(item, purpose.id);
    const decision = record.decisions.find((d) => d.purpose === purpose.id);
    const gpcEvent = record.method === 'gpc' || record.gpc === true;
    if (purpose.gpc !== undefined && gpcEvent) {
      afterGpc = true;
      cur = gpcDenied(cur, record);
    }
    if (!decision) continue;

    if (!decision.granted) {
      // Refusals and withdrawals count whatever policy version they name (R19, R75).
      const hadGrant = cur.status === 'granted';
      const reason: ReasonCode =
        record.method === 'gpc' ? 'gpc' : basis === 'opt-out' ? 'opted-out' : hadGrant ? 'withdrawn' : 'refused';
      const conflict = record.method === 'gpc' && hadGrant && cur.reason === 'express-granted';
      if (!(reason === 'gpc' && cur.status === 'denied' && cur.reason === 'gpc')) {
        cur = { status: 'denied', reason, record, ...(conflict ? { conflict: 'gpc' } : {}) };
      }
      continue;
    }

    // A grant counts only under this policy, in a version that already had the purpose (R24, B10).
    const covers =
      record.policy.id === policy.id &&
      (purpose.since === undefined || compareVersions(record.policy.version, purpose.since) >= 0);
    if (!covers) continue;

    const affirmative = isAffirmative(record, decision, level);
    const explicitExpress = decision.basis === 'express' && affirmative;
    // A grant below the required level proves nobody's consent yet: it waits for a confirmation
    // or attestation, and never undoes a standing refusal or opt-out (so a third party cannot).
    const assured = meetsAssurance(level, required);
    let granted: Working | undefined;
    if (purpose.gpc !== undefined && afterGpc) {
      // After GPC only an explicit express act re-consents (R48 (c)(3), R50, B12).
      if (explicitExpress)
        granted = assured
          ? { status: 'granted', reason: 'express-granted', record, gpcAware: record.gpc === true }
          : pendingGrant(cur, record);
    } else if (basis === 'express') {
      if (explicitExpress)
        granted = assured
          ? { status: 'granted', reason: 'express-granted', record, gpcAware: record.gpc === true }
          : pendingGrant(cur, record);
    } else if (basis === 'implied') {
      // Implied consent is the submission itself, and only for the primary purpose.
      if (purpose.primary && record.method === 'form-submit') {
        granted = { status: 'granted', reason: 'implied-by-submission', record };
      }
    } else if (cur.status === 'denied' || cur.status === 'pending') {
      // Once opted out, only the person's own act opts back in; a re-shown box left alone does not.
      // Re-granting is a grant: it needs the same level as an express one.
      if (affirmative)
        granted = assured ? { status: 'granted', reason: 'opt-out-standing', record } : pendingGrant(cur, record);
    } else {
      granted = { status: 'granted', reason: 'opt-out-standing', record };
    }

    if (granted) cur = granted;
    else if (cur.status === 'needs-consent') cur = { status: 'needs-consent', reason: 'not-affirmative', record };
  }

  if (purpose.gpc !== undefined && context.gpc) cur = gpcDenied(cur, cur.record);

  if (cur.status === 'granted' && cur.record) cur = checkLegalGround(cur, basis, legalBasis, gdpr, context.now);

  const state: PurposeState = { purpose: purpose.id, status: cur.status, reason: cur.reason, basis, legalBasis };
  if (cur.record) {
    state.recordId = cur.record.id;
    state.at = cur.record.issuedAt;
  }
  if (cur.conflict) state.conflict = cur.conflict;
  return state;
}

/** A standing implied or opt-out grant still needs a legal ground where the person is. */
function checkLegalGround(
  cur: Working,
  basis: PurposeBasis,
  legalBasis: LegalBasis,
  gdpr: boolean,
  now: number,
): Working {
  const record = cur.record as RuleRecord;
  if (basis !== 'express' && gdpr) {
    // GDPR has no implied or opt-out consent (R21, R23, R37): only a non-consent ground can stand.
    const notConsent: ReasonCode = basis === 'implied' ? 'gdpr-implied-is-not-consent' : 'gdpr-opt-out-is-not-consent';
    if (legalBasis === 'consent' || legalBasis === 'implied-consent') {
      return { status: 'needs-consent', reason: notConsent, record };
    }
    // Soft opt-in only for details obtained in a sale or its negotiation (R29 (a)).
    if (legalBasis === 'soft-opt-in' && !record.context?.saleRef) {
      return { status: 'needs-consent', reason: notConsent, record };
    }
  }
  if (legalBasis === 'casl-implied-ebr') {
    const start = record.context?.relationshipStart ?? record.issuedAt;
    const months = EBR_MONTHS[record.context?.relationship ?? 'contract'];
    if (now > addMonths(start, months)) return { status: 'needs-consent', reason: 'expired', record };
  }
  return cur;
}

/**
 * The state of every purpose in `policy` (plus any purpose the history names that the policy no
 * longer has, as denied `unknown-purpose`). Pure: no I/O, no clock unless `context.now` is absent.
 */
export function evaluateConsent(input: EvaluateConsentInput): ConsentState {
  const { policy, context = {} } = input;
  const now = (context.now ?? new Date()).getTime();
  const jurisdiction = context.jurisdiction ?? policy.jurisdiction;
  // Records "from the future" (relative to `now`) have not happened yet.
  const history = assuredItems(input.history).filter((i) => Date.parse(i.record.issuedAt) <= now);
  const state: ConsentState = {};
  const terms = { jurisdiction, gdpr: isGdprJurisdiction(jurisdiction), gpc: context.gpc === true, now };
  for (const purpose of policy.purposes) {
    state[purpose.id] = evaluatePurpose(policy, purpose, history, terms);
  }
  for (const { record } of history) {
    for (const decision of record.decisions) {
      if (state[decision.purpose]) continue;
      state[decision.purpose] = {
        purpose: decision.purpose,
        status: 'denied',
        reason: 'unknown-purpose',
        basis: decision.basis,
        legalBasis: decision.legalBasis ?? (decision.basis === 'express' ? 'consent' : 'implied-consent'),
        recordId: record.id,
        at: record.issuedAt,
      };
    }
  }
  return state;
}

/** True when the state lets the controller process data for the purpose. */
export function isPermitted(state: ConsentState, purposeId: string): boolean {
  return state[purposeId]?.status === 'granted';
}
