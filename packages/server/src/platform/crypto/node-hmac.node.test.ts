import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { createTokenCodec } from '@consentkit/core';
import { expect } from 'chai';
import { hmacSha256 } from './node-hmac.js';

const CASES = 10_000;

async function webHmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const raw = new Uint8Array(key);
  const k = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, new Uint8Array(data)));
}

describe('hmacSha256: node:crypto HMAC, differential against WebCrypto', () => {
  it(`gives WebCrypto's bytes for ${CASES.toLocaleString('en')} keys and messages`, async () => {
    for (let i = 0; i < CASES; i++) {
      // Keys of 1–160 bytes (past SHA-256's 64-byte block, where HMAC hashes the key first);
      // messages of 0–2,048 bytes, from empty to a long token body.
      const key = randomBytes(1 + (i % 160));
      const data = randomBytes((i * 7919) % 2049);
      const a = hmacSha256(key, data);
      const b = await webHmac(key, data);
      if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) expect.fail(`case ${i}: MACs differ`);
    }
  });

  it('reads only the view it is given (a subarray of a larger buffer)', async () => {
    const big = randomBytes(100);
    const key = big.subarray(10, 42);
    const data = big.subarray(50, 90);
    expect(Buffer.from(hmacSha256(key, data))).to.deep.equal(Buffer.from(await webHmac(key, data)));
  });
});

describe('createTokenCodec with hmacSha256: the same tokens as the WebCrypto codec', () => {
  it(`issues byte-identical tokens and each verifies the other's, for ${CASES.toLocaleString('en')} subjects and scopes`, async () => {
    const keys = { k1: randomBytes(32), old: randomBytes(48) };
    const at = Date.parse('2026-12-07T00:00:00Z');
    let clock = at;
    const now = () => clock;
    const node = createTokenCodec({ keys, currentKid: 'k1', now, hmac: hmacSha256 });
    const web = createTokenCodec({ keys, currentKid: 'k1', now });
    for (let i = 0; i < CASES; i++) {
      clock = at + i * 1000;
      // UUID subjects (packed, what the ledger issues) and text ids of 1–255 bytes (record ids, others).
      const subject = i % 3 === 0 ? randomUUID() : `rec-${randomBytes(1 + (i % 120)).toString('hex')}`.slice(0, 255);
      const scope = i % 2 === 0 ? 'unsubscribe:marketing' : `confirm:p${i}`;
      const input = { subject, scope, ttlDays: 60 + (i % 400) };
      const [a, b] = await Promise.all([node.issue(input), web.issue(input)]);
      if (a !== b) expect.fail(`case ${i}: tokens differ`);
      const [ca, cb] = await Promise.all([node.verify(b), web.verify(a)]);
      if (ca.subject !== subject || cb.subject !== subject || ca.scope !== scope || cb.scope !== scope) {
        expect.fail(`case ${i}: claims differ`);
      }
    }
  });

  it('refuses an altered token with the same error as the WebCrypto codec', async () => {
    const keys = { k1: randomBytes(32) };
    const node = createTokenCodec({ keys, currentKid: 'k1', hmac: hmacSha256 });
    const web = createTokenCodec({ keys, currentKid: 'k1' });
    const token = await node.issue({ subject: randomUUID(), scope: 'unsubscribe:marketing' });
    // A character inside the body (the sealed subject): all six of its bits are data.
    const altered = `${token.slice(0, 30)}${token[30] === 'A' ? 'B' : 'A'}${token.slice(31)}`;
    const codes = await Promise.all(
      [node, web].map((codec) =>
        codec.verify(altered).then(
          () => 'accepted',
          (error: { code?: string }) => error.code,
        ),
      ),
    );
    expect(codes).to.deep.equal(['invalid-token', 'invalid-token']);
  });

  it('verifies a version 1 token (the 32-byte MAC layout issued before sealing) as WebCrypto does, and refuses each altered byte', async () => {
    const secret = randomBytes(32);
    const kid = 'k1';
    const now = () => Date.parse('2026-12-07T00:00:00Z');
    const node = createTokenCodec({ keys: { [kid]: secret }, currentKid: kid, now, hmac: hmacSha256 });
    const web = createTokenCodec({ keys: { [kid]: secret }, currentKid: kid, now });
    const subject = randomUUID();
    const times = Buffer.alloc(6);
    times.writeUInt32BE(Math.floor(now() / 1000), 0);
    times.writeUInt16BE(60, 4);
    const body = Buffer.concat([
      Buffer.from([0x01, 0x01, kid.length]),
      Buffer.from(kid),
      times,
      Buffer.from(subject.replaceAll('-', ''), 'hex'),
      Buffer.from('preferences'),
    ]);
    const token = Buffer.concat([body, Buffer.from(await webHmac(secret, body))]);
    for (const codec of [node, web]) {
      expect(await codec.verify(token.toString('base64url'))).to.include({ subject, scope: 'preferences' });
    }
    for (let i = 0; i < token.length; i++) {
      const changed = Buffer.from(token);
      changed[i] = (changed[i] as number) ^ 0x01;
      const codes = await Promise.all(
        [node, web].map((codec) =>
          codec.verify(changed.toString('base64url')).then(
            () => 'accepted',
            (error: { code?: string }) => error.code,
          ),
        ),
      );
      expect(codes[0], `byte ${i}`).to.equal(codes[1]);
      expect(codes[0], `byte ${i}`).to.not.equal('accepted');
    }
  });
});
