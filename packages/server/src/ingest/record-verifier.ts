import { createPublicKey, type KeyObject, verify as verifySignature } from 'node:crypto';
import {
  ConsentError,
  type ConsentRecord,
  canonicalize,
  hasPrivateJwkMembers,
  type JwsHeader,
  jwkThumbprint,
  type PublicJwk,
  RECORD_JWS_TYPE,
  RECORD_SCHEMA,
  type SigningAlgorithm,
  toPublicJwk,
  utf8Decode,
  verifyRecord,
} from '@consentkit/core';
import { sha256HexSync } from '../platform/crypto/hash.js';
import { isCanonicalText } from '../platform/json/canonical-check.js';

/**
 * core's `verifyRecord`, made fast for ingest and `verify`: node:crypto one-shot verification with
 * a KeyObject cached per kid is several times faster than WebCrypto's import-then-verify per call.
 *
 * It is a twin only on the way in: a record the fast path accepts is one core's strict decoder
 * accepts too, with the same record, header and digest; anything the fast path cannot prove as
 * cheaply (an unusual encoding, a header core's I-JSON parser must judge, any failure at all) is
 * handed to core's `verifyRecord`, whose verdict and error are the answer. So ingest stores exactly
 * what every other part of the product reads. record-verifier.node.test.ts holds the
 * differential test (fast-check, ≥ 10,000 cases) that keeps the two in agreement.
 */
export type FastVerifiedRecord = {
  readonly record: ConsentRecord;
  readonly header: JwsHeader & { kid: string };
  readonly digest: string;
};

type CachedKey = { readonly jwkText: string; readonly key: KeyObject; readonly algorithm: SigningAlgorithm };

// Bounded: a flood of one-off device keys must not grow the process without limit.
const MAX_CACHED_KEYS = 20_000;

// core's parseJson refuses nesting deeper than this; a text with no more openers cannot exceed it.
const MAX_DEPTH = 512;

function familyOf(alg: string): SigningAlgorithm | undefined {
  if (alg === 'ES256') return 'ES256';
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'EdDSA';
  return undefined;
}

function importKey(jwk: PublicJwk): KeyObject {
  try {
    return createPublicKey({ key: { ...jwk }, format: 'jwk' });
  } catch (cause) {
    throw new ConsentError('invalid-key', 'the JWK is not a valid public key', { cause });
  }
}

/** The signature check of core's `verifyJws` on node:crypto: pinned algorithms, no crit, 64-byte signatures. */
export function verifyCompactWith(
  header: JwsHeader,
  signingInput: Uint8Array,
  signature: Uint8Array,
  cached: { readonly key: KeyObject; readonly algorithm: SigningAlgorithm },
): void {
  const family = familyOf(header.alg);
  if (!family)
    throw new ConsentError('unsupported-algorithm', `JWS alg ${JSON.stringify(header.alg)} is not accepted here`);
  if (header.crit !== undefined) {
    throw new ConsentError('invalid-token', 'the JWS lists critical extensions this verifier does not understand');
  }
  if (header.b64 !== undefined) throw new ConsentError('invalid-token', 'the b64 header is only valid with crit');
  if (cached.algorithm !== family) {
    throw new ConsentError('invalid-key', `the key (${cached.algorithm}) does not match alg ${header.alg}`);
  }
  // Both ES256 (r‖s) and Ed25519 signatures are exactly 64 bytes.
  let valid = signature.length === 64;
  if (valid) {
    valid =
      family === 'EdDSA'
        ? verifySignature(null, signingInput, cached.key, signature)
        : verifySignature('sha256', signingInput, { key: cached.key, dsaEncoding: 'ieee-p1363' }, signature);
  }
  if (!valid) throw new ConsentError('invalid-signature', 'the JWS signature does not verify');
}

/** Public keys by kid, imported once; a kid is only trusted for the exact JWK it was made from. */
export function createKeyCache() {
  const byKid = new Map<string, CachedKey>();
  return {
    /** For a record's embedded key: the kid must be the RFC 7638 thumbprint of the JWK. */
    async forEmbedded(kid: string, jwk: PublicJwk): Promise<CachedKey> {
      const jwkText = canonicalize({ ...jwk });
      const hit = byKid.get(kid);
      if (hit && hit.jwkText === jwkText) return hit;
      if ((await jwkThumbprint(jwk)) !== kid) {
        throw new ConsentError('invalid-signature', 'record JWS kid is not the RFC 7638 thumbprint of its jwk');
      }
      const entry = { jwkText, key: importKey(jwk), algorithm: jwk.kty === 'OKP' ? 'EdDSA' : 'ES256' } as const;
      if (byKid.size >= MAX_CACHED_KEYS) byKid.clear();
      byKid.set(kid, entry);
      return entry;
    },
    /** For the ledger's own keys (receipts, checkpoints), known by kid from the JWKS. */
    known(kid: string, jwk: PublicJwk): CachedKey {
      const hit = byKid.get(`ledger:${kid}`);
      if (hit) return hit;
      const publicJwk = toPublicJwk({ ...jwk });
      const entry = {
        jwkText: canonicalize({ ...publicJwk }),
        key: importKey(publicJwk),
        algorithm: publicJwk.kty === 'OKP' ? 'EdDSA' : 'ES256',
      } as const;
      byKid.set(`ledger:${kid}`, entry);
      return entry;
    },
  };
}

