import { createRecord, signRecord } from '@consentkit/core';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { compactVerify, importJWK } from 'jose';
import { createDeviceSigner } from './device-signer.js';

const uniqueName = () => `consentkit-keys-test-${crypto.randomUUID()}`;

function readStoredKey(databaseName: string): Promise<{ privateKey: CryptoKey; kid: string }> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(databaseName);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const get = db.transaction('keys').objectStore('keys').get('device');
      get.onsuccess = () => {
        db.close();
        resolve(get.result);
      };
      get.onerror = () => reject(get.error);
    };
  });
}

describe('device signer (browser)', () => {
  it('signs records that jose verifies, EdDSA where available else ES256 (R65–R67)', async () => {
    const signer = await createDeviceSigner({ databaseName: uniqueName() });
    expect(['EdDSA', 'ES256']).to.include(signer.algorithm);
    const record = await createRecord({
      subject: { kind: 'device' },
      policy: allstreamPolicy,
      decisions: [{ purpose: 'partner-sharing', granted: true, basis: 'express' }],
      method: 'checkbox',
      interaction: 'pointer',
      collectionPoint: { url: location.href },
      locale: 'en',
    });
    const { jws } = await signRecord({ record, signer });
    const { protectedHeader } = await compactVerify(jws, await importJWK(signer.publicJwk, signer.algorithm));
    expect(protectedHeader).to.include({ alg: signer.algorithm, kid: signer.kid });
  });

  it('keeps the same key across reloads', async () => {
    const databaseName = uniqueName();
    const first = await createDeviceSigner({ databaseName });
    const second = await createDeviceSigner({ databaseName });
    expect(second.kid).to.equal(first.kid);
    const other = await createDeviceSigner({ databaseName: uniqueName() });
    expect(other.kid).not.to.equal(first.kid);
  });

  it('two tabs creating the key at once end up with one key', async () => {
    const databaseName = uniqueName();
    const [a, b] = await Promise.all([createDeviceSigner({ databaseName }), createDeviceSigner({ databaseName })]);
    expect(a.kid).to.equal(b.kid);
  });

  it('stores a private key that cannot be exported (G10)', async () => {
    const databaseName = uniqueName();
    const signer = await createDeviceSigner({ databaseName });
    const stored = await readStoredKey(databaseName);
    expect(stored.kid).to.equal(signer.kid);
    expect(stored.privateKey.extractable).to.equal(false);
    let caught: unknown;
    try {
      await crypto.subtle.exportKey('jwk', stored.privateKey);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(DOMException);
    expect((caught as DOMException).name).to.equal('InvalidAccessError');
  });
});
