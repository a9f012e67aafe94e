import { createPrivateKey, type JsonWebKey as NodeJwk, sign as signSync } from 'node:crypto';
import { createKeySigner, importPrivateJwk, type PublicJwk, type Signer } from '@consentkit/core';

/**
 * core's key signer with its signing done by node:crypto, synchronously on the calling thread.
 * WebCrypto's sign is a job on the libuv pool: each receipt, checkpoint and server-made record
 * waited for a pool thread (on a busy 2-core machine, ~11 ms a signature against ~0.05 ms of
 * work). The kid, algorithm and key checks stay core's; only `sign` is replaced. Ed25519 gives the
 * same bytes as WebCrypto, and ES256 the same IEEE P1363 form (node-signer.node.test.ts proves
 * both over 10,000 cases).
 */
export async function createNodeSigner(options: { privateJwk: JsonWebKey; publicJwk: PublicJwk }): Promise<Signer> {
  const base = await createKeySigner({
    privateKey: await importPrivateJwk(options.privateJwk),
    publicJwk: options.publicJwk,
  });
  const key = createPrivateKey({ key: { ...options.privateJwk } as NodeJwk, format: 'jwk' });
  const signBytes =
    base.algorithm === 'EdDSA'
      ? (data: Uint8Array) => signSync(null, data, key)
      : (data: Uint8Array) => signSync('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  return {
    ...base,
    async sign(data) {
      return new Uint8Array(signBytes(data));
    },
  };
}
