/**
 * An in-process ledger stand-in: verifies each record's signature with core, stores it once per
 * id (like the real ledger, so retries are idempotent) and answers with a signed receipt. For
 * tests, demos and server-side code that records elsewhere later.
 */
import {
  ConsentError,
  type ConsentRecord,
  createKeySigner,
  generateSigningKeyPair,
  isConsentError,
  type Policy,
  type PublicJwk,
  type Signer,
  signJws,
  verifyRecord,
} from '@consentkit/core';
import type { ConsentBackend, IdentifierOpening, SendResult } from '../../backend.js';

export type MemoryBackendOptions = {
  /** Served by `fetchPolicy`. */
  policy?: Policy;
};

/** One stored record, as the memory ledger keeps it. */
export type MemoryLedgerEntry = {
  seq: number;
  id: string;
  jws: string;
  kid: string;
  digest: string;
  record: ConsentRecord;
  opening?: IdentifierOpening;
  receivedAt: string;
  receipt: string;
};

export type MemoryBackend = ConsentBackend & {
  /** Every record stored, in arrival order. */
  entries(): readonly MemoryLedgerEntry[];
  /** The receipt signing key, to verify receipts with. Resolves after the first receipt was signed. */
  receiptKey(): Promise<PublicJwk>;
};

function sameSubject(a: ConsentRecord['subject'], b: ConsentRecord['subject']): boolean {
  if (a.kind === 'commitment' && b.kind === 'commitment') return a.commitment === b.commitment;
  if (a.kind === 'ref' && b.kind === 'ref') return a.ref === b.ref;
  return a.kind === 'device' && b.kind === 'device';
}

export function createMemoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  const byId = new Map<string, MemoryLedgerEntry>();
  let ledgerSigner: Promise<Signer> | undefined;
  const signer = () => {
    ledgerSigner ??= generateSigningKeyPair({ algorithm: 'ES256' }).then((pair) =>
      createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk }),
    );
    return ledgerSigner;
  };

  const backend: MemoryBackend = {
    name: 'memory',

    async send({ records }) {
      const results: SendResult[] = [];
      for (const item of records) {
        const known = byId.get(item.id);
        if (known) {
          results.push({ id: item.id, status: 'accepted', receipt: known.receipt });
          continue;
        }
        try {
          const { record, header, digest } = await verifyRecord(item.jws);
          if (record.id !== item.id) {
            throw new ConsentError('invalid-record', 'the record id does not match the signed payload');
          }
          const seq = byId.size + 1;
          const receivedAt = new Date().toISOString();
          const receipt = await signJws({
            payload: JSON.stringify({ recordId: record.id, digest, seq, receivedAt }),
            signer: await signer(),
            header: { typ: 'consent-receipt+jws' },
          });
          const entry: MemoryLedgerEntry = {
            seq,
            id: record.id,
            jws: item.jws,
            kid: String(header.kid),
            digest,
            record,
            receivedAt,
            receipt,
            ...(item.opening === undefined ? {} : { opening: item.opening }),
          };
          byId.set(record.id, entry);
          results.push({ id: item.id, status: 'accepted', receipt });
        } catch (error) {
          results.push({
            id: item.id,
            status: 'rejected',
            code: isConsentError(error) ? error.code : 'invalid-record',
            reason: error instanceof Error ? error.message : String(error),
            retryable: false,
          });
        }
      }
      return results;
    },

    async fetchState({ subject, kid }) {
      const records = [...byId.values()]
        .filter((e) => sameSubject(e.record.subject, subject) && (subject.kind !== 'device' || e.kid === kid))
        .map((e) => e.record);
      return { records };
    },

    entries() {
      return [...byId.values()];
    },

    async receiptKey() {
      return (await signer()).publicJwk;
    },
  };
  if (options.policy) {
    const policy = options.policy;
    backend.fetchPolicy = async () => structuredClone(policy);
  }
  return backend;
}
