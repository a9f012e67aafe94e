import { canonicalize, decodeJws, type PublicJwk, signJws, toPublicJwk } from '@consentkit/core';
import { verifierKey } from '../ledger/checkpoint-note.js';
import { type ExportedEntry, toChainEntry } from '../ledger/entry.js';
import type { Ledger } from '../ledger/ledger.js';
import { inclusionProof, signedHeadOf } from '../ledger/log-proofs.js';
import { decodeRecord } from '../ledger/records-of.js';
import type { MerkleTree } from '../ledger/tree-builder.js';
import type { Keyring } from '../platform/crypto/keyring.js';
import type { Queryable } from '../platform/store/store.js';
import type { PolicyRegistry } from '../policy/policy-registry.js';

/**
 * A person's export (a person's access request): their whole history as one JWS signed by the
 * ledger key, so it can be checked offline — with `consentkit verify --bundle` or any JOSE library.
 * The payload carries everything the check needs: each record's JWS, its receipt and chain
 * position, the policy versions they were made under, and the JWKS of every key involved (the
 * devices that signed records and the ledger keys that signed receipts and the bundle itself).
 * Records hold a salted commitment, never the email, so the bundle repeats no identifier.
 *
 * Format 2 adds the transparency log (R72): the signed checkpoint of the head when the bundle was
 * made (C2SP tlog-checkpoint) with the log's verifier key, and for each entry its RFC 9162
 * inclusion proof against that checkpoint, so the person can show their entries are in the tree a
 * witness or auditor holds. Format 1 bundles (no proofs) still verify.
 */
export const BUNDLE_TYP = 'consentkit-export+jws';
export const BUNDLE_FORMAT = 'consentkit/subject-export@2';
export const BUNDLE_FORMAT_V1 = 'consentkit/subject-export@1';

export type BundleJwk = PublicJwk & { kid: string; alg?: string; use?: string };

/** An entry as the ledger stores it: the record JWS (its header carries the signing key), its chain link and receipt. */
export type BundleEntry = ExportedEntry & {
  readonly receipt: string;
  /** Format 2: the inclusion proof of leaf `seq − 1` in the bundle's checkpoint (base64 hashes, leaf side first). */
  readonly inclusion?: readonly string[];
};

/** The checkpoint the entries' inclusion proofs lead to, and the key that signed it. */
export type BundleCheckpoint = { readonly note: string; readonly key: string };

export type SubjectBundle = {
  readonly format: typeof BUNDLE_FORMAT | typeof BUNDLE_FORMAT_V1;
  readonly subject: string;
  readonly generatedAt: string;
  readonly policies: ReadonlyArray<{ readonly id: string; readonly version: string; readonly digest: string }>;
  readonly entries: readonly BundleEntry[];
  readonly jwks: { readonly keys: readonly BundleJwk[] };
  /** Format 2. */
  readonly checkpoint?: BundleCheckpoint;
};

export type BuildBundleOptions = {
  readonly store: Queryable;
  readonly ledger: Ledger;
  readonly keyring: Keyring;
  readonly policies: PolicyRegistry;
  readonly tree: MerkleTree;
  readonly subjectRef: string;
  readonly now?: Date;
};

/** Builds the payload (no signature): the history in seq order and every key it needs. */
export async function buildSubjectBundle(options: BuildBundleOptions): Promise<SubjectBundle> {
  const history = await options.ledger.historyOf(options.store, options.subjectRef);
  // The head is read after the history: it signs every entry read (appends only grow it).
  const head = await signedHeadOf(options.store);
  await options.tree.catchUp(options.store, head.size);
  const entries: BundleEntry[] = [];
  for (const e of history) {
    const { proof } = await inclusionProof(options.store, options.tree, e.seq - 1, head.size);
    entries.push({ ...toChainEntry(e), receipt: e.receipt, inclusion: proof.map((h) => h.toString('base64')) });
  }
  const keys = new Map<string, BundleJwk>();
  // Device keys travel in each record's header (kid = its RFC 7638 thumbprint).
  for (const e of entries) {
    const header = decodeJws(e.jws).header;
    if (
      typeof header.kid === 'string' &&
      typeof header.jwk === 'object' &&
      header.jwk !== null &&
      !keys.has(header.kid)
    ) {
      // Only the public members: a key is published as the public key it is, whatever else a header held.
      keys.set(header.kid, {
        ...toPublicJwk(header.jwk as Record<string, unknown>),
        kid: header.kid,
        alg: header.alg,
        use: 'sig',
      });
    }
  }
  // Every ledger key: receipts may be signed by keys retired since (rotation keeps them verifying).
  for (const k of await options.keyring.publicJwks()) keys.set(k.kid, k);
  const policies = new Map<string, { id: string; version: string; digest: string }>();
  for (const e of entries) {
    const { policy } = decodeRecord(e.jws);
    policies.set(policy.digest, { id: policy.id, version: policy.version, digest: policy.digest });
  }
  return {
    format: BUNDLE_FORMAT,
    subject: options.subjectRef,
    generatedAt: (options.now ?? new Date()).toISOString(),
    policies: [...policies.values()],
    entries,
    jwks: { keys: [...keys.values()] },
    checkpoint: { note: head.note, key: verifierKey(head.origin, options.keyring.checkpoint.publicKey) },
  };
}

/** The bundle as a compact JWS over its RFC 8785 bytes, signed by the ledger's current key. */
export async function signSubjectBundle(options: BuildBundleOptions): Promise<string> {
  const bundle = await buildSubjectBundle(options);
  return signJws({
    payload: canonicalize(bundle),
    signer: options.keyring.signer,
    header: { typ: BUNDLE_TYP, kid: options.keyring.signer.kid },
  });
}
