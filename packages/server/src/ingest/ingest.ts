// Over 400 lines as one concept: the ingest pipeline (lock-free checks, then placement of a whole
// batch under the head lock) reads top to bottom; splitting it would scatter one transaction.
import { randomBytes } from 'node:crypto';
import {
  type Assurance,
  ConsentError,
  type ConsentRecord,
  findPurpose,
  isConsentError,
  utf8Encode,
  uuidv7,
} from '@consentkit/core';
import { parseRecord } from '@consentkit/core/schema';
import type { AppendInput, Ledger, LockedTx } from '../ledger/ledger.js';
import { createCryptoBox } from '../platform/crypto/crypto-box.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { subjectKeyId } from '../platform/crypto/subject-keys.js';
import { ServerError } from '../platform/server-error.js';
import { createGroupCommit } from '../platform/store/group-commit.js';
import type { PolicyRegistry } from '../policy/policy-registry.js';
import { blindIndexOf } from '../subjects/subject-lookup.js';
import { opensCommitment } from './commitment-check.js';
import { createKeyCache, type KeyCache, verifyRecordFast } from './record-verifier.js';

/** Why a record was refused; each is a client-side fault, stable for SDKs to branch on. */
export type RejectionCode =
  | 'invalid-record'
  | 'invalid-signature'
  | 'policy-mismatch'
  | 'chain-broken'
  | 'commitment-mismatch'
  | 'unknown-subject'
  | 'conflict'
  | 'ref-needs-key';

export type Opening = { readonly salt: string; readonly identifier: string; readonly kind: 'email' };
export type IngestItem = { readonly jws: string; readonly opening?: Opening | undefined };

export type IngestResult =
  | { id: string | null; status: 'accepted'; seq: number; receipt: string; duplicate: boolean }
  | { id: string | null; status: 'rejected'; code: RejectionCode; reason: string };

/** A record refused before it reached the ledger; `detail` is the `reason` the client reads. */
class Rejection extends ServerError<RejectionCode> {
  override readonly name = 'Rejection';
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What the lock-free checks found: a record ready to place, or its rejection. */
type Checked =
  | { readonly ok: false; readonly result: IngestResult }
  | {
      readonly ok: true;
      readonly item: IngestItem;
      readonly record: ConsentRecord;
      readonly kid: string;
      readonly digest: string;
      /** The opening's blind index, computed before the lock (an HMAC). */
      readonly blindIndex: string | undefined;
      readonly assurance: Assurance;
    };

/** Checks that need no lock: signature, shape, policy, commitment. */
async function check(
  item: IngestItem,
  policies: PolicyRegistry,
  keys: KeyCache,
  caller: IngestCaller,
): Promise<{ record: ConsentRecord; kid: string; digest: string }> {
  let verified: Awaited<ReturnType<typeof verifyRecordFast>>;
  try {
    verified = await verifyRecordFast(item.jws, keys);
  } catch (error) {
    const code = isConsentError(error) ? error.code : 'invalid-record';
    const signatureFault = code === 'invalid-signature' || code === 'invalid-key' || code === 'unsupported-algorithm';
    throw new Rejection(signatureFault ? 'invalid-signature' : 'invalid-record', reasonOf(error));
  }
  let record: ConsentRecord;
  try {
    record = parseRecord(verified.record);
  } catch (error) {
    const issues = isConsentError(error) ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) : [];
    throw new Rejection('invalid-record', issues.length > 0 ? issues.join('; ') : reasonOf(error));
  }
  if (record.confirms !== undefined || record.attests !== undefined || record.identifierVerified !== undefined) {
    throw new Rejection(
      'invalid-record',
      'confirms, attests and identifierVerified are written only by the ledger (POST /v1/attestations, the confirmation page)',
    );
  }
  // A ledger subject id is the ledger's own handle on a person: only the site's backend may name it,
  // or anyone holding a forwarded link could write that person's consent.
  if (record.subject.kind === 'ref' && caller !== 'site') {
    throw new Rejection(
      'ref-needs-key',
      'a record with subject kind "ref" is accepted only from a caller with an API key (scope ingest); browsers name people by commitment',
    );
  }
  const policy = await policies.byDigest(record.policy.digest);
  if (!policy || policy.id !== record.policy.id || policy.version !== record.policy.version) {
    throw new Rejection(
      'policy-mismatch',
      `policy ${record.policy.id}@${record.policy.version} with digest ${record.policy.digest} is not one this ledger has served`,
    );
  }
  const unknown = record.decisions.find((d) => !findPurpose(policy, d.purpose));
  if (unknown)
    throw new Rejection(
      'policy-mismatch',
      `purpose "${unknown.purpose}" is not in policy ${policy.id}@${policy.version}`,
    );
  if (item.opening) {
    if (record.subject.kind !== 'commitment') {
      throw new Rejection(
        'commitment-mismatch',
        `an opening was sent but the record's subject is "${record.subject.kind}"`,
      );
    }
    if (!opensCommitment(record.subject.commitment, item.opening)) {
      throw new Rejection('commitment-mismatch', 'the opening does not open the record’s commitment');
    }
  }
  return { record, kid: verified.header.kid, digest: verified.digest };
}

