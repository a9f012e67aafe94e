import { type EvaluationContext, isUuid, normalizeIdentifier, type Policy, type PurposeState } from '@consentkit/core';
import type { SubjectHistories } from '../ledger/subject-histories.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { createAskedStates } from './asked-states.js';
import { SendersError } from './senders-error.js';

/**
 * Bulk "may we?": the state of up to MAX_SUBJECTS people for some purposes in one read. Each
 * answer is core's `evaluateConsent` over the person's history, exactly as the single query
 * (GET /v1/subjects/{ref}/state) computes it; a person the ledger does not know gets the rules'
 * answer for an empty history, which is the policy's default for that purpose's basis.
 *
 * Where a call's time went (bench/benches/senders.mjs has the profiles): decoding whole stored
 * records (first with the strict JWS decoder, then natively: still the largest share), and
 * `evaluateConsent` over every purpose of the policy. So each person is one narrow row of the
 * subject histories (ledger/subject-histories.ts: what the rules read of each entry, kept by the
 * append), and only the asked purposes are evaluated (asked-states.ts, a twin held to the whole
 * policy's answer by a differential test). The single query reads the same rows.
 */
export const MAX_SUBJECTS = 1000;

export type BulkAnswer = {
  /** What the caller asked about, as given. */
  readonly subject: string;
  /** The ledger's subject reference; null when the ledger does not know the person. */
  readonly ref: string | null;
  readonly known: boolean;
  /** The asked purposes' states, by purpose id. */
  readonly state: Record<string, PurposeState>;
};

export type BulkStateInput = {
  readonly subjects: readonly string[];
  readonly purposes: readonly string[];
  readonly context?: EvaluationContext;
};

/** The normalised address, or a refusal that says which entry was wrong (by position, not in clear). */
function emailOrRefuse(name: string, position: number): string {
  try {
    return normalizeIdentifier(name, 'email');
  } catch {
    throw new SendersError(
      'invalid-subject',
      `every subject must be an email address (local@domain) or a subject reference (a UUID): subjects[${position}] is neither`,
    );
  }
}

/** An asked-for name: an email (by its blind index) or a subject ref (a UUID, any case). */
type Name = { readonly kind: 'email'; readonly index: string } | { readonly kind: 'ref'; readonly ref: string };

export async function bulkState(
  histories: SubjectHistories,
  keyring: Keyring,
  policy: Policy,
  input: BulkStateInput,
): Promise<BulkAnswer[]> {
  if (input.subjects.length > MAX_SUBJECTS) {
    throw new SendersError(
      'too-many-subjects',
      `at most ${MAX_SUBJECTS} subjects per call (this one named ${input.subjects.length}): split the list`,
    );
  }
  const names: Name[] = await Promise.all(
    input.subjects.map(async (name, position): Promise<Name> => {
      const ref = name.toLowerCase();
      if (isUuid(ref)) return { kind: 'ref', ref };
      return { kind: 'email', index: await keyring.blindIndex(`email:${emailOrRefuse(name, position)}`) };
    }),
  );
  const refs = [...new Set(names.flatMap((n) => (n.kind === 'ref' ? [n.ref] : [])))];
  const indexes = [...new Set(names.flatMap((n) => (n.kind === 'email' ? [n.index] : [])))];
  // One indexed read of one narrow row per person: their history as the rules read it.
  const known = await histories.read({ refs, indexes });
  const byRef = new Map(known.map((k) => [k.ref, k.history]));
  const refOfIndex = new Map(known.flatMap((k) => (k.blindIndex === null ? [] : [[k.blindIndex, k.ref] as const])));
  const context = { ...input.context, now: input.context?.now ?? new Date() };
  const statesOf = createAskedStates(policy, input.purposes);
  const unknown = statesOf([], context);
  const evaluated = new Map<string, Record<string, PurposeState>>();
  return names.map((name, i) => {
    const ref = name.kind === 'ref' ? (byRef.has(name.ref) ? name.ref : undefined) : refOfIndex.get(name.index);
    const subject = input.subjects[i] ?? '';
    if (ref === undefined) return { subject, ref: null, known: false, state: unknown };
    let state = evaluated.get(ref);
    if (!state) {
      state = statesOf(byRef.get(ref) ?? [], context);
      evaluated.set(ref, state);
    }
    return { subject, ref, known: true, state };
  });
}
