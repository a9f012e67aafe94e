/**
 * Signing keys on WebCrypto: Ed25519 where the runtime has it, ECDSA P-256 otherwise (R65, R66).
 * Private keys are non-extractable by default (R67); a key is named by its RFC 7638 thumbprint.
 */
import { canonicalize } from './canonical-json.js';
import { base64urlEncode } from './encoding.js';
import { ConsentError } from './errors.js';
import { sha256 } from './hash.js';

export type SigningAlgorithm = 'ES256' | 'EdDSA';

export type EcPublicJwk = { kty: 'EC'; crv: 'P-256'; x: string; y: string };
export type OkpPublicJwk = { kty: 'OKP'; crv: 'Ed25519'; x: string };
/** A public signing key as a JWK with only its required members (what `jwk` headers carry). */
export type PublicJwk = EcPublicJwk | OkpPublicJwk;
export type PrivateJwk = (EcPublicJwk | OkpPublicJwk) & { d: string };

export type SigningKeyPair = {
  algorithm: SigningAlgorithm;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: PublicJwk;
  /** RFC 7638 thumbprint of `publicJwk`. */
  kid: string;
};

export type GenerateSigningKeyPairOptions = {
  /** 'auto' (default) picks EdDSA when WebCrypto has Ed25519, else ES256. */
  algorithm?: 'auto' | SigningAlgorithm;
  /** Default false: the private key can sign but never leave WebCrypto. */
  extractable?: boolean;
};

const ECDSA_P256: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const ED25519: Algorithm = { name: 'Ed25519' };

let ed25519Support: Promise<boolean> | undefined;

/** Whether this runtime's WebCrypto signs with Ed25519 (detected once by generating a key, R65). */
export function supportsEd25519(): Promise<boolean> {
  ed25519Support ??= (async () => {
    try {
      const pair = (await crypto.subtle.generateKey(ED25519, false, ['sign', 'verify'])) as CryptoKeyPair;
      // Some engines generate but cannot sign (flagged builds), so try one signature.
      await crypto.subtle.sign(ED25519, pair.privateKey, new Uint8Array(0));
      return true;
    } catch {
      return false;
    }
  })();
  return ed25519Support;
}

function keyParams(algorithm: SigningAlgorithm): Algorithm | EcKeyImportParams {
  return algorithm === 'EdDSA' ? ED25519 : ECDSA_P256;
}

