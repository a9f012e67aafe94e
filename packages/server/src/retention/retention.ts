import {
  addDuration,
  type ConsentState,
  evaluateConsent,
  type HistoryItem,
  type Policy,
  type PurposeState,
  parseDuration,
  type ReasonCode,
  toAssuredRecord,
} from '@consentkit/core';

/**
 * How long a person's proof of consent must be kept (destroying outdated data), as a pure function of
 * the policy, their history and the clock. The rule, defended in docs/privacy-operations.md:
 *
 *   keep until  max over purposes of ( end of the processing it justified + purpose.retention )
 *               + policy.recordRetention
 *
 * - A purpose still granted (express, or an opt-out not yet exercised) justifies ongoing
 *   processing: the person is never purged while it stands (R26: proof is needed while processing
 *   runs; R17: the controller must be able to demonstrate consent).
 * - Implied consent by submission (the primary purpose) covers that one transaction: it ends at the
 *   submission, and the purpose's retention says how long the application data lives after it.
 * - A withdrawal, opt-out, refusal or GPC signal ends the purpose at that record; an expired CASL
 *   EBR ends it at the expiry core computes (R35).
 * - Storing data is processing too, so the purpose's own retention period extends what the proof
 *   must cover; recordRetention then runs from there ("the processing it justifies plus the policy's
 *   period"), never less than recordRetention after the person's last record.
 *
 * The person is evaluated in the policy's jurisdiction and in every jurisdiction their records
 * name, and the longest answer wins: the purge never destroys proof some jurisdiction still needs.
 */
export type PurposeRetention = {
  readonly purpose: string;
  /** `ongoing`: processing may still run; `ended`: it stopped at `endedAt`; `unused`: never presented. */
  readonly status: 'ongoing' | 'ended' | 'unused';
  readonly reason?: ReasonCode | 'transaction';
  readonly endedAt?: string;
  /** endedAt + the purpose's retention period. */
  readonly dataUntil?: string;
};

export type RetentionVerdict = 'ongoing' | 'retained' | 'expired';

export type SubjectRetention = {
  /** `ongoing`: a purpose still justifies processing; `retained`: proof still needed; `expired`: past `keepUntil`. */
  readonly verdict: RetentionVerdict;
  /** When the proof may be destroyed; absent while ongoing. */
  readonly keepUntil?: string;
  readonly records: number;
  readonly purposes: readonly PurposeRetention[];
};

export type AssessRetentionInput = {
  readonly policy: Policy;
  /** Oldest first, as the ledger stores them. */
  readonly history: readonly HistoryItem[];
  readonly now: Date;
  /** When the ledger first saw the person: the only date a subject without records has. */
  readonly subjectCreatedAt?: string;
};

const latest = (a: number | undefined, b: number): number => (a === undefined || b > a ? b : a);

function jurisdictionsOf(policy: Policy, history: readonly HistoryItem[]): string[] {
  const seen = new Set<string>([policy.jurisdiction]);
  for (const { record } of history.map(toAssuredRecord)) if (record.jurisdiction) seen.add(record.jurisdiction);
  return [...seen];
}

function stateAt(policy: Policy, history: readonly HistoryItem[], jurisdiction: string, now: Date): ConsentState {
  return evaluateConsent({ policy, history, context: { jurisdiction, now } });
}

/**
 * The instant an expired grant stopped counting. Core owns the expiry rule (CASL EBR, R35); rather
 * than copy it, ask core at ever closer instants between the grant and now (to the second).
 */
function expiryInstant(
  policy: Policy,
  history: readonly HistoryItem[],
  jurisdiction: string,
  s: PurposeState,
  now: Date,
): number {
  let granted = Date.parse(s.at ?? '');
  let expired = now.getTime();
  if (!Number.isFinite(granted) || granted >= expired) return expired;
  // Each purpose is evaluated on its own in core: asking about this one alone is several times faster.
  const only = { ...policy, purposes: policy.purposes.filter((p) => p.id === s.purpose) };
  while (expired - granted > 1000) {
    const mid = Math.floor((granted + expired) / 2);
    if (stateAt(only, history, jurisdiction, new Date(mid))[s.purpose]?.status === 'granted') granted = mid;
    else expired = mid;
  }
  return expired;
}