export type IngestorOptions = {
  readonly ledger: Ledger;
  readonly keyring: Keyring;
  readonly policies: PolicyRegistry;
  /** Most records placed in one transaction when concurrent batches are grouped (default 1,000). */
  readonly maxRecordsPerCommit?: number;
};

/**
 * Who posted the batch: `site` when the caller presented an API key that may ingest (the site's
 * backend), `device` otherwise (a browser: anybody). The entries' assurance, never the records' say.
 */
export type IngestCaller = Extract<Assurance, 'device' | 'site'>;

export type Ingestor = {
  ingest(items: readonly IngestItem[], options?: { readonly caller?: IngestCaller }): Promise<IngestResult[]>;
};

/**
 * `x = ANY(…)` over a JSON array parameter: one statement for any number of values, on both
 * stores; an array (not an IN subquery) so the planner always takes the unique index.
 */
const ANY_JSON = 'ANY(ARRAY(SELECT json_array_elements_text($1::json)))';

const unique = <T>(values: Iterable<T>) => [...new Set(values)];

type NewSubject = { ref: string; created_at: string; blind_index: string };
type OpeningRow = { record_id: string; subject_ref: string; opening: Opening };

export function createIngestor(options: IngestorOptions): Ingestor {
  const { ledger, keyring, policies } = options;
  const keys = createKeyCache();
  const wrapping = keyring.openingBox.box;

  async function prepare(item: IngestItem, caller: IngestCaller): Promise<Checked> {
    let id: string | null = null;
    try {
      const { record, kid, digest } = await check(item, policies, keys, caller);
      id = record.id;
      const blindIndex = item.opening
        ? await blindIndexOf(keyring, item.opening.kind, item.opening.identifier)
        : undefined;
      return { ok: true, item, record, kid, digest, blindIndex, assurance: caller };
    } catch (error) {
      if (error instanceof Rejection)
        return { ok: false, result: { id, status: 'rejected', code: error.code, reason: error.detail } };
      throw error;
    }
  }

  /**
   * Everything that must see one consistent ledger, for many records at once, under the head
   * lock: duplicates, signer chains, subjects, then one multi-row INSERT per table. The outcome
   * is the same as placing the records one by one in this order.
   */
  async function place(tx: LockedTx, batch: readonly Checked[]): Promise<IngestResult[]> {
    const ok = batch.filter((c): c is Extract<Checked, { ok: true }> => c.ok);
    const ids = unique(ok.map((c) => c.record.id));
    const kids = unique(ok.map((c) => c.kid));
    const refs = unique(ok.flatMap((c) => (c.record.subject.kind === 'ref' ? [c.record.subject.ref] : [])));
    const indexes = unique(ok.flatMap((c) => (c.blindIndex ? [c.blindIndex] : [])));
    const commitments = unique(
      ok.flatMap((c) => (c.record.subject.kind === 'commitment' ? [c.record.subject.commitment] : [])),
    );
    const json = (values: readonly string[]) => [JSON.stringify(values)];
    // One after another: a transaction is one connection, and pg wants one query at a time on it.
    const existingRows =
      ids.length === 0
        ? []
        : await tx.query<{ record_id: string; digest: string; seq: number; receipt: string }>(
            `SELECT record_id, digest, seq, receipt FROM ledger_entries WHERE record_id = ${ANY_JSON}`,
            json(ids),
          );
    const headRows =
      kids.length === 0
        ? []
        : await tx.query<{ kid: string; digest: string | null }>(
            `SELECT k.kid, (SELECT e.digest FROM ledger_entries e WHERE e.kid = k.kid ORDER BY e.seq DESC LIMIT 1) AS digest
             FROM json_array_elements_text($1::json) AS k(kid)`,
            json(kids),
          );
    const refRows =
      refs.length === 0
        ? []
        : await tx.query<{ ref: string }>(`SELECT ref FROM subjects WHERE ref = ${ANY_JSON}`, json(refs));
    const indexRows =
      indexes.length === 0
        ? []
        : await tx.query<{ ref: string; blind_index: string }>(
            `SELECT ref, blind_index FROM subjects WHERE blind_index = ${ANY_JSON}`,
            json(indexes),
          );
    const commitmentRows =
      commitments.length === 0
        ? []
        : await tx.query<{ commitment: string; subject_ref: string }>(
            `SELECT commitment, subject_ref FROM commitments WHERE commitment = ${ANY_JSON}`,
            json(commitments),
          );
    const existing = new Map(existingRows.map((r) => [r.record_id, r]));
    const signerHeads = new Map(headRows.map((r) => [r.kid, r.digest]));
    const knownRefs = new Set(refRows.map((r) => r.ref));
    const byIndex = new Map(indexRows.map((r) => [r.blind_index, r.ref]));
    const existingSubjects = new Set(byIndex.values());
    const links = new Map(commitmentRows.map((r) => [r.commitment, r.subject_ref]));

    const newSubjects: NewSubject[] = [];
    const newLinks: Array<{ commitment: string; subject_ref: string }> = [];
    const openings: OpeningRow[] = [];
    const appends: AppendInput[] = [];
    /** Records placed earlier in this group: a repeat inside it is a duplicate of that entry. */
    const placed = new Map<string, { digest: string; append: number }>();
    const results: Array<IngestResult | { pending: number; id: string; duplicate: boolean }> = [];

    for (const c of batch) {
      if (!c.ok) {
        results.push(c.result);
        continue;
      }
      const { record, kid, digest } = c;
      const reject = (code: RejectionCode, reason: string) =>
        results.push({ id: record.id, status: 'rejected', code, reason });
      const before = existing.get(record.id);
      if (before) {
        if (before.digest !== digest)
          reject('conflict', `record ${record.id} is already on file with different content`);
        else
          results.push({
            id: record.id,
            status: 'accepted',
            seq: Number(before.seq),
            receipt: before.receipt,
            duplicate: true,
          });
        continue;
      }
      const earlier = placed.get(record.id);
      if (earlier) {
        if (earlier.digest !== digest)
          reject('conflict', `record ${record.id} is already on file with different content`);
        else results.push({ pending: earlier.append, id: record.id, duplicate: true });
        continue;
      }
      const expected = signerHeads.get(kid) ?? null;
      if (record.prev !== expected) {
        reject(
          'chain-broken',
          expected === null
            ? `prev must be null: this is the first record from key ${kid}`
            : `prev must be ${expected}, the digest of the last record from key ${kid}`,
        );
        continue;
      }
      // Where the record belongs: the person an opening names, or whom its commitment/ref points at.
      let subjectRef: string | null = null;
      const subject = record.subject;
      if (subject.kind === 'ref') {
        if (!knownRefs.has(subject.ref)) {
          reject('unknown-subject', `no subject ${subject.ref}`);
          continue;
        }
        subjectRef = subject.ref;
      } else if (subject.kind === 'commitment') {
        if (c.item.opening && c.blindIndex) {
          let ref = byIndex.get(c.blindIndex);
          if (!ref) {
            ref = uuidv7();
            byIndex.set(c.blindIndex, ref);
            knownRefs.add(ref);
            newSubjects.push({ ref, created_at: new Date().toISOString(), blind_index: c.blindIndex });
          }
          // The first link wins, as ON CONFLICT DO NOTHING would have it.
          if (!links.has(subject.commitment)) {
            links.set(subject.commitment, ref);
            newLinks.push({ commitment: subject.commitment, subject_ref: ref });
          }
          openings.push({ record_id: record.id, subject_ref: ref, opening: c.item.opening });
          subjectRef = ref;
        } else {
          subjectRef = links.get(subject.commitment) ?? null;
        }
      }
      signerHeads.set(kid, digest);
      placed.set(record.id, { digest, append: appends.length });
      results.push({ pending: appends.length, id: record.id, duplicate: false });
      appends.push({ recordId: record.id, kid, digest, jws: c.item.jws, subjectRef, assurance: c.assurance });
    }

    const insert = async (sql: string, rows: readonly object[]) => {
      if (rows.length > 0) await tx.query(sql, [JSON.stringify(rows)]);
    };
    await insert(
      `INSERT INTO subjects (ref, blind_index, created_at)
       SELECT ref, blind_index, created_at FROM json_to_recordset($1::json) AS x(ref text, blind_index text, created_at text)`,
      newSubjects,
    );
    await insert(
      `INSERT INTO commitments (commitment, subject_ref)
       SELECT commitment, subject_ref FROM json_to_recordset($1::json) AS x(commitment text, subject_ref text)
       ON CONFLICT (commitment) DO NOTHING`,
      newLinks,
    );
    await insert(
      `INSERT INTO openings (record_id, subject_ref, key_id, sealed)
       SELECT record_id, subject_ref, key_id, sealed FROM json_to_recordset($1::json)
         AS x(record_id text, subject_ref text, key_id text, sealed text)`,
      await sealOpenings(tx, openings, existingSubjects),
    );
    const entries = await ledger.appendMany(tx, appends);
    return results.map((r): IngestResult => {
      if (!('pending' in r)) return r;
      const entry = entries[r.pending];
      if (!entry) throw new ConsentError('internal', 'an appended entry is missing');
      return { id: r.id, status: 'accepted', seq: entry.seq, receipt: entry.receipt, duplicate: r.duplicate };
    });
  }

  /**
   * Seals each opening with its person's own data key (erasing that key shreds every
   * copy), creating the keys people do not have yet, all in parallel.
   */
  async function sealOpenings(tx: LockedTx, openings: readonly OpeningRow[], existingSubjects: ReadonlySet<string>) {
    if (openings.length === 0) return [];
    const people = unique(openings.map((o) => o.subject_ref));
    const known = people.filter((ref) => existingSubjects.has(ref));
    const stored =
      known.length === 0
        ? []
        : await tx.query<{ subject_ref: string; sealed: string }>(
            `SELECT subject_ref, sealed FROM subject_keys WHERE subject_ref = ${ANY_JSON}`,
            [JSON.stringify(known)],
          );
    const sealedKeys = new Map(stored.map((r) => [r.subject_ref, r.sealed]));
    const created: Array<{ subject_ref: string; sealed: string; created_at: string }> = [];
    const dataKeys = new Map(
      await Promise.all(
        people.map(async (ref) => {
          const aad = `subject-key:${ref}`;
          const sealed = sealedKeys.get(ref);
          let raw: Uint8Array;
          if (sealed) raw = await wrapping.open(sealed, aad);
          else {
            raw = randomBytes(32);
            created.push({
              subject_ref: ref,
              sealed: await wrapping.seal(raw, aad),
              created_at: new Date().toISOString(),
            });
          }
          return [ref, raw] as const;
        }),
      ),
    );
    if (created.length > 0) {
      await tx.query(
        `INSERT INTO subject_keys (subject_ref, sealed, created_at)
         SELECT subject_ref, sealed, created_at FROM json_to_recordset($1::json) AS x(subject_ref text, sealed text, created_at text)`,
        [JSON.stringify(created)],
      );
    }
    return Promise.all(
      openings.map(async (o) => {
        const key = dataKeys.get(o.subject_ref);
        if (!key) throw new ConsentError('internal', 'a subject key is missing');
        const sealed = await createCryptoBox({ key }).seal(
          utf8Encode(JSON.stringify(o.opening)),
          `opening:${o.record_id}`,
        );
        return { record_id: o.record_id, subject_ref: o.subject_ref, key_id: subjectKeyId(o.subject_ref), sealed };
      }),
    );
  }

  // Concurrent requests are placed together: one transaction and one head lock for all of them.
  const maxRecords = options.maxRecordsPerCommit ?? 1000;
  const groups = createGroupCommit<readonly Checked[], IngestResult[]>({
    maxItems: Math.max(1, Math.floor(maxRecords / 100)),
    async run(requests) {
      const flat = requests.flat();
      const placedAll = await ledger.withLock((tx) => place(tx, flat));
      const out: IngestResult[][] = [];
      let at = 0;
      for (const request of requests) {
        out.push(placedAll.slice(at, at + request.length));
        at += request.length;
      }
      return out;
    },
  });

  return {
    async ingest(items, ingestOptions = {}) {
      const caller = ingestOptions.caller ?? 'device';
      // Verified in parallel before any lock; placed in order (a batch often carries one signer's
      // consecutive records, each `prev` the one before).
      const checked = await Promise.all(items.map((item) => prepare(item, caller)));
      const rejected = checked.flatMap((c) => (c.ok ? [] : [c.result]));
      if (rejected.length === checked.length) return rejected;
      return groups.submit(checked);
    },
  };
}
