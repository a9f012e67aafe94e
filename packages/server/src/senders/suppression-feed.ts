import { createHash } from 'node:crypto';
import {
  type AssuredRecord,
  evaluateConsent,
  findPurpose,
  normalizeIdentifier,
  type Policy,
  type PurposeState,
} from '@consentkit/core';
import { assuredRecordOf } from '../ledger/records-of.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Queryable } from '../platform/store/store.js';
import type { FeedCursorCodec } from './feed-cursor.js';
import { SendersError } from './senders-error.js';
import { emailsOf } from './subject-emails.js';

/**
 * The suppression feed: for one purpose, every ledger entry that changed whether a person may be
 * mailed ("suppress": may no longer; "allow": may again), in ledger order.
 *
 * Consistency: appends take the ledger's head lock and commit in seq order, so any snapshot of
 * `ledger_entries` holds every seq up to some n and none above. A page reads the next `limit`
 * entries after its cursor, then the histories of their people bounded by the page's last seq,
 * so what it answers depends on the cursor alone, never on appends racing it; the next page
 * starts exactly after that seq: no change skipped or repeated.
 */
export type IdentifierForm = 'email' | 'sha256';

export type FeedChange = {
  readonly seq: number;
  readonly subject: string;
  readonly change: 'suppress' | 'allow';
  readonly status: PurposeState['status'];
  readonly reason: PurposeState['reason'];
  readonly recordId: string;
  readonly at: string | null;
  /** The address (only for `suppressions` or `admin` keys, and the console); null once erased. */
  readonly email?: string | null;
  /** SHA-256 (hex) of the normalised, lower-case address, as providers take hashed lists; null once erased. */
  readonly emailSha256: string | null;
};

export type FeedPage = {
  readonly purpose: string;
  readonly changes: FeedChange[];
  /** Pass back as `cursor` for the next page (also when `more` is false: it resumes from there later). */
  readonly cursor: string;
  /** True when this page was full: ask again at once. */
  readonly more: boolean;
  /** The ledger seq this page reached (for progress); the cursor itself is opaque. */
  readonly position: number;
  /** The ledger's last seq when the page was read (for progress). */
  readonly head: number;
};

export type FeedPageInput = {
  readonly purpose: string;
  readonly cursor?: string | undefined;
  /** Ledger entries examined per page (1 to 5,000; default 1,000). */
  readonly limit?: number;
  readonly identifiers: IdentifierForm;
};

export const MAX_FEED_LIMIT = 5000;

export const emailSha256 = (email: string) =>
  createHash('sha256').update(normalizeIdentifier(email, 'email'), 'utf8').digest('hex');

type EntryRow = { seq: number | string; subject_ref: string; jws: string; assurance: string; entry_version: number };

const mayMail = (state: PurposeState | undefined) => state?.status === 'granted';

export async function readFeedPage(
  q: Queryable,
  deps: { readonly keyring: Keyring; readonly policy: Policy; readonly cursors: FeedCursorCodec },
  input: FeedPageInput,
): Promise<FeedPage> {
  const { policy } = deps;
  const { purpose } = input;
  if (!findPurpose(policy, purpose)) {
    throw new SendersError(
      'unknown-purpose',
      `purpose "${purpose}" is not in policy ${policy.id}@${policy.version}: use one of ${policy.purposes.map((p) => p.id).join(', ')}`,
    );
  }
  const limit = input.limit ?? 1000;
  const after = input.cursor === undefined ? 0 : deps.cursors.decode(input.cursor, purpose).seq;
  const window = await q.query<{ seq: number | string; subject_ref: string }>(
    'SELECT seq, subject_ref FROM ledger_entries WHERE seq > $1 AND subject_ref IS NOT NULL ORDER BY seq LIMIT $2',
    [after, limit],
  );
  const headRow = await q.query<{ seq: number | string }>('SELECT seq FROM ledger_head WHERE id = 1');
  const last = window.at(-1);
  const position = last === undefined ? after : Number(last.seq);
  const head = Math.max(Number(headRow[0]?.seq ?? 0), position);
  const refs = [...new Set(window.map((r) => r.subject_ref))];
  // Histories up to the page's last seq only: entries appended meanwhile belong to a later page.
  // The join drops erased people (their subject row is gone): nobody is left to mail or suppress.
  const rows =
    refs.length === 0
      ? []
      : await q.query<EntryRow>(
          `SELECT e.seq, e.subject_ref, e.jws, e.assurance, e.entry_version FROM ledger_entries e JOIN subjects s ON s.ref = e.subject_ref
           WHERE e.subject_ref = ANY(ARRAY(SELECT json_array_elements_text($1::json))) AND e.seq <= $2
           ORDER BY e.subject_ref, e.seq`,
          [JSON.stringify(refs), position],
        );
  const histories = new Map<string, Array<{ seq: number; record: AssuredRecord }>>();
  for (const row of rows) {
    const list = histories.get(row.subject_ref) ?? [];
    list.push({
      seq: Number(row.seq),
      // With the assurance stored beside it, as the single query reads it.
      record: assuredRecordOf({ jws: row.jws, assurance: row.assurance, version: Number(row.entry_version) }),
    });
    histories.set(row.subject_ref, list);
  }
  const context = { now: new Date() };
  const stateAfter = (records: readonly AssuredRecord[]) =>
    evaluateConsent({ policy, history: records, context })[purpose];
  const found: Array<Omit<FeedChange, 'email' | 'emailSha256'>> = [];
  for (const [subject, entries] of histories) {
    const records = entries.map((e) => e.record);
    // Where the person stood before this page: after their last entry at or before the cursor.
    const firstNew = entries.findIndex((e) => e.seq > after);
    if (firstNew < 0) continue;
    let before = mayMail(stateAfter(records.slice(0, firstNew)));
    for (let i = firstNew; i < entries.length; i++) {
      const state = stateAfter(records.slice(0, i + 1));
      const now = mayMail(state);
      if (state && now !== before) {
        found.push({
          seq: entries[i]?.seq ?? 0,
          subject,
          change: now ? 'allow' : 'suppress',
          status: state.status,
          reason: state.reason,
          recordId: entries[i]?.record.record.id ?? '',
          at: state.at ?? null,
        });
      }
      before = now;
    }
  }
  found.sort((a, b) => a.seq - b.seq);
  const emails = await emailsOf(q, deps.keyring, [...new Set(found.map((c) => c.subject))]);
  const changes = found.map((c): FeedChange => {
    const email = emails.get(c.subject);
    const hashed = email === undefined ? null : emailSha256(email);
    if (input.identifiers === 'email') {
      return { ...c, email: email === undefined ? null : normalizeIdentifier(email, 'email'), emailSha256: hashed };
    }
    return { ...c, emailSha256: hashed };
  });
  return {
    purpose,
    changes,
    cursor: deps.cursors.encode({ purpose, seq: position }),
    more: window.length === limit,
    position,
    head,
  };
}
