import {
  type AssuredRecord,
  type EvaluationContext,
  isUuid,
  normalizeIdentifier,
  type Policy,
  type PurposeState,
} from '@consentkit/core';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Queryable } from '../platform/store/store.js';
import { createAskedStates } from './asked-states.js';
import { SendersError } from './senders-error.js';
import { assuredRecordOfPayload } from './stored-records.js';

/**
 * Bulk "may we?": the state of up to MAX_SUBJECTS people for some purposes in one read. Each
 * answer is core's `evaluateConsent` over the person's history, exactly as the single query
 * (GET /v1/subjects/{ref}/state) computes it; a person the ledger does not know gets the rules'
 * answer for an empty history, which is the policy's default for that purpose's basis.
 *
 * Where a call's time went before this was made fast (bench/benches/senders.mjs has the profile):
 * decoding the stored records with the strict JWS decoder (half), `evaluateConsent` over every
 * purpose of the policy (a fifth), garbage from both. So the query reads only each record's
 * payload, decoded natively (stored-records.ts), and only the asked purposes are evaluated
 * (asked-states.ts); both are twins held to the originals by differential tests.
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

type Row = {
  ref: string;
  blind_index: string | null;
  payload: string | null;
  assurance: string | null;
  entry_version: number | null;
};

/** An asked-for name: an email (by its blind index) or a subject ref (a UUID, any case). */
type Name = { readonly kind: 'email'; readonly index: string } | { readonly kind: 'ref'; readonly ref: string };

export async function bulkState(
  q: Queryable,
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
  // One statement for every person and their whole history, in ledger order (subject_ref, seq
  // index), reading only each record's payload. LATERAL keeps the plan an index lookup per person
  // whatever the statistics say: the plain join let the planner scan the whole ledger per call.
  const rows =
    refs.length + indexes.length === 0
      ? []
      : await q.query<Row>(
          `SELECT s.ref, s.blind_index, e.payload, e.assurance, e.entry_version
           FROM subjects s LEFT JOIN LATERAL (
             SELECT l.seq, split_part(l.jws, '.', 2) AS payload, l.assurance, l.entry_version
             FROM ledger_entries l WHERE l.subject_ref = s.ref ORDER BY l.seq
           ) e ON true
           WHERE s.ref = ANY(ARRAY(SELECT json_array_elements_text($1::json)))
              OR s.blind_index = ANY(ARRAY(SELECT json_array_elements_text($2::json)))
           ORDER BY s.ref, e.seq`,
          [JSON.stringify(refs), JSON.stringify(indexes)],
        );
  const histories = new Map<string, AssuredRecord[]>();
  const refOfIndex = new Map<string, string>();
  for (const row of rows) {
    let history = histories.get(row.ref);
    if (!history) {
      history = [];
      histories.set(row.ref, history);
      if (row.blind_index !== null) refOfIndex.set(row.blind_index, row.ref);
    }
    // With the assurance stored beside each entry, as the single query reads it.
    if (row.payload !== null)
      history.push(
        assuredRecordOfPayload({
          payload: row.payload,
          assurance: row.assurance ?? 'device',
          version: Number(row.entry_version),
        }),
      );
  }
  const context = { ...input.context, now: input.context?.now ?? new Date() };
  const statesOf = createAskedStates(policy, input.purposes);
  const unknown = statesOf([], context);
  const evaluated = new Map<string, Record<string, PurposeState>>();
  return names.map((name, i) => {
    const ref = name.kind === 'ref' ? (histories.has(name.ref) ? name.ref : undefined) : refOfIndex.get(name.index);
    const subject = input.subjects[i] ?? '';
    if (ref === undefined) return { subject, ref: null, known: false, state: unknown };
    let state = evaluated.get(ref);
    if (!state) {
      state = statesOf(histories.get(ref) ?? [], context);
      evaluated.set(ref, state);
    }
    return { subject, ref, known: true, state };
  });
}
