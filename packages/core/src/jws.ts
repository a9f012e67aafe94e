/**
 * JWS compact serialisation (RFC 7515) on WebCrypto: ES256 (raw r‖s, never DER, R66) and EdDSA
 * (RFC 8037; "Ed25519" accepted on verify, R70). Verification follows RFC 8725: the caller pins
 * the algorithms, `none` and HMAC are refused, and no `crit` extension is understood (R68).
 */
import { parseJson } from './canonical-json.js';
import { type Bytes, base64urlDecode, base64urlEncode, toBytes, utf8Decode, utf8Encode } from './encoding.js';
import { ConsentError } from './errors.js';
import { importPublicJwk, jwkThumbprint, type PublicJwk, type SigningAlgorithm, toPublicJwk } from './keys.js';

export type Signer = {
  algorithm: SigningAlgorithm;
  kid: string;
  publicJwk: PublicJwk;
  sign(data: Uint8Array): Promise<Uint8Array>;
};

export type JwsHeader = { alg: string; kid?: string; typ?: string; jwk?: unknown; crit?: unknown } & Record<
  string,
  unknown
>;

export type VerificationKey = CryptoKey | PublicJwk;
export type VerifyJwsOptions = {
  /** The key, or a lookup from the (unverified) header; undefined from the lookup means unknown key. */
  key: VerificationKey | ((header: JwsHeader) => Promise<VerificationKey | undefined>);
  /** The algorithms this caller accepts (RFC 8725 §3.1); nothing else verifies. */
  algorithms: readonly SigningAlgorithm[];
};
export type VerifiedJws = { header: JwsHeader; payload: Bytes };
export type DecodedJws = VerifiedJws & { signature: Bytes; signingInput: Bytes };

function signParams(algorithm: SigningAlgorithm): AlgorithmIdentifier | EcdsaParams {
  return algorithm === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
}

/** A signer over a WebCrypto private key; `kid` defaults to the RFC 7638 thumbprint of `publicJwk`. */
export async function createKeySigner(options: {
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
  kid?: string;
}): Promise<Signer> {
  const publicJwk = toPublicJwk(options.publicJwk);
  const algorithm: SigningAlgorithm = publicJwk.kty === 'OKP' ? 'EdDSA' : 'ES256';
  const expected = algorithm === 'EdDSA' ? 'Ed25519' : 'ECDSA';
  if (options.privateKey.algorithm.name !== expected || options.privateKey.type !== 'private') {
    throw new ConsentError('invalid-key', `the private key is not an ${expected} private key matching publicJwk`);
  }
  const kid = options.kid ?? (await jwkThumbprint(publicJwk));
  const { privateKey } = options;
  return {
    algorithm,
    kid,
    publicJwk,
    async sign(data) {
      return new Uint8Array(await crypto.subtle.sign(signParams(algorithm), privateKey, toBytes(data)));
    },
  };
}

/**
 * Signs `payload` as a compact JWS. The protected header is `{ alg, kid, ...header }`; `alg` comes
 * from the signer and cannot be overridden, and `crit`/`b64` are refused since our verifier
 * understands no extensions.
 */
export async function signJws(options: {
  payload: Uint8Array | string;
  signer: Signer;
  header?: Record<string, unknown>;
}): Promise<string> {
  const { signer, header = {} } = options;
  if ('alg' in header && header.alg !== signer.algorithm) {
    throw new ConsentError(
      'invalid-options',
      `header alg ${String(header.alg)} does not match the signer's ${signer.algorithm}`,
    );
  }
  if ('crit' in header || 'b64' in header) {
    throw new ConsentError('invalid-options', 'crit and b64 headers are not supported', {
      hint: 'Sign the JCS bytes as an ordinary (base64url) payload.',
    });
  }
  const protectedHeader = { alg: signer.algorithm, kid: signer.kid, ...header };
  const payload = typeof options.payload === 'string' ? utf8Encode(options.payload) : options.payload;
  const signingInput = `${base64urlEncode(utf8Encode(JSON.stringify(protectedHeader)))}.${base64urlEncode(payload)}`;
  const signature = await signer.sign(utf8Encode(signingInput));
  return `${signingInput}.${base64urlEncode(signature)}`;
}

