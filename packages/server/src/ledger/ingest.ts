import { type ConsentRecord, findPurpose, isConsentError, verifyCommitment, verifyRecord } from '@consentkit/core';
import { parseRecord } from '@consentkit/core/schema';
import type { Keyring } from '../keys/keyring.js';
import { subjectKeyFor } from '../keys/subject-keys.js';
import type { Ledger, LockedTx } from './ledger.js';
import type { PolicyRegistry } from './policies.js';
import { blindIndexOf, findOrCreateSubject, findSubject, linkCommitment, subjectOfCommitment } from './subjects.js';

/** Why a record was refused; each is a client-side fault, stable for SDKs to branch on. */
export type RejectionCode =
  | 'invalid-record'
  | 'invalid-signature'
  | 'policy-mismatch'
  | 'chain-broken'
  | 'commitment-mismatch'
  | 'unknown-subject'
  | 'conflict';

export type Opening = { readonly salt: string; readonly identifier: string; readonly kind: 'email' };
export type IngestItem = { readonly jws: string; readonly opening?: Opening | undefined };

export type IngestResult =
  | { id: string | null; status: 'accepted'; seq: number; receipt: string; duplicate: boolean }
  | { id: string | null; status: 'rejected'; code: RejectionCode; reason: string };

class Rejection extends Error {
  readonly code: RejectionCode;
  constructor(code: RejectionCode, reason: string) {
    super(reason);
    this.code = code;
  }
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Checks that need no lock: signature, shape, policy, commitment. */
async function check(
  item: IngestItem,
  policies: PolicyRegistry,
): Promise<{ record: ConsentRecord; kid: string; digest: string }> {
  let verified: Awaited<ReturnType<typeof verifyRecord>>;
  try {
    verified = await verifyRecord(item.jws);
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
    const ok = await verifyCommitment({ commitment: record.subject.commitment, opening: item.opening });
    if (!ok) throw new Rejection('commitment-mismatch', 'the opening does not open the record’s commitment');
  }
  return { record, kid: verified.header.kid, digest: verified.digest };
}

export type IngestorOptions = { readonly ledger: Ledger; readonly keyring: Keyring; readonly policies: PolicyRegistry };

export type Ingestor = { ingest(items: readonly IngestItem[]): Promise<IngestResult[]> };

export function createIngestor(options: IngestorOptions): Ingestor {
  const { ledger, keyring, policies } = options;

  /** Where the record belongs: the person an opening names, or whom its commitment/ref points at. */
  async function subjectFor(tx: LockedTx, record: ConsentRecord, item: IngestItem): Promise<string | null> {
    const subject = record.subject;
    if (subject.kind === 'ref') {
      if (!(await findSubject(tx, subject.ref))) throw new Rejection('unknown-subject', `no subject ${subject.ref}`);
      return subject.ref;
    }
    if (subject.kind !== 'commitment') return null;
    if (item.opening) {
      const index = await blindIndexOf(keyring, item.opening.kind, item.opening.identifier);
      const person = await findOrCreateSubject(tx, index);
      await linkCommitment(tx, subject.commitment, person.ref);
      // Sealed with the person's own data key, so erasing that key shreds every copy (issue 7).
      const { keyId, box } = await subjectKeyFor(tx, keyring.openingBox.box, person.ref);
      const sealed = await box.seal(new TextEncoder().encode(JSON.stringify(item.opening)), `opening:${record.id}`);
      await tx.query('INSERT INTO openings (record_id, subject_ref, key_id, sealed) VALUES ($1, $2, $3, $4)', [
        record.id,
        person.ref,
        keyId,
        sealed,
      ]);
      return person.ref;
    }
    return (await subjectOfCommitment(tx, subject.commitment)) ?? null;
  }

  async function ingestOne(item: IngestItem): Promise<IngestResult> {
    let id: string | null = null;
    try {
      const { record, kid, digest } = await check(item, policies);
      id = record.id;
      // Under the head lock: duplicates, the signer chain and the append see one consistent ledger.
      return await ledger.withLock(async (tx): Promise<IngestResult> => {
        const existing = await ledger.findByRecordId(tx, record.id);
        if (existing) {
          if (existing.digest !== digest) {
            throw new Rejection('conflict', `record ${record.id} is already on file with different content`);
          }
          return { id: record.id, status: 'accepted', seq: existing.seq, receipt: existing.receipt, duplicate: true };
        }
        const expected = await ledger.lastDigestOf(tx, kid);
        if (record.prev !== expected) {
          throw new Rejection(
            'chain-broken',
            expected === null
              ? `prev must be null: this is the first record from key ${kid}`
              : `prev must be ${expected}, the digest of the last record from key ${kid}`,
          );
        }
        const subjectRef = await subjectFor(tx, record, item);
        const entry = await ledger.append(tx, { recordId: record.id, kid, digest, jws: item.jws, subjectRef });
        return { id: record.id, status: 'accepted', seq: entry.seq, receipt: entry.receipt, duplicate: false };
      });
    } catch (error) {
      if (error instanceof Rejection) return { id, status: 'rejected', code: error.code, reason: error.message };
      throw error;
    }
  }

  return {
    async ingest(items) {
      // In order: a batch often carries one signer's consecutive records, each `prev` the one before.
      const results: IngestResult[] = [];
      for (const item of items) results.push(await ingestOne(item));
      return results;
    },
  };
}
