import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createKeySigner, generateSigningKeyPair, importPrivateJwk, importPublicJwk } from '@consentkit/core';
import { expect } from 'chai';
import { createNodeSigner } from './node-signer.js';

const CASES = 10_000;

/** A message of 0–2,048 random bytes: JWS signing inputs range from tiny to a few KB. */
const message = (i: number) => randomBytes(i % 2049);

async function pairOf(algorithm: 'EdDSA' | 'ES256') {
  const pair = await generateSigningKeyPair({ algorithm, extractable: true });
  const privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const web = await createKeySigner({ privateKey: await importPrivateJwk(privateJwk), publicJwk: pair.publicJwk });
  const node = await createNodeSigner({ privateJwk, publicJwk: pair.publicJwk });
  return { pair, web, node };
}

describe('createNodeSigner: node:crypto signing, differential against core’s WebCrypto signer', () => {
  it(`Ed25519: the same signature bytes as WebCrypto for ${CASES.toLocaleString('en')} messages (Ed25519 is deterministic)`, async () => {
    const { web, node } = await pairOf('EdDSA');
    expect({ kid: node.kid, algorithm: node.algorithm }).to.deep.equal({ kid: web.kid, algorithm: web.algorithm });
    for (let i = 0; i < CASES; i++) {
      const data = message(i);
      const [a, b] = await Promise.all([node.sign(data), web.sign(data)]);
      if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) expect.fail(`case ${i}: signatures differ`);
    }
  });

  it(`ES256: ${CASES.toLocaleString('en')} node signatures in IEEE P1363 form verify under WebCrypto, and a changed message does not`, async () => {
    const { pair, web, node } = await pairOf('ES256');
    expect({ kid: node.kid, algorithm: node.algorithm }).to.deep.equal({ kid: web.kid, algorithm: web.algorithm });
    const publicKey = await importPublicJwk(pair.publicJwk);
    const params = { name: 'ECDSA', hash: 'SHA-256' };
    for (let i = 0; i < CASES; i++) {
      const data = message(i);
      const signature = new Uint8Array(await node.sign(data));
      if (signature.length !== 64) expect.fail(`case ${i}: ${signature.length} bytes, not 64`);
      if (!(await crypto.subtle.verify(params, publicKey, signature, data))) expect.fail(`case ${i}: does not verify`);
    }
    const data = message(7);
    const tampered = Buffer.concat([data, Buffer.from([1])]);
    expect(await crypto.subtle.verify(params, publicKey, new Uint8Array(await node.sign(data)), tampered)).to.equal(
      false,
    );
  });

  it('keeps core’s key checks: a public key that is not the private key’s pair is refused', async () => {
    const one = await generateSigningKeyPair({ algorithm: 'EdDSA', extractable: true });
    const other = await generateSigningKeyPair({ algorithm: 'ES256' });
    const privateJwk = await crypto.subtle.exportKey('jwk', one.privateKey);
    let error: unknown;
    try {
      await createNodeSigner({ privateJwk, publicJwk: other.publicJwk });
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string } | undefined)?.code).to.equal('invalid-key');
  });
});