export async function generateSigningKeyPair(options: GenerateSigningKeyPairOptions = {}): Promise<SigningKeyPair> {
  const requested = options.algorithm ?? 'auto';
  const algorithm: SigningAlgorithm =
    requested === 'auto' ? ((await supportsEd25519()) ? 'EdDSA' : 'ES256') : requested;
  if (algorithm !== 'ES256' && algorithm !== 'EdDSA') {
    throw new ConsentError('unsupported-algorithm', `unknown signing algorithm ${String(requested)}`, {
      hint: "Use 'auto', 'ES256' or 'EdDSA'.",
    });
  }
  if (algorithm === 'EdDSA' && !(await supportsEd25519())) throw ed25519Unsupported();
  const pair = (await crypto.subtle.generateKey(keyParams(algorithm), options.extractable ?? false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  // Public keys are always exportable in WebCrypto, whatever `extractable` says.
  const publicJwk = toPublicJwk(await crypto.subtle.exportKey('jwk', pair.publicKey));
  return {
    algorithm,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicJwk,
    kid: await jwkThumbprint(publicJwk),
  };
}

function ed25519Unsupported(): ConsentError {
  return new ConsentError('unsupported-algorithm', 'this runtime has no Ed25519 in WebCrypto', {
    hint: "Use ES256 (ECDSA P-256), or 'auto' to fall back to it.",
  });
}

function invalidKey(message: string): ConsentError {
  return new ConsentError('invalid-key', message, {
    hint: 'Signing keys are JWKs with kty "EC"/crv "P-256" (x, y) or kty "OKP"/crv "Ed25519" (x).',
  });
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function member(jwk: Record<string, unknown>, name: string, length?: number): string {
  const value = jwk[name];
  if (typeof value !== 'string' || !B64URL.test(value))
    throw invalidKey(`JWK member "${name}" is missing or not base64url`);
  if (length !== undefined && value.length !== length) throw invalidKey(`JWK member "${name}" has the wrong length`);
  return value;
}

/** The public part of a signing JWK, reduced to its required members (drops d, kid, key_ops…). */
export function toPublicJwk(jwk: JsonWebKey | Record<string, unknown>): PublicJwk {
  const record = jwk as Record<string, unknown>;
  if (record.kty === 'EC' && record.crv === 'P-256') {
    // 32-byte coordinates are 43 base64url characters.
    return { kty: 'EC', crv: 'P-256', x: member(record, 'x', 43), y: member(record, 'y', 43) };
  }
  if (record.kty === 'OKP' && record.crv === 'Ed25519') {
    return { kty: 'OKP', crv: 'Ed25519', x: member(record, 'x', 43) };
  }
  throw invalidKey(`unsupported JWK (kty ${String(record.kty)}, crv ${String(record.crv)})`);
}

// RFC 7518 §6.2.2, §6.3.2, §6.4.1 (and RFC 8037 §2): the members that hold private key material.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/**
 * Whether a JWK carries private key material. A `jwk` JWS header holds the public key only
 * (RFC 7515 §4.1.3): one that carries more is refused, never trimmed and trusted.
 */
export function hasPrivateJwkMembers(jwk: object): boolean {
  return PRIVATE_MEMBERS.some((name) => Object.hasOwn(jwk, name));
}

/** The JWS algorithm a signing key belongs to. */
export function algorithmOfJwk(jwk: PublicJwk): SigningAlgorithm {
  return jwk.kty === 'OKP' ? 'EdDSA' : 'ES256';
}

// RFC 7638 §3.2: the required members of each key type, hashed in lexicographic order.
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
  oct: ['k', 'kty'],
};

/** RFC 7638 JWK thumbprint (SHA-256, base64url): the `kid` of a key. */
export async function jwkThumbprint(jwk: JsonWebKey | PublicJwk | Record<string, unknown>): Promise<string> {
  const record = jwk as Record<string, unknown>;
  const names = typeof record.kty === 'string' ? REQUIRED[record.kty] : undefined;
  if (!names) throw invalidKey(`cannot take the thumbprint of kty ${String(record.kty)}`);
  const required: Record<string, string> = {};
  for (const name of names) {
    const value = record[name];
    if (typeof value !== 'string') throw invalidKey(`JWK member "${name}" is missing`);
    required[name] = value;
  }
  // JCS of string-only members is exactly RFC 7638's "no whitespace, sorted" form.
  return base64urlEncode(await sha256(canonicalize(required)));
}

/** Imports a public signing JWK for verification. */
export async function importPublicJwk(jwk: PublicJwk | JsonWebKey): Promise<CryptoKey> {
  const publicJwk = toPublicJwk(jwk);
  const algorithm = algorithmOfJwk(publicJwk);
  if (algorithm === 'EdDSA' && !(await supportsEd25519())) throw ed25519Unsupported();
  try {
    return await crypto.subtle.importKey('jwk', publicJwk, keyParams(algorithm), true, ['verify']);
  } catch (cause) {
    throw new ConsentError('invalid-key', 'the public JWK does not describe a valid key', { cause });
  }
}

/** Imports a private signing JWK (with `d`); non-extractable unless asked. */
export async function importPrivateJwk(
  jwk: PrivateJwk | JsonWebKey,
  options: { extractable?: boolean } = {},
): Promise<CryptoKey> {
  const publicJwk = toPublicJwk(jwk);
  const d = member(jwk as Record<string, unknown>, 'd', 43);
  const algorithm = algorithmOfJwk(publicJwk);
  if (algorithm === 'EdDSA' && !(await supportsEd25519())) throw ed25519Unsupported();
  try {
    return await crypto.subtle.importKey(
      'jwk',
      { ...publicJwk, d },
      keyParams(algorithm),
      options.extractable ?? false,
      ['sign'],
    );
  } catch (cause) {
    throw new ConsentError('invalid-key', 'the private JWK does not describe a valid key', { cause });
  }
}
