import { createHash, createPublicKey, type KeyObject, verify as verifySignature } from 'node:crypto';
import {
  ConsentError,
  type ConsentRecord,
  canonicalize,
  type DecodedJws,
  decodeJws,
  type JwsHeader,
  jwkThumbprint,
  type PublicJwk,
  RECORD_JWS_TYPE,
  RECORD_SCHEMA,
  type SigningAlgorithm,
  toPublicJwk,
  utf8Decode,
} from '@consentkit/core';

/**
 * core's `verifyRecord` with the same checks and error codes, on node:crypto: synchronous
 * one-shot verification with a cached KeyObject per kid is several times faster than WebCrypto's
 * import-then-verify per call, and ingest and `verify` do this for every record (issue 8).
 */
export type FastVerifiedRecord = {
  readonly record: ConsentRecord;
  readonly header: JwsHeader & { kid: string };
  readonly digest: string;
};

export const sha256HexSync = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

type CachedKey = { readonly jwkText: string; readonly key: KeyObject; readonly algorithm: SigningAlgorithm };

// Bounded: a flood of one-off device keys must not grow the process without limit.
const MAX_CACHED_KEYS = 20_000;

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

/** The signature check behind both verifiers: pinned algorithms, no crit, 64-byte signatures. */
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
        throw new ConsentError('invalid-signature', 'record JWS kid is not the RFC 7638 thumbprint of its jwk', {
          hint: 'The key in the header was replaced or the kid is wrong; re-sign with signRecord().',
        });
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

/**
 * core's `decodeJws` on Buffer's native base64url and JSON.parse: same result for every compact
 * JWS core accepts; anything unusual (odd characters, a header core's strict parser must judge)
 * goes to core's decoder for its verdict and its error message.
 */
function decodeFast(token: string): DecodedJws {
  const parts = typeof token === 'string' ? token.split('.') : [];
  const [h, p, s] = parts as [string, string, string];
  if (parts.length !== 3 || h === '' || !B64URL.test(h) || !B64URL.test(p) || !B64URL.test(s)) return decodeJws(token);
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  } catch {
    return decodeJws(token);
  }
  if (
    header === null ||
    typeof header !== 'object' ||
    Array.isArray(header) ||
    typeof (header as JwsHeader).alg !== 'string'
  ) {
    return decodeJws(token);
  }
  const payload = Buffer.from(p, 'base64url');
  const signature = Buffer.from(s, 'base64url');
  return { header: header as JwsHeader, payload, signature, signingInput: Buffer.from(`${h}.${p}`, 'utf8') };
}

/** Same contract as core's `verifyRecord` (same checks, same error codes). */
export async function verifyRecordFast(jws: string, keys: KeyCache): Promise<FastVerifiedRecord> {
  const decoded = decodeFast(jws);
  const header = decoded.header as Record<string, unknown>;
  if (header.typ !== RECORD_JWS_TYPE) {
    throw new ConsentError('invalid-record', `JWS typ is ${JSON.stringify(header.typ)}, not "${RECORD_JWS_TYPE}"`, {
      hint: 'Sign records with signRecord().',
    });
  }
  if (typeof header.jwk !== 'object' || header.jwk === null || typeof header.kid !== 'string') {
    throw new ConsentError('invalid-signature', 'record JWS header lacks its jwk or kid', {
      hint: 'Sign records with signRecord(), which embeds the public key and its thumbprint.',
    });
  }
  const jwk = toPublicJwk(header.jwk as Record<string, unknown>);
  const cached = await keys.forEmbedded(header.kid, jwk);
  verifyCompactWith(decoded.header, decoded.signingInput, decoded.signature, cached);
  const text = utf8Decode(decoded.payload);
  // JSON.parse and not core's strict I-JSON parser: the text must equal its own JCS form, which a
  // duplicate member, a lone surrogate or an overflowing number can never do.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ConsentError('invalid-record', 'record payload is not JSON', { cause });
  }
  let canonical: string | undefined;
  try {
    canonical = canonicalize(value);
  } catch {
    canonical = undefined;
  }
  if (canonical !== text) {
    throw new ConsentError('invalid-record', 'record payload is not in RFC 8785 canonical form', {
      hint: 'Sign canonicalize(record), as signRecord() does, so digests are stable.',
    });
  }
  const record = value as unknown as ConsentRecord;
  if (typeof value !== 'object' || value === null || record.schema !== RECORD_SCHEMA) {
    throw new ConsentError('invalid-record', `record schema is not "${RECORD_SCHEMA}"`, {
      hint: 'Upgrade the client or check that this is a ConsentKit record.',
    });
  }
  return {
    record,
    header: decoded.header as JwsHeader & { kid: string },
    digest: sha256HexSync(decoded.payload),
  };
}
