import { expect } from 'chai';
import { calculateJwkThumbprint } from 'jose';
import { ConsentError } from './errors.js';
import {
  generateSigningKeyPair,
  importPrivateJwk,
  importPublicJwk,
  jwkThumbprint,
  supportsEd25519,
  toPublicJwk,
} from './keys.js';

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ConsentError);
    expect((error as ConsentError).code).to.equal(code);
    return;
  }
  expect.fail(`expected ConsentError ${code}`);
}

async function rejects(promise: Promise<unknown>): Promise<boolean> {
  try {
    await promise;
    return false;
  } catch {
    return true;
  }
}

// RFC 8032 §7.1 TEST 1 key (also RFC 8037 Appendix A.1).
const ED25519_JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
} as const;

describe('keys', () => {
  it('RFC 7638 §3.1: the example RSA key has thumbprint NzbLsXh8…', async () => {
    const jwk = {
      kty: 'RSA',
      n:
        '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs' +
        'tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5' +
        'hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(await jwkThumbprint(jwk)).to.equal('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('RFC 8037 Appendix A.3: the Ed25519 example key thumbprint ignores d and extra members', async () => {
    expect(await jwkThumbprint({ ...ED25519_JWK, kid: 'x', use: 'sig' })).to.equal(
      'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
    );
    await expectCode(jwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'AA' }), 'invalid-key');
    await expectCode(jwkThumbprint({ kty: 'XYZ' }), 'invalid-key');
  });

  it('G10/R67: generated private keys are non-extractable by default and kid is the RFC 7638 thumbprint', async () => {
    for (const algorithm of ['ES256', 'auto'] as const) {
      const pair = await generateSigningKeyPair({ algorithm });
      expect(pair.privateKey.extractable).to.equal(false);
      expect(await rejects(crypto.subtle.exportKey('pkcs8', pair.privateKey))).to.equal(true);
      expect(await rejects(crypto.subtle.exportKey('jwk', pair.privateKey))).to.equal(true);
      // Independent thumbprint from jose, not our own function.
      expect(pair.kid).to.equal(await calculateJwkThumbprint(pair.publicJwk, 'sha256'));
      expect(pair.publicJwk).to.not.have.property('d');
      expect(Object.keys(pair.publicJwk).sort()).to.deep.equal(
        pair.algorithm === 'ES256' ? ['crv', 'kty', 'x', 'y'] : ['crv', 'kty', 'x'],
      );
    }
    const extractable = await generateSigningKeyPair({ algorithm: 'ES256', extractable: true });
    expect((await crypto.subtle.exportKey('pkcs8', extractable.privateKey)).byteLength).to.be.greaterThan(0);
  });

  it('R65/R66: auto picks EdDSA when WebCrypto has Ed25519 and falls back to ES256 otherwise', async () => {
    const pair = await generateSigningKeyPair();
    if (await supportsEd25519()) {
      expect(pair.algorithm).to.equal('EdDSA');
      expect(pair.publicJwk).to.include({ kty: 'OKP', crv: 'Ed25519' });
      expect(pair.privateKey.algorithm.name).to.equal('Ed25519');
    } else {
      expect(pair.algorithm).to.equal('ES256');
      expect(pair.publicJwk).to.include({ kty: 'EC', crv: 'P-256' });
      await expectCode(generateSigningKeyPair({ algorithm: 'EdDSA' }), 'unsupported-algorithm');
      await expectCode(importPublicJwk(toPublicJwk(ED25519_JWK)), 'unsupported-algorithm');
    }
  });

  it('imports public and private JWKs, non-extractable by default, and rejects broken ones', async () => {
    const pair = await generateSigningKeyPair({ algorithm: 'ES256', extractable: true });
    const privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const privateKey = await importPrivateJwk(privateJwk);
    expect(privateKey.type).to.equal('private');
    expect(privateKey.extractable).to.equal(false);
    expect(privateKey.usages).to.deep.equal(['sign']);
    const publicKey = await importPublicJwk(pair.publicJwk);
    expect(publicKey.type).to.equal('public');
    const data = new Uint8Array([1, 2, 3]);
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, data)).to.equal(true);

    await expectCode(importPublicJwk({ kty: 'EC', crv: 'P-384', x: 'a', y: 'b' }), 'invalid-key');
    await expectCode(importPublicJwk({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }), 'invalid-key');
    // Right shape, but the point is not on the curve.
    await expectCode(
      importPublicJwk({ ...pair.publicJwk, y: pair.publicJwk.kty === 'EC' ? pair.publicJwk.x : '' }),
      'invalid-key',
    );
    await expectCode(importPrivateJwk(pair.publicJwk), 'invalid-key');
  });
});
