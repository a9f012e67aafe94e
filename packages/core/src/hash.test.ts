import { expect } from 'chai';
import { digestOf, sha256, sha256Hex } from './hash.js';

describe('hash', () => {
  it('SHA-256 matches the FIPS 180-2 vectors and the empty-string hash (R73)', async () => {
    expect(await sha256Hex('')).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('abc')).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).to.equal(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await sha256('abc')).to.have.length(32);
    // Strings are hashed as UTF-8.
    expect(await sha256Hex('é')).to.equal(await sha256Hex(new Uint8Array([0xc3, 0xa9])));
  });

  it('G7: digestOf hashes the canonical form, so key order does not matter', async () => {
    const a = await digestOf({ b: [1, { d: true, c: null }], a: 'x' });
    const b = await digestOf({ a: 'x', b: [1, { c: null, d: true }] });
    expect(a).to.equal(b);
    expect(a).to.equal(await sha256Hex('{"a":"x","b":[1,{"c":null,"d":true}]}'));
    expect(await digestOf({ a: 'x', b: [{ c: null, d: true }, 1] })).to.not.equal(a);
  });
});
