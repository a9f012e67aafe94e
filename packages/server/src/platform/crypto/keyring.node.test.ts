import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { expect } from 'chai';
import { blindIndexOf } from './keyring.js';

describe('blindIndexOf: node:crypto HMAC, differential against WebCrypto', () => {
  it('gives WebCrypto’s HMAC-SHA-256 hex for 10,000 identifiers (ASCII, Unicode, empty, long)', async () => {
    const key = new Uint8Array(randomBytes(32));
    const webKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const alphabet = ['a', 'Z', '0', '.', '@', '+', 'é', 'ß', 'ı', '日', '本', '😀', ' ', '\u0301'];
    for (let i = 0; i < 10_000; i++) {
      const length = i % 97;
      let identifier = '';
      for (let j = 0; j < length; j++) identifier += alphabet[(i * 31 + j * 7) % alphabet.length];
      const web = Buffer.from(await crypto.subtle.sign('HMAC', webKey, new TextEncoder().encode(identifier))).toString(
        'hex',
      );
      if (blindIndexOf(key, identifier) !== web)
        expect.fail(`identifier ${JSON.stringify(identifier)}: digests differ`);
    }
  });
});
