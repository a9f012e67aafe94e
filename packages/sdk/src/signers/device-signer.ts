/**
 * The browser's signing key: generated once per origin with WebCrypto as non-extractable (the
 * private key can sign but can never be read, not even by our own code, G10/R67), kept in
 * IndexedDB as a CryptoKey, so the same key (and the same `kid`) signs after every reload.
 * EdDSA where the browser has Ed25519, ES256 otherwise (R65, R66).
 */
import {
  ConsentError,
  createKeySigner,
  generateSigningKeyPair,
  type PublicJwk,
  type Signer,
  type SigningAlgorithm,
} from '@consentkit/core';
import { openDatabase, requestResult, transactionDone } from '../internal/idb.js';

export type DeviceSignerOptions = {
  /** IndexedDB database name; change it only to isolate tests. */
  databaseName?: string;
  /** `auto` (default) prefers Ed25519 and falls back to P-256. Applies only when a key is first made. */
  algorithm?: 'auto' | SigningAlgorithm;
};

type StoredKey = {
  algorithm: SigningAlgorithm;
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
  kid: string;
};

const STORE = 'keys';
const KEY = 'device';

async function readKey(db: IDBDatabase): Promise<StoredKey | undefined> {
  const tx = db.transaction(STORE, 'readonly');
  return requestResult(tx.objectStore(STORE).get(KEY) as IDBRequest<StoredKey | undefined>);
}

/**
 * Loads this origin's device key, creating it on first use, and returns a core `Signer`.
 *
 * @example
 * const signer = await createDeviceSigner();
 * signer.kid; // RFC 7638 thumbprint: the same after every reload
 */
export async function createDeviceSigner(options: DeviceSignerOptions = {}): Promise<Signer> {
  const db = await openDatabase({ name: options.databaseName ?? 'consentkit-keys', stores: [STORE] });
  try {
    let stored = await readKey(db);
    if (!stored) {
      const pair = await generateSigningKeyPair({ algorithm: options.algorithm ?? 'auto', extractable: false });
      const candidate: StoredKey = {
        algorithm: pair.algorithm,
        privateKey: pair.privateKey,
        publicJwk: pair.publicJwk,
        kid: pair.kid,
      };
      const tx = db.transaction(STORE, 'readwrite');
      const done = transactionDone(tx);
      // `add`, not `put`: when two tabs race on first use, the second loses and adopts the first key.
      tx.objectStore(STORE).add(candidate, KEY);
      try {
        await done;
        stored = candidate;
      } catch {
        stored = await readKey(db);
      }
    }
    if (!stored) throw new ConsentError('storage', 'Could not store the device signing key in IndexedDB');
    if (stored.privateKey.extractable) {
      throw new ConsentError('invalid-key', 'The stored device key is extractable; refusing to sign with it');
    }
    return createKeySigner({ privateKey: stored.privateKey, publicJwk: stored.publicJwk });
  } finally {
    db.close();
  }
}
