import { generateKeyPairSync } from 'node:crypto';
import { createRecord, signRecord, verifyRecord } from '@consentkit/core';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { compactVerify, importJWK } from 'jose';
import { importKeySigner } from './key-signer.js';

async function signWith(signer: Awaited<ReturnType<typeof importKeySigner>>) {
  const record = await createRecord({
    subject: { kind: 'ref', ref: 'customer-42' },
    policy: allstreamPolicy,
    decisions: [{ purpose: 'application-processing', granted: true, basis: 'implied' }],
    method: 'api',
    collectionPoint: { flow: 'checkout' },
    locale: 'en',
  });
  return signRecord({ record, signer });
}

describe('key signer (Node)', () => {
  it('signs with an Ed25519 PKCS#8 PEM key, verifiable with jose (R65, R70)', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signer = await importKeySigner({ pkcs8: pem });
    expect(signer.algorithm).to.equal('EdDSA');
    const { jws } = await signWith(signer);
    const verified = await compactVerify(jws, await importJWK(signer.publicJwk, 'EdDSA'));
    expect(verified.protectedHeader).to.include({ alg: 'EdDSA', kid: signer.kid, typ: 'consent-record+jws' });
    expect((await verifyRecord(jws)).record.subject).to.deep.equal({ kind: 'ref', ref: 'customer-42' });
  });

  it('signs with a P-256 private JWK as ES256 (R66)', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = privateKey.export({ format: 'jwk' }) as { kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string };
    const signer = await importKeySigner({ jwk });
    expect(signer.algorithm).to.equal('ES256');
    expect(signer.publicJwk).not.to.have.property('d');
    const { jws } = await signWith(signer);
    await compactVerify(jws, await importJWK(signer.publicJwk, 'ES256'));
  });

  it('refuses a key that is not one we sign with', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));
    let caught: unknown;
    try {
      await importKeySigner({ pkcs8: der });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.include({ code: 'unsupported-algorithm' });
  });
});