/** When processing for one purpose ended in one jurisdiction: null while ongoing, undefined if never used. */
function endOf(
  policy: Policy,
  history: readonly HistoryItem[],
  jurisdiction: string,
  s: PurposeState,
  now: Date,
): { at: number; reason: ReasonCode | 'transaction' } | null | undefined {
  if (s.status === 'granted') {
    if (s.reason === 'implied-by-submission' && s.at) return { at: Date.parse(s.at), reason: 'transaction' };
    return null;
  }
  if (s.recordId === undefined || s.at === undefined) return undefined; // never presented: nothing processed
  if (s.reason === 'expired') return { at: expiryInstant(policy, history, jurisdiction, s, now), reason: 'expired' };
  return { at: Date.parse(s.at), reason: s.reason };
}

export function assessRetention(input: AssessRetentionInput): SubjectRetention {
  const { policy, history, now } = input;
  const recordRetention = parseDuration(policy.recordRetention);
  // A purpose the current policy no longer lists gets the longest period the policy knows: when in
  // doubt, keep the proof (destroying it early cannot be undone).
  const longest = policy.purposes
    .map((p) => p.retention)
    .reduce<string | undefined>(
      (a, b) => (a === undefined || addDuration(now, b) > addDuration(now, a) ? b : a),
      undefined,
    );
  const retentionOf = (purposeId: string) =>
    policy.purposes.find((p) => p.id === purposeId)?.retention ?? longest ?? policy.recordRetention;

  const states = jurisdictionsOf(policy, history).map((j) => ({ j, state: stateAt(policy, history, j, now) }));
  const purposeIds = new Set(states.flatMap(({ state }) => Object.keys(state)));
  const purposes: PurposeRetention[] = [];
  let ongoing = false;
  let dataUntil: number | undefined;
  for (const purpose of purposeIds) {
    let end: { at: number; reason: ReasonCode | 'transaction' } | undefined;
    let purposeOngoing = false;
    for (const { j, state } of states) {
      const s = state[purpose];
      if (!s) continue;
      const e = endOf(policy, history, j, s, now);
      if (e === null) purposeOngoing = true;
      else if (e && (end === undefined || e.at > end.at)) end = e;
    }
    if (purposeOngoing) {
      ongoing = true;
      purposes.push({ purpose, status: 'ongoing' });
    } else if (end) {
      const until = addDuration(end.at, retentionOf(purpose)).getTime();
      dataUntil = latest(dataUntil, until);
      purposes.push({
        purpose,
        status: 'ended',
        reason: end.reason,
        endedAt: new Date(end.at).toISOString(),
        dataUntil: new Date(until).toISOString(),
      });
    } else purposes.push({ purpose, status: 'unused' });
  }
  if (ongoing) return { verdict: 'ongoing', records: history.length, purposes };

  // Never less than recordRetention after the last record (or, with none, after the person was first seen).
  const lastEvent = history
    .map(toAssuredRecord)
    .reduce<number | undefined>((a, { record }) => latest(a, Date.parse(record.issuedAt)), undefined);
  const floor = lastEvent ?? (input.subjectCreatedAt ? Date.parse(input.subjectCreatedAt) : now.getTime());
  const keepUntil = Math.max(
    addDuration(dataUntil ?? floor, recordRetention).getTime(),
    addDuration(floor, recordRetention).getTime(),
  );
  return {
    verdict: keepUntil <= now.getTime() ? 'expired' : 'retained',
    keepUntil: new Date(keepUntil).toISOString(),
    records: history.length,
    purposes,
  };
}
