/** The signer a client uses when it is given none: the device key, else a key for this page. */
import { createKeySigner, generateSigningKeyPair, type Signer } from '@consentkit/core';
import { hasIndexedDb } from '../internal/idb.js';
import { createDeviceSigner } from '../signers/device-signer.js';

export async function defaultSigner(onFallback: (error: unknown) => void): Promise<Signer> {
  if (hasIndexedDb()) {
    try {
      return await createDeviceSigner();
    } catch (error) {
      // No persistent key (storage blocked): sign with a key for this page rather than not at all.
      onFallback(error);
    }
  }
  const pair = await generateSigningKeyPair({ extractable: false });
  return createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
}
