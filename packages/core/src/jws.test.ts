import { expect } from 'chai';
import { CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK } from 'jose';
import { base64urlDecode, base64urlEncode, hexDecode, hexEncode, utf8Decode, utf8Encode } from './encoding.js';
import { ConsentError } from './errors.js';
import { createKeySigner, decodeJws, type Signer, signJws, verifyJws } from './jws.js';
import { generateSigningKeyPair, importPrivateJwk, type PublicJwk, supportsEd25519, toPublicJwk } from './keys.js';

async function expectCode(promise: Promise<unknown>, code: string | readonly string[]): Promise<void> {
  const codes = typeof code === 'string' ? [code] : code;
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ConsentError);
    expect(codes).to.include((error as ConsentError).code);
    return;
  }
  expect.fail(`expected ConsentError ${codes.join(' or ')}`);
}

/** A compact JWS with an arbitrary protected header, signed by `signer` (to build hostile tokens). */
async function signRaw(header: string, payload: Uint8Array, signer: Signer): Promise<string> {
  const input = `${base64urlEncode(utf8Encode(header))}.${base64urlEncode(payload)}`;
  return `${input}.${base64urlEncode(await signer.sign(utf8Encode(input)))}`;
}

function flipBit(part: string, byteIndex: number, bit: number): string {
  const bytes = base64urlDecode(part);
  bytes[byteIndex] = (bytes[byteIndex] as number) ^ (1 << bit);
  return base64urlEncode(bytes);
}

// RFC 8032 §7.1 TEST 1 (the same key is RFC 8037 Appendix A.1).
const TEST1 = {
  secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  signature:
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};
const TEST1_JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  d: base64urlEncode(hexDecode(TEST1.secret)),
  x: base64urlEncode(hexDecode(TEST1.public)),
} as const;

const ed25519 = await supportsEd25519();
const algorithms = ed25519 ? (['ES256', 'EdDSA'] as const) : (['ES256'] as const);