export type KeyCache = ReturnType<typeof createKeyCache>;

const B64URL = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The one text core's strict decoder accepts for its bytes: base64url characters only, a length
 * that is not 1 mod 4, and zero bits after the last whole byte (Buffer would take those too).
 */
function isCanonicalBase64url(text: string): boolean {
  if (!B64URL.test(text)) return false;
  const rest = text.length % 4;
  if (rest === 1) return false;
  if (rest === 0) return true;
  const last = ALPHABET.indexOf(text.charAt(text.length - 1));
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** How many `{` and `[` a JSON text holds: no more than MAX_DEPTH means it cannot nest deeper. */
function openers(text: string): number {
  return text.split('{').length + text.split('[').length - 2;
}

/**
 * The protected header, when core's I-JSON parser would read the same object from it: text that is
 * exactly JSON.stringify of its own parse holds no duplicate member, no number JSON.parse rounds
 * and no stray whitespace or escape; lone surrogates (which JSON.stringify writes as `\udxxx`) and
 * deep nesting are left to core. Undefined: let core decide.
 */
function parseHeader(bytes: Buffer): JwsHeader | undefined {
  const text = utf8Decode(bytes);
  if (text.includes('\\ud') || openers(text) > MAX_DEPTH) return undefined;
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || JSON.stringify(value) !== text) {
    return undefined;
  }
  const header = value as JwsHeader;
  return typeof header.alg === 'string' && header.alg !== '' ? header : undefined;
}

/**
 * The record, when its payload is its own RFC 8785 form, the only text core accepts: JSON.parse
 * then canonicalize (isCanonicalText: its answer, mostly without building the text) gives back the text for I-JSON only (no duplicate, lone surrogate or
 * overflowing number survives canonicalize), and core's nesting limit is checked by count.
 */
function parsePayload(bytes: Buffer): ConsentRecord | undefined {
  const text = utf8Decode(bytes);
  if (openers(text) > MAX_DEPTH) return undefined;
  const value: unknown = JSON.parse(text);
  if (!isCanonicalText(text, value)) return undefined;
  const record = value as ConsentRecord;
  return typeof value === 'object' && value !== null && record.schema === RECORD_SCHEMA ? record : undefined;
}

type StrictParts = {
  readonly h: string;
  readonly p: string;
  readonly s: string;
  readonly header: JwsHeader & { kid: string };
  readonly jwk: Record<string, unknown>;
};

/** The three parts in canonical base64url and a plain record header with a public jwk, or undefined. */
function strictParts(jws: string): StrictParts | undefined {
  const parts = jws.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  if (h === '' || !isCanonicalBase64url(h) || !isCanonicalBase64url(p) || !isCanonicalBase64url(s)) return undefined;
  const header = parseHeader(Buffer.from(h, 'base64url'));
  if (!header || header.typ !== RECORD_JWS_TYPE || typeof header.kid !== 'string') return undefined;
  const jwk = header.jwk;
  if (typeof jwk !== 'object' || jwk === null || hasPrivateJwkMembers(jwk)) return undefined;
  return { h, p, s, header: header as JwsHeader & { kid: string }, jwk: jwk as Record<string, unknown> };
}

/** The fast path: a verified record, or undefined when it is not proven here (core decides). */
async function verifyFast(jws: string, keys: KeyCache): Promise<FastVerifiedRecord | undefined> {
  const parts = strictParts(jws);
  if (!parts) return undefined;
  const { h, p, s, header } = parts;
  const cached = await keys.forEmbedded(header.kid, toPublicJwk(parts.jwk));
  const payload = Buffer.from(p, 'base64url');
  verifyCompactWith(header, Buffer.from(`${h}.${p}`, 'utf8'), Buffer.from(s, 'base64url'), cached);
  const record = parsePayload(payload);
  if (!record) return undefined;
  return { record, header, digest: sha256HexSync(payload) };
}

/**
 * Whether a stored record's bytes are in the one form the fast path proves core's strict decoder
 * reads (canonical base64url, a plain header with a public jwk, an RFC 8785 payload), without
 * checking its signature. `consentkit verify` asks this of every entry: false means "ask core".
 */
export function hasStrictForm(jws: string): boolean {
  try {
    const parts = strictParts(jws);
    if (!parts || parts.header.crit !== undefined || parts.header.b64 !== undefined) return false;
    return familyOf(parts.header.alg) !== undefined && parsePayload(Buffer.from(parts.p, 'base64url')) !== undefined;
  } catch {
    return false;
  }
}

/** Same contract as core's `verifyRecord` (same acceptance, same result, same errors). */
export async function verifyRecordFast(jws: string, keys: KeyCache): Promise<FastVerifiedRecord> {
  if (typeof jws === 'string') {
    try {
      const verified = await verifyFast(jws, keys);
      if (verified) return verified;
    } catch {
      // Not proven here: core's verdict below, with its own error.
    }
  }
  const verified = await verifyRecord(jws);
  return { record: verified.record, header: verified.header, digest: verified.digest };
}

/** The fast path alone, for the differential test: undefined wherever core would be asked. */
export const fastPathOnly = (jws: string, keys: KeyCache) => verifyFast(jws, keys).catch((): undefined => undefined);
