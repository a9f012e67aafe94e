import {
  canonicalize,
  decodeJws,
  jwkThumbprint,
  type PublicJwk,
  toPublicJwk,
  utf8Decode,
  verifyJws,
  verifyRecord,
} from '@consentkit/core';
import { z } from 'zod';
import { openCheckpointNote, type ParsedNote, parseVerifierKey } from '../ledger/checkpoint-note.js';
import {
  chainEntryFields,
  entryVersionHolds,
  fromExported,
  hashEntry,
  leafInput,
  receiptMatches,
} from '../ledger/entry.js';
import { leafHash } from '../ledger/merkle.js';
import { checkInclusionProof } from '../ledger/proof-check.js';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_V1, BUNDLE_TYP, type BundleJwk, type SubjectBundle } from './bundle.js';

/**
 * Offline check of a person's export (`consentkit verify --bundle`): needs no database and no
 * master key, only the file (and, to trust the ledger key, a pinned JWKS). It checks, and names
 * the first failure of: the bundle signature, each record's signature and its key's thumbprint,
 * each entry's hash, each receipt's signature and claims, the order of entries, the policies, and
 * (format 2) the checkpoint's signature and each entry's inclusion proof against it (R72).
 */
export type BundleVerification =
  | {
      readonly ok: true;
      readonly subject: string;
      readonly entries: number;
      readonly signedBy: string;
      /** False when the ledger key was taken from the bundle itself (no --jwks). */
      readonly pinned: boolean;
      /** The checkpoint every entry was proved in (format 2); undefined for a format 1 bundle. */
      readonly checkpoint: (ParsedNote & { readonly keyPinned: boolean }) | undefined;
      readonly bundle: SubjectBundle;
    }
  | { readonly ok: false; readonly where: string; readonly reason: string };

export type VerifyBundleOptions = {
  /** The ledger's published JWKS (e.g. from /.well-known/jwks.json): bundle and receipt keys must be in it. */
  readonly pinnedKeys?: readonly (PublicJwk & { kid?: string })[];
  /** The log's checkpoint verifier key (GET /v1/log/key): the bundle's checkpoint must be signed by it. */
  readonly logKey?: string;
};

const ALGS = ['ES256', 'EdDSA'] as const;

const text = z.string().min(1);
const jwkSchema = z.looseObject({ kty: text, kid: text });
const base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a base64 SHA-256 hash');
const bundleSchema = z.strictObject({
  format: z.enum([BUNDLE_FORMAT, BUNDLE_FORMAT_V1]),
  subject: text,
  generatedAt: text,
  policies: z.array(z.strictObject({ id: text, version: text, digest: text })),
  entries: z.array(
    chainEntryFields
      .extend({ receipt: text, inclusion: z.array(base64Hash).max(64).optional() })
      .refine(...entryVersionHolds),
  ),
  jwks: z.strictObject({ keys: z.array(jwkSchema) }),
  checkpoint: z.strictObject({ note: text, key: text }).optional(),
});

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
const fail = (where: string, reason: string): BundleVerification => ({ ok: false, where, reason });

/** The same public key (not just the same kid): a swapped key under a known kid must not pass. */
async function sameKey(a: unknown, b: unknown): Promise<boolean> {
  try {
    return (
      (await jwkThumbprint(toPublicJwk(a as Record<string, unknown>))) ===
      (await jwkThumbprint(toPublicJwk(b as Record<string, unknown>)))
    );
  } catch {
    return false;
  }
}

