/**
 * A server-side signer from a private key the operator holds: a private JWK or a PKCS#8 key
 * (PEM or DER). For Node (an application backend recording implied consent for a transaction);
 * it lives in `@consentkit/sdk/node` because browser code must never hold a secret.
 */
import {
  ConsentError,
  createKeySigner,
  importPrivateJwk,
  type PrivateJwk,
  type Signer,
  toPublicJwk,
} from '@consentkit/core';

/** A private JWK (Ed25519 `OKP` or P-256 `EC`, with `d`), or a PKCS#8 key as PEM text or DER bytes. */
export type KeySignerOptions = { jwk: PrivateJwk; pkcs8?: never } | { pkcs8: string | Uint8Array; jwk?: never };

function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, '');
  try {
    return Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  } catch (error) {
    throw new ConsentError('invalid-key', 'The PKCS#8 key is not valid PEM', { cause: error });
  }
}

/** PKCS#8 carries the algorithm inside; WebCrypto wants it named, so try the two we sign with. */
async function pkcs8ToJwk(der: Uint8Array): Promise<PrivateJwk> {
  const bytes = new Uint8Array(der);
  const candidates: (AlgorithmIdentifier | EcKeyImportParams)[] = [
    { name: 'Ed25519' },
    { name: 'ECDSA', namedCurve: 'P-256' },
  ];
  for (const algorithm of candidates) {
    try {
      const key = await crypto.subtle.importKey('pkcs8', bytes, algorithm, true, ['sign']);
      return (await crypto.subtle.exportKey('jwk', key)) as PrivateJwk;
    } catch {
      // not this algorithm; try the next
    }
  }
  throw new ConsentError('unsupported-algorithm', 'The PKCS#8 key is neither Ed25519 nor ECDSA P-256', {
    hint: 'Generate one with `openssl genpkey -algorithm ed25519`.',
  });
}

/**
 * Imports a private key and returns a core `Signer` (its `kid` is the RFC 7638 thumbprint).
 *
 * @example
 * const signer = await importKeySigner({ pkcs8: process.env.CONSENT_SIGNING_KEY });
 * const client = createConsentClient({ policy, backend, signer, subject: { kind: 'ref', ref } });
 */
export async function importKeySigner(options: KeySignerOptions): Promise<Signer> {
  let jwk: PrivateJwk;
  if (options.jwk !== undefined) jwk = options.jwk;
  else if (typeof options.pkcs8 === 'string') jwk = await pkcs8ToJwk(pemToDer(options.pkcs8));
  else if (options.pkcs8 instanceof Uint8Array) jwk = await pkcs8ToJwk(options.pkcs8);
  else throw new ConsentError('invalid-options', 'importKeySigner needs a `jwk` or a `pkcs8` key');
  if (typeof jwk.d !== 'string') throw new ConsentError('invalid-key', 'The JWK is not a private key (no `d`)');
  const publicJwk = toPublicJwk(jwk);
  const privateKey = await importPrivateJwk(jwk);
  return createKeySigner({ privateKey, publicJwk });
}
