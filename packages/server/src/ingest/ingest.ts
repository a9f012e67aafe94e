// Over 400 lines as one concept: the ingest pipeline (lock-free checks, then placement of a whole
// batch under the head lock) reads top to bottom; splitting it would scatter one transaction.
import { randomBytes } from 'node:crypto';
import { type Assurance, ConsentError, type ConsentRecord, findPurpose, utf8Encode, uuidv7 } from '@consentkit/core';
import type { AppendInput, Ledger, LockedTx } from '../ledger/ledger.js';
import { createCryptoBox } from '../platform/crypto/crypto-box.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import { subjectKeyId } from '../platform/crypto/subject-keys.js';
import { ServerError } from '../platform/server-error.js';
import { createGroupCommit } from '../platform/store/group-commit.js';
import type { PolicyRegistry } from '../policy/policy-registry.js';
import { blindIndexOf } from '../subjects/subject-lookup.js';
import { opensCommitment } from './commitment-check.js';
import { LOOKUP_SQL, type LookupRow, WRITE_CTES } from './placement-statements.js';
import { createKeyCache } from './record-verifier.js';
import type { SignatureCheck } from './signature-check.js';
import { createVerifyPool } from './verify-pool.js';

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

/** Checks that need no lock, after the signature and shape (signature-check.ts): policy, commitment. */
async function check(
  item: IngestItem,
  signed: SignatureCheck,
  policies: PolicyRegistry,
  caller: IngestCaller,
): Promise<{ record: ConsentRecord; kid: string; digest: string }> {
  if (!signed.ok) throw new Rejection(signed.code, signed.reason);
  const { record } = signed;
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
  return { record, kid: signed.kid, digest: signed.digest };
}

export type IngestorOptions = {
  readonly ledger: Ledger;
  readonly keyring: Keyring;
  readonly policies: PolicyRegistry;
  /** Most records placed in one transaction when concurrent batches are grouped (default 1,000). */
  readonly maxRecordsPerCommit?: number;
  /** Worker threads for signature checks (verify-pool.ts; default one per core, 0 for none). */
  readonly verifyThreads?: number;
};

/**
 * Who posted the batch: `site` when the caller presented an API key that may ingest (the site's
 * backend), `device` otherwise (a browser: anybody). The entries' assurance, never the records' say.
 */
export type IngestCaller = Extract<Assurance, 'device' | 'site'>;

export type Ingestor = {
  ingest(items: readonly IngestItem[], options?: { readonly caller?: IngestCaller }): Promise<IngestResult[]>;
  /** Ends the verify pool's workers (idle ones never hold the process open either way). */
  close(): Promise<void>;
};

const unique = <T>(values: Iterable<T>) => [...new Set(values)];

type NewSubject = { ref: string; created_at: string; blind_index: string };
type OpeningRow = { record_id: string; subject_ref: string; opening: Opening };

export function createIngestor(options: IngestorOptions): Ingestor {
  const { ledger, keyring, policies } = options;
  const pool = createVerifyPool({
    keys: createKeyCache(),
    ...(options.verifyThreads === undefined ? {} : { threads: options.verifyThreads }),
  });
  const wrapping = keyring.openingBox.box;

  async function prepare(item: IngestItem, signed: SignatureCheck, caller: IngestCaller): Promise<Checked> {
    let id: string | null = null;
    try {
      const { record, kid, digest } = await check(item, signed, policies, caller);
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
    // Everything the placement must know, in ONE statement (a statement's fixed cost is most of a
    // small batch's time on PGlite): each row tagged with what it answers.
    const found = await tx.query<LookupRow>(
      LOOKUP_SQL,
      [ids, kids, refs, indexes, commitments].map((v) => JSON.stringify(v)),
      {
        prepare: 'ingest-lookup',
      },
    );
    const existing = new Map<string, { digest: string; seq: number; receipt: string }>();
    const signerHeads = new Map<string, string | null>();
    const knownRefs = new Set<string>();
    const byIndex = new Map<string, string>();
    const links = new Map<string, string>();
    const sealedKeys = new Map<string, string>();
    for (const r of found) {
      if (r.k === 'entry') existing.set(r.a, { digest: r.b ?? '', seq: Number(r.c), receipt: r.d ?? '' });
      else if (r.k === 'head') signerHeads.set(r.a, r.b);
      else if (r.k === 'ref') knownRefs.add(r.a);
      else if (r.k === 'index' && r.b !== null) byIndex.set(r.b, r.a);
      else if (r.k === 'link' && r.b !== null) links.set(r.a, r.b);
      else if (r.k === 'key' && r.b !== null) sealedKeys.set(r.a, r.b);
    }

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

    const sealed = await sealOpenings(openings, sealedKeys);
    // Rows of people, links, keys and openings exist only beside a record appended here.
    const writes = newSubjects.length + newLinks.length + sealed.openings.length + sealed.keys.length > 0;
    const entries = await ledger.appendMany(
      tx,
      appends,
      writes
        ? {
            alongside: {
              name: 'ingest-write',
              ctes: WRITE_CTES,
              params: [newSubjects, newLinks, sealed.keys, sealed.openings].map((rows) => JSON.stringify(rows)),
              newPeople: 'people',
            },
          }
        : {},
    );
    return results.map((r): IngestResult => {
      if (!('pending' in r)) return r;
      const entry = entries[r.pending];
      if (!entry) throw new ConsentError('internal', 'an appended entry is missing');
      return { id: r.id, status: 'accepted', seq: entry.seq, receipt: entry.receipt, duplicate: r.duplicate };
    });
  }

  /**
   * Seals each opening with its person's own data key (erasing that key shreds every copy),
   * making the keys people do not have yet (`sealedKeys`: the ones they have), all in parallel.
   */
  async function sealOpenings(openings: readonly OpeningRow[], sealedKeys: ReadonlyMap<string, string>) {
    if (openings.length === 0) return { openings: [], keys: [] };
    const people = unique(openings.map((o) => o.subject_ref));
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
    const rows = await Promise.all(
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
    return { openings: rows, keys: created };
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
      const signed = await pool.check(items.map((item) => item.jws));
      const checked = await Promise.all(items.map((item, i) => prepare(item, signed[i] as SignatureCheck, caller)));
      const rejected = checked.flatMap((c) => (c.ok ? [] : [c.result]));
      if (rejected.length === checked.length) return rejected;
      return groups.submit(checked);
    },
    close: () => pool.close(),
  };
}