export async function verifySubjectBundle(jws: string, options: VerifyBundleOptions = {}): Promise<BundleVerification> {
  let header: Record<string, unknown>;
  let payload: unknown;
  try {
    const decoded = decodeJws(jws.trim());
    header = decoded.header;
    payload = JSON.parse(utf8Decode(decoded.payload));
  } catch (error) {
    return fail('bundle', `not a readable JWS with a JSON payload: ${describe(error)}`);
  }
  if (header.typ !== BUNDLE_TYP) return fail('bundle', `JWS typ is ${JSON.stringify(header.typ)}, not "${BUNDLE_TYP}"`);
  // Keys are read before the payload is trusted only to find the signing key; pinned keys win.
  const looseKeys = (payload as { jwks?: { keys?: unknown } } | null)?.jwks?.keys;
  const included = new Map<string, BundleJwk>(
    (Array.isArray(looseKeys) ? looseKeys : [])
      .filter(
        (k): k is BundleJwk => typeof k === 'object' && k !== null && typeof (k as { kid?: unknown }).kid === 'string',
      )
      .map((k) => [k.kid, k]),
  );
  const pinned = options.pinnedKeys
    ? new Map(options.pinnedKeys.filter((k) => typeof k.kid === 'string').map((k) => [k.kid as string, k]))
    : undefined;

  // A ledger key: from the pinned JWKS when given (and then the bundle's copy must be the same key).
  async function ledgerKey(kid: unknown): Promise<PublicJwk | undefined> {
    if (typeof kid !== 'string') return undefined;
    if (!pinned) return included.get(kid);
    const key = pinned.get(kid);
    if (!key) return undefined;
    const copy = included.get(kid);
    if (copy && !(await sameKey(copy, key))) return undefined;
    return key;
  }

  try {
    await verifyJws(jws.trim(), { key: async (h) => ledgerKey(h.kid), algorithms: [...ALGS] });
  } catch (error) {
    const known = pinned ? 'the pinned JWKS' : 'the bundle’s JWKS';
    return fail('bundle signature', `${describe(error)} (key ${String(header.kid)} from ${known})`);
  }
  const parsed = bundleSchema.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return fail('bundle payload', `${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  const bundle = parsed.data as unknown as SubjectBundle;
  if (canonicalize(payload) !== utf8Decode(decodeJws(jws.trim()).payload)) {
    return fail('bundle payload', 'not in RFC 8785 canonical form');
  }

  // Format 2: the checkpoint the proofs lead to, signed by the log key (pinned when given).
  let checkpoint: (ParsedNote & { keyPinned: boolean }) | undefined;
  if (bundle.format === BUNDLE_FORMAT) {
    if (!bundle.checkpoint) return fail('checkpoint', 'a format 2 bundle carries the checkpoint its proofs lead to');
    const key = parseVerifierKey(bundle.checkpoint.key);
    if ('reason' in key) return fail('checkpoint', `the log key: ${key.reason}`);
    if (options.logKey !== undefined && options.logKey.trim() !== bundle.checkpoint.key.trim())
      return fail(
        'checkpoint',
        `the bundle's log key ${bundle.checkpoint.key} is not the pinned ${options.logKey.trim()}`,
      );
    const opened = openCheckpointNote(bundle.checkpoint.note, [key.publicKey]);
    if ('reason' in opened) return fail('checkpoint', opened.reason);
    if (opened.origin !== key.name)
      return fail('checkpoint', `the checkpoint is of "${opened.origin}", the key of "${key.name}"`);
    checkpoint = { ...opened, keyPinned: options.logKey !== undefined };
  } else if (bundle.checkpoint || bundle.entries.some((e) => e.inclusion !== undefined)) {
    return fail('bundle payload', 'a format 1 bundle carries no checkpoint or proofs');
  }

  const digests = new Set(bundle.policies.map((p) => p.digest));
  let lastSeq = 0;
  for (const e of bundle.entries) {
    const where = `entry ${e.seq} (record ${e.recordId})`;
    if (e.seq <= lastSeq) return fail(where, `out of order: follows entry ${lastSeq}`);
    lastSeq = e.seq;
    if (e.subjectRef !== bundle.subject)
      return fail(where, `belongs to subject ${e.subjectRef}, not ${bundle.subject}`);
    let record: Awaited<ReturnType<typeof verifyRecord>>;
    try {
      record = await verifyRecord(e.jws);
    } catch (error) {
      return fail(where, `record signature: ${describe(error)}`);
    }
    if (record.digest !== e.digest || record.record.id !== e.recordId || record.header.kid !== e.kid) {
      return fail(where, 'the listed id, kid or digest does not match the signed record');
    }
    const device = included.get(e.kid);
    if (!device || !(await sameKey(device, record.header.jwk))) {
      return fail(where, `the bundle's JWKS lacks the record's signing key ${e.kid}`);
    }
    if (!digests.has(record.record.policy.digest)) {
      return fail(where, `policy digest ${record.record.policy.digest} is not listed in the bundle`);
    }
    if ((await hashEntry(e.prevHash, fromExported(e))) !== e.entryHash) {
      return fail(where, 'entryHash does not match the entry (changed)');
    }
    if (checkpoint) {
      if (!e.inclusion) return fail(where, 'no inclusion proof (a format 2 bundle proves every entry)');
      if (e.seq > checkpoint.size)
        return fail(where, `not in the bundle's checkpoint, which has ${checkpoint.size} entries`);
      const leaf = leafHash(leafInput({ ...fromExported(e), prevHash: e.prevHash }));
      const path = e.inclusion.map((h) => Buffer.from(h, 'base64'));
      if (!checkInclusionProof(e.seq - 1, checkpoint.size, leaf, path, checkpoint.root))
        return fail(
          where,
          `the inclusion proof does not lead to the root of the checkpoint for ${checkpoint.size} entries (${checkpoint.root.toString('base64')}): the entry or its proof was changed`,
        );
    }
    let receipt: Awaited<ReturnType<typeof verifyJws>>;
    try {
      receipt = await verifyJws(e.receipt, { key: async (h) => ledgerKey(h.kid), algorithms: [...ALGS] });
    } catch (error) {
      return fail(where, `receipt: ${describe(error)}`);
    }
    if (!receiptMatches(utf8Decode(receipt.payload), e)) {
      return fail(where, 'the receipt does not match the entry');
    }
  }
  return {
    ok: true,
    subject: bundle.subject,
    entries: bundle.entries.length,
    signedBy: String(header.kid),
    pinned: pinned !== undefined,
    checkpoint,
    bundle,
  };
}
