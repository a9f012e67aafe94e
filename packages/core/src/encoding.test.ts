import { expect } from 'chai';
import fc from 'fast-check';
import {
  base64urlDecode,
  base64urlEncode,
  bytesEqual,
  concatBytes,
  hexDecode,
  hexEncode,
  toBytes,
  utf8Decode,
  utf8Encode,
} from './encoding.js';
import { ConsentError } from './errors.js';

function expectInvalidToken(fn: () => unknown): void {
  expect(fn).to.throw(ConsentError).with.property('code', 'invalid-token');
}

describe('encoding', () => {
  it('base64url follows RFC 4648 §10 test vectors, without padding', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [text, encoded] of vectors) {
      expect(base64urlEncode(utf8Encode(text))).to.equal(encoded);
      expect(utf8Decode(base64urlDecode(encoded))).to.equal(text);
    }
    // The URL-safe alphabet: 0xfb 0xff → "-_8" rather than "+/8".
    expect(base64urlEncode(new Uint8Array([0xfb, 0xff]))).to.equal('-_8');
  });

  it('base64url round-trips any bytes and agrees with btoa', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const encoded = base64urlEncode(bytes);
        const reference = btoa(String.fromCharCode(...bytes))
          .replaceAll('+', '-')
          .replaceAll('/', '_')
          .replace(/=+$/, '');
        expect(encoded).to.equal(reference);
        expect([...base64urlDecode(encoded)]).to.deep.equal([...bytes]);
      }),
      { numRuns: 500 },
    );
  });

  it('base64url decoding is strict: no padding, no foreign characters, no non-zero trailing bits', () => {
    for (const bad of ['Zg==', 'Zg=', 'Zm9v+', 'Zm/v', 'Zm 9v', 'Z', 'Zh', 'Zm9', 'é']) {
      expectInvalidToken(() => base64urlDecode(bad));
    }
    expect([...base64urlDecode('Zm8')]).to.deep.equal([0x66, 0x6f]);
  });

  it('hex round-trips, lowercase out, strict in', () => {
    expect(hexEncode(new Uint8Array([0, 1, 0xab, 0xff]))).to.equal('0001abff');
    expect([...hexDecode('0001ABff')]).to.deep.equal([0, 1, 0xab, 0xff]);
    for (const bad of ['0', 'zz', '0x00', '00 ']) expectInvalidToken(() => hexDecode(bad));
  });

  it('utf8 encodes and rejects invalid UTF-8 instead of replacing it', () => {
    expect([...utf8Encode('é€😀')]).to.deep.equal([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    expect(utf8Decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).to.equal('\ufeffA'); // a BOM is kept, not eaten
    expectInvalidToken(() => utf8Decode(new Uint8Array([0xc3])));
    expectInvalidToken(() => utf8Decode(new Uint8Array([0xed, 0xa0, 0x80]))); // an encoded surrogate
  });

  it('concatBytes, toBytes and bytesEqual', () => {
    expect([...concatBytes(new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2, 3]))]).to.deep.equal([1, 2, 3]);
    const view = new Uint8Array([9, 8, 7, 6]).subarray(1, 3);
    expect([...toBytes(view)]).to.deep.equal([8, 7]);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).to.equal(true);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).to.equal(false);
    expect(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 0]))).to.equal(false);
  });
});