describe('JWS on WebCrypto', () => {
  it('G1/R65: RFC 8032 §7.1 TEST 1 signs the empty message to the published signature (or ES256 is the fallback)', async () => {
    if (ed25519) {
      const privateKey = await importPrivateJwk(TEST1_JWK);
      const signer = await createKeySigner({ privateKey, publicJwk: toPublicJwk(TEST1_JWK) });
      expect(signer.algorithm).to.equal('EdDSA');
      const signature = await signer.sign(new Uint8Array(0));
      expect(hexEncode(signature)).to.equal(TEST1.signature);
      const raw = await crypto.subtle.importKey('raw', hexDecode(TEST1.public), { name: 'Ed25519' }, false, ['verify']);
      expect(
        await crypto.subtle.verify({ name: 'Ed25519' }, raw, hexDecode(TEST1.signature), new Uint8Array(0)),
      ).to.equal(true);
      const flipped = hexDecode(TEST1.signature);
      flipped[10] = (flipped[10] as number) ^ 0x01;
      expect(await crypto.subtle.verify({ name: 'Ed25519' }, raw, flipped, new Uint8Array(0))).to.equal(false);
    } else {
      // No Ed25519 here: the fallback must be ES256, and Ed25519 keys are refused loudly.
      const pair = await generateSigningKeyPair();
      expect(pair.algorithm).to.equal('ES256');
      await expectCode(importPrivateJwk(TEST1_JWK), 'unsupported-algorithm');
    }
  });

  it('R70: RFC 8037 Appendix A.4 EdDSA JWS verifies, and our signer reproduces its signature', async () => {
    const token =
      'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg';
    if (!ed25519) {
      await expectCode(
        verifyJws(token, { key: toPublicJwk(TEST1_JWK), algorithms: ['EdDSA'] }),
        'unsupported-algorithm',
      );
      return;
    }
    const { header, payload } = await verifyJws(token, { key: toPublicJwk(TEST1_JWK), algorithms: ['EdDSA'] });
    expect(header).to.deep.equal({ alg: 'EdDSA' });
    expect(utf8Decode(payload)).to.equal('Example of Ed25519 signing');
    const signer = await createKeySigner({
      privateKey: await importPrivateJwk(TEST1_JWK),
      publicJwk: toPublicJwk(TEST1_JWK),
    });
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(base64urlEncode(await signer.sign(utf8Encode(`${h}.${p}`)))).to.equal(s);
  });

  for (const algorithm of algorithms) {
    describe(algorithm, () => {
      it('R68/G3: tokens from core verify with jose, without padding and with 64-byte signatures', async () => {
        const pair = await generateSigningKeyPair({ algorithm });
        const signer = await createKeySigner(pair);
        expect(signer.kid).to.equal(pair.kid);
        const token = await signJws({
          payload: '{"hello":"wörld"}',
          signer,
          header: { typ: 'consent-record+jws', jwk: pair.publicJwk },
        });
        expect(token).to.not.include('=');
        expect(token.split('.')).to.have.length(3);
        const decoded = decodeJws(token);
        expect(decoded.signature).to.have.length(64);
        expect(decoded.header).to.deep.equal({
          alg: algorithm,
          kid: pair.kid,
          typ: 'consent-record+jws',
          jwk: pair.publicJwk,
        });

        const joseKey = await importJWK({ ...pair.publicJwk }, algorithm);
        const result = await compactVerify(token, joseKey, { algorithms: [algorithm] });
        expect(utf8Decode(result.payload)).to.equal('{"hello":"wörld"}');

        const ours = await verifyJws(token, { key: pair.publicJwk, algorithms: [algorithm] });
        expect(utf8Decode(ours.payload)).to.equal('{"hello":"wörld"}');
        const viaCryptoKey = await verifyJws(token, { key: pair.publicKey, algorithms: [algorithm] });
        expect(viaCryptoKey.header.kid).to.equal(pair.kid);
      });

      it('R68: tokens from jose verify with core (CryptoKey, JWK and key lookup)', async () => {
        const { privateKey, publicKey } = await generateKeyPair(algorithm);
        const token = await new CompactSign(utf8Encode('payload from jose'))
          .setProtectedHeader({ alg: algorithm, kid: 'k-1' })
          .sign(privateKey);
        const viaKey = await verifyJws(token, { key: publicKey as CryptoKey, algorithms: [algorithm] });
        expect(utf8Decode(viaKey.payload)).to.equal('payload from jose');
        const jwk = toPublicJwk(await exportJWK(publicKey));
        const viaLookup = await verifyJws(token, {
          key: async (header) => (header.kid === 'k-1' ? jwk : undefined),
          algorithms: [algorithm],
        });
        expect(viaLookup.header).to.deep.equal({ alg: algorithm, kid: 'k-1' });
        await expectCode(verifyJws(token, { key: async () => undefined, algorithms: [algorithm] }), 'invalid-key');
      });

      it('G4: a flipped bit anywhere in the header, payload or signature fails verification', async () => {
        const pair = await generateSigningKeyPair({ algorithm });
        const signer = await createKeySigner(pair);
        const token = await signJws({ payload: '{"purpose":"marketing","granted":true}', signer });
        await verifyJws(token, { key: pair.publicJwk, algorithms: [algorithm] });
        const parts = token.split('.') as [string, string, string];
        let tried = 0;
        for (let part = 0; part < 3; part++) {
          const length = base64urlDecode(parts[part] as string).length;
          for (let i = 0; i < length; i++) {
            const tampered = [...parts];
            tampered[part] = flipBit(parts[part] as string, i, (i * 3 + part) % 8);
            await expectCode(verifyJws(tampered.join('.'), { key: pair.publicJwk, algorithms: [algorithm] }), [
              'invalid-signature',
              'invalid-token',
              'unsupported-algorithm',
            ]);
            tried++;
          }
        }
        expect(tried).to.be.greaterThan(100);
      });

      it('R68/R70: pins algorithms and refuses a key of the other type', async () => {
        const pair = await generateSigningKeyPair({ algorithm });
        const token = await signJws({ payload: 'x', signer: await createKeySigner(pair) });
        const other = algorithm === 'ES256' ? 'EdDSA' : 'ES256';
        await expectCode(verifyJws(token, { key: pair.publicJwk, algorithms: [other] }), 'unsupported-algorithm');
        await expectCode(verifyJws(token, { key: pair.publicJwk, algorithms: [] }), 'unsupported-algorithm');
        const otherPair = await generateSigningKeyPair({ algorithm: algorithms.length === 2 ? other : 'ES256' });
        if (otherPair.algorithm !== algorithm) {
          await expectCode(verifyJws(token, { key: otherPair.publicJwk, algorithms }), 'invalid-key');
        } else {
          // Same type, different key: the signature must not verify.
          await expectCode(verifyJws(token, { key: otherPair.publicJwk, algorithms }), 'invalid-signature');
        }
      });
    });
  }

  if (ed25519) {
    it('R70: accepts the fully specified alg "Ed25519" on verify (jose-made) while signing EdDSA', async () => {
      const { privateKey, publicKey } = await generateKeyPair('Ed25519');
      const token = await new CompactSign(utf8Encode('fully specified'))
        .setProtectedHeader({ alg: 'Ed25519' })
        .sign(privateKey);
      const result = await verifyJws(token, { key: publicKey as CryptoKey, algorithms: ['EdDSA'] });
      expect(result.header.alg).to.equal('Ed25519');
      await expectCode(
        verifyJws(token, { key: publicKey as CryptoKey, algorithms: ['ES256'] }),
        'unsupported-algorithm',
      );
    });
  } else {
    it('R70: without Ed25519 an EdDSA token is refused as unsupported, not verified', async () => {
      const pair = await generateSigningKeyPair({ algorithm: 'ES256' });
      const signer = await createKeySigner(pair);
      const token = await signRaw('{"alg":"EdDSA"}', utf8Encode('x'), signer);
      await expectCode(
        verifyJws(token, { key: toPublicJwk(TEST1_JWK), algorithms: ['EdDSA'] }),
        'unsupported-algorithm',
      );
    });
  }

  describe('hostile tokens', () => {
    let signer: Signer;
    let publicJwk: PublicJwk;
    const payload = utf8Encode('{"a":1}');
    const verify = (token: string) => verifyJws(token, { key: publicJwk, algorithms: ['ES256', 'EdDSA'] });

    before(async () => {
      const pair = await generateSigningKeyPair({ algorithm: 'ES256' });
      signer = await createKeySigner(pair);
      publicJwk = pair.publicJwk;
    });

    it('G4/R68: rejects alg "none" and HS256 signed with the public key as the secret', async () => {
      const none = `${base64urlEncode(utf8Encode('{"alg":"none"}'))}.${base64urlEncode(payload)}.`;
      await expectCode(verify(none), 'unsupported-algorithm');
      const secret = utf8Encode(JSON.stringify(publicJwk));
      const hs = await new CompactSign(payload).setProtectedHeader({ alg: 'HS256' }).sign(secret);
      expect((await compactVerify(hs, secret)).payload).to.deep.equal(payload); // really a valid HS256 token
      await expectCode(verify(hs), 'unsupported-algorithm');
      for (const alg of ['HS384', 'HS512', 'RS256', 'ES384', 'none', 'NONE', '']) {
        await expectCode(verify(await signRaw(JSON.stringify({ alg }), payload, signer)), [
          'unsupported-algorithm',
          'invalid-token',
        ]);
      }
    });

    it('R68: rejects any crit (unknown, empty, or b64) and a bare b64 header', async () => {
      for (const header of [
        { alg: 'ES256', crit: ['exp'], exp: 1 },
        { alg: 'ES256', crit: [] },
        { alg: 'ES256', b64: false, crit: ['b64'] },
        { alg: 'ES256', b64: false },
      ]) {
        await expectCode(verify(await signRaw(JSON.stringify(header), payload, signer)), 'invalid-token');
      }
      // The same construction without crit does verify, so the rejections above are about crit.
      expect((await verify(await signRaw('{"alg":"ES256","exp":1}', payload, signer))).payload).to.deep.equal(payload);
    });

    it('R68: rejects padding, extra parts, duplicate header members and garbage', async () => {
      const good = await signJws({ payload, signer });
      const [h, p, s] = good.split('.') as [string, string, string];
      for (const token of [
        `${h}=.${p}.${s}`,
        `${h}.${p}==.${s}`,
        `${h}.${p}.${s}=`,
        `${h}.${p}.${s}.`,
        `${h}.${p}`,
        `${h}.${p}.${s} `,
        `.${p}.${s}`,
        'garbage',
        '',
      ]) {
        await expectCode(verify(token), ['invalid-token', 'invalid-signature']);
      }
      const duplicate = await signRaw('{"alg":"ES256","alg":"ES256"}', payload, signer);
      await expectCode(verify(duplicate), 'invalid-token');
      await expectCode(verify(await signRaw('["ES256"]', payload, signer)), 'invalid-token');
      // A truncated signature has the wrong length.
      await expectCode(verify(`${h}.${p}.${s.slice(0, 40)}`), 'invalid-signature');
    });

    it('signJws keeps alg from the signer and refuses crit/b64', async () => {
      await expectCode(signJws({ payload, signer, header: { alg: 'EdDSA' } }), 'invalid-options');
      await expectCode(signJws({ payload, signer, header: { crit: ['x'] } }), 'invalid-options');
      await expectCode(signJws({ payload, signer, header: { b64: false } }), 'invalid-options');
      const token = await signJws({ payload, signer, header: { kid: 'custom' } });
      expect(decodeJws(token).header).to.deep.equal({ alg: 'ES256', kid: 'custom' });
    });
  });
});