function malformed(message: string, cause?: unknown): ConsentError {
  return new ConsentError('invalid-token', `malformed JWS: ${message}`, {
    cause,
    hint: 'Expected the compact form header.payload.signature in unpadded base64url.',
  });
}

/** Splits and decodes a compact JWS without verifying it (for routing on `kid`, or inspection). */
export function decodeJws(token: string): DecodedJws {
  if (typeof token !== 'string') throw malformed('not a string');
  const parts = token.split('.');
  if (parts.length !== 3) throw malformed(`${parts.length} parts instead of 3`);
  const [h, p, s] = parts as [string, string, string];
  if (h === '') throw malformed('empty header');
  let header: unknown;
  try {
    header = parseJson(utf8Decode(base64urlDecode(h)));
  } catch (cause) {
    throw malformed('the header is not base64url JSON', cause);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw malformed('the header is not an object');
  const alg = (header as Record<string, unknown>).alg;
  if (typeof alg !== 'string' || alg === '') throw malformed('the header has no alg');
  let payload: Bytes;
  let signature: Bytes;
  try {
    payload = base64urlDecode(p);
    signature = base64urlDecode(s);
  } catch (cause) {
    throw malformed('the payload or signature is not unpadded base64url', cause);
  }
  return { header: header as JwsHeader, payload, signature, signingInput: utf8Encode(`${h}.${p}`) };
}

/** "EdDSA" and its fully specified alias "Ed25519" (R70) name the same verification. */
function familyOf(alg: string): SigningAlgorithm | undefined {
  if (alg === 'ES256') return 'ES256';
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'EdDSA';
  return undefined;
}

function keyMatches(key: CryptoKey, algorithm: SigningAlgorithm): boolean {
  if (algorithm === 'EdDSA') return key.algorithm.name === 'Ed25519';
  return key.algorithm.name === 'ECDSA' && (key.algorithm as EcKeyAlgorithm).namedCurve === 'P-256';
}

/** Verifies a compact JWS; throws `invalid-token`, `unsupported-algorithm`, `invalid-key` or `invalid-signature`. */
export async function verifyJws(token: string, options: VerifyJwsOptions): Promise<VerifiedJws> {
  const { header, payload, signature, signingInput } = decodeJws(token);
  const family = familyOf(header.alg);
  if (!family || !options.algorithms.includes(family)) {
    throw new ConsentError('unsupported-algorithm', `JWS alg ${JSON.stringify(header.alg)} is not accepted here`, {
      hint: `Accepted: ${options.algorithms.join(', ') || 'none configured'}.`,
    });
  }
  if (header.crit !== undefined) {
    throw new ConsentError('invalid-token', 'the JWS lists critical extensions this verifier does not understand', {
      hint: 'ConsentKit understands no crit extension (RFC 7515 §4.1.11).',
    });
  }
  if (header.b64 !== undefined) throw new ConsentError('invalid-token', 'the b64 header is only valid with crit');

  const found = typeof options.key === 'function' ? await options.key(header) : options.key;
  if (found === undefined) throw new ConsentError('invalid-key', 'no key is known for this JWS');
  const key = 'kty' in found ? await importPublicJwk(found) : found;
  if (!keyMatches(key, family)) {
    throw new ConsentError('invalid-key', `the key (${key.algorithm.name}) does not match alg ${header.alg}`);
  }
  // Both ES256 (r‖s, RFC 7518 §3.4) and Ed25519 signatures are exactly 64 bytes.
  let valid = signature.length === 64;
  if (valid) {
    try {
      valid = await crypto.subtle.verify(signParams(family), key, signature, signingInput);
    } catch (cause) {
      throw new ConsentError('invalid-key', 'the key cannot verify this signature', { cause });
    }
  }
  if (!valid) throw new ConsentError('invalid-signature', 'the JWS signature does not verify');
  return { header, payload };
}
