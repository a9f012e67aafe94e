import { expect } from 'chai';
import { base64urlDecode, base64urlEncode, concatBytes } from './encoding.js';
import { ConsentError } from './errors.js';
import { createTokenCodec, MIN_TOKEN_TTL_DAYS, type TokenCodec } from './unsubscribe-token.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const SUBJECT = '0194a3b2-7c1d-7e2f-8a3b-4c5d6e7f8091';
const key = (seed: number) => Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + seed) & 0xff);

async function expectCode(promise: Promise<unknown>, code: string, label?: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error, label).to.be.instanceOf(ConsentError);
    expect((error as ConsentError).code, label).to.equal(code);
    return;
  }
  expect.fail(`expected ConsentError ${code}${label ? ` (${label})` : ''}`);
}

describe('unsubscribe tokens', () => {
  let clock: number;
  let codec: TokenCodec;
  let token: string;

  beforeEach(async () => {
    clock = T0;
    codec = createTokenCodec({ keys: { k1: key(1) }, currentKid: 'k1', now: () => clock });
    token = await codec.issue({ subject: SUBJECT, scope: 'marketing', ttlDays: 60 });
  });

  it('is short, URL-safe and opaque, and round-trips its claims', async () => {
    expect(token).to.match(/^[A-Za-z0-9_-]+$/);
    expect(token.length).to.be.lessThan(100);
    expect(token).to.not.include(SUBJECT);
    expect(await codec.verify(token, { scope: 'marketing' })).to.deep.equal({
      kid: 'k1',
      subject: SUBJECT,
      scope: 'marketing',
      issuedAt: new Date(T0).toISOString(),
      expiresAt: new Date(T0 + 60 * DAY).toISOString(),
    });
    const other = await codec.issue({ subject: 'sub_Ä-42', scope: 'list:weekly-news' });
    expect(await codec.verify(other)).to.include({ subject: 'sub_Ä-42', scope: 'list:weekly-news' });
    expect((await codec.verify(other)).expiresAt).to.equal(new Date(T0 + 365 * DAY).toISOString());
    // An upper-case UUID is not compacted, so it comes back exactly as given.
    const upper = await codec.issue({ subject: SUBJECT.toUpperCase(), scope: 'marketing' });
    expect((await codec.verify(upper)).subject).to.equal(SUBJECT.toUpperCase());
  });

  it('R36/C7: never issues a lifetime under 60 days; a 59-day-old token still works', async () => {
    await expectCode(
      codec.issue({ subject: SUBJECT, scope: 'marketing', ttlDays: MIN_TOKEN_TTL_DAYS - 1 }),
      'invalid-options',
    );
    await expectCode(codec.issue({ subject: SUBJECT, scope: 'marketing', ttlDays: 0 }), 'invalid-options');
    await expectCode(codec.issue({ subject: SUBJECT, scope: 'marketing', ttlDays: 90.5 }), 'invalid-options');
    await expectCode(codec.issue({ subject: SUBJECT, scope: 'marketing', ttlDays: 70_000 }), 'invalid-options');
    clock = T0 + 59 * DAY;
    expect((await codec.verify(token)).subject).to.equal(SUBJECT);
  });

  it('rejects an expired token with token-expired', async () => {
    clock = T0 + 60 * DAY - 1000;
    expect((await codec.verify(token)).scope).to.equal('marketing');
    clock = T0 + 60 * DAY;
    await expectCode(codec.verify(token), 'token-expired');
    clock = T0 + 400 * DAY;
    await expectCode(codec.verify(token), 'token-expired');
  });

  it('rejects a token for another scope', async () => {
    await expectCode(codec.verify(token, { scope: 'loyalty' }), 'invalid-token');
    await expectCode(codec.verify(token, { scope: 'Marketing' }), 'invalid-token');
  });

  it('rejects a token altered in any character or any byte', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      const c = token[i] as string;
      const replacement = alphabet[(alphabet.indexOf(c) + 1 + (i % 63)) % 64] as string;
      expect(replacement).to.not.equal(c);
      await expectCode(
        codec.verify(token.slice(0, i) + replacement + token.slice(i + 1)),
        'invalid-token',
        `char ${i}`,
      );
    }
    const bytes = base64urlDecode(token);
    for (let i = 0; i < bytes.length; i++) {
      for (const bit of [0, 7]) {
        const altered = new Uint8Array(bytes);
        altered[i] = (altered[i] as number) ^ (1 << bit);
        await expectCode(codec.verify(base64urlEncode(altered)), 'invalid-token', `byte ${i} bit ${bit}`);
      }
    }
  });

  it('rejects every truncation, extension and garbage', async () => {
    for (let length = 0; length < token.length; length++) {
      await expectCode(codec.verify(token.slice(0, length)), 'invalid-token', `length ${length}`);
    }
    for (const garbage of [
      `${token}A`,
      `${token}AA`,
      `${token}=`,
      ` ${token}`,
      `${token}.x`,
      'x'.repeat(300),
      '!!',
      '😀',
    ]) {
      await expectCode(codec.verify(garbage), 'invalid-token', garbage);
    }
    const random = crypto.getRandomValues(new Uint8Array(68));
    random[0] = 1;
    await expectCode(codec.verify(base64urlEncode(random)), 'invalid-token');
  });

  it('rejects forgeries: a zeroed MAC, a wrong key under the same kid, an unknown kid', async () => {
    const bytes = base64urlDecode(token);
    const body = bytes.subarray(0, bytes.length - 32);
    await expectCode(codec.verify(base64urlEncode(concatBytes(body, new Uint8Array(32)))), 'invalid-token');

    const impostor = createTokenCodec({ keys: { k1: key(2) }, currentKid: 'k1', now: () => clock });
    const forged = await impostor.issue({ subject: SUBJECT, scope: 'marketing' });
    await expectCode(codec.verify(forged), 'invalid-token');
    await expectCode(impostor.verify(token), 'invalid-token');

    const stranger = createTokenCodec({ keys: { k9: key(1) }, currentKid: 'k9', now: () => clock });
    await expectCode(stranger.verify(token), 'invalid-token');
  });

  it('rotates keys: old tokens verify while their kid is present, and only then', async () => {
    const rotated = createTokenCodec({ keys: { k1: key(1), k2: key(3) }, currentKid: 'k2', now: () => clock });
    const fresh = await rotated.issue({ subject: SUBJECT, scope: 'marketing' });
    expect((await rotated.verify(token)).kid).to.equal('k1');
    expect((await rotated.verify(fresh)).kid).to.equal('k2');
    await expectCode(codec.verify(fresh), 'invalid-token');
    const retired = createTokenCodec({ keys: { k2: key(3) }, currentKid: 'k2', now: () => clock });
    await expectCode(retired.verify(token), 'invalid-token');
    expect((await retired.verify(fresh)).subject).to.equal(SUBJECT);
  });

  it('refuses emails as subjects and weak or misnamed keys', async () => {
    await expectCode(codec.issue({ subject: 'jane@example.com', scope: 'marketing' }), 'invalid-options');
    await expectCode(codec.issue({ subject: '', scope: 'marketing' }), 'invalid-options');
    await expectCode(codec.issue({ subject: SUBJECT, scope: '' }), 'invalid-options');
    const build = (options: Parameters<typeof createTokenCodec>[0]) => async () => createTokenCodec(options);
    await expectCode(build({ keys: { k1: new Uint8Array(31) }, currentKid: 'k1' })(), 'invalid-options');
    await expectCode(build({ keys: { k1: key(1) }, currentKid: 'k2' })(), 'invalid-options');
    await expectCode(build({ keys: { 'bad.kid': key(1) }, currentKid: 'bad.kid' })(), 'invalid-options');
  });
});

describe('unsubscribe tokens: the subject stays server-side', () => {
  const T = Date.UTC(2026, 11, 6, 9, 0, 0);
  const kid = 'DY72nPGgko47e_t7'; // as long as a ledger's token key ids are
  const codec = createTokenCodec({ keys: { [kid]: key(5) }, currentKid: kid, now: () => T });

  /** A token in the layout issued before the subject was sealed (version 1, 32-byte MAC). */
  async function versionOneToken(subject: string, scope: string): Promise<string> {
    const hex = subject.replaceAll('-', '');
    const times = new Uint8Array(6);
    new DataView(times.buffer).setUint32(0, Math.floor(T / 1000));
    new DataView(times.buffer).setUint16(4, 60);
    const body = concatBytes(
      new Uint8Array([0x01, 0x01, kid.length]),
      new TextEncoder().encode(kid),
      times,
      Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)),
      new TextEncoder().encode(scope),
    );
    const k = await crypto.subtle.importKey('raw', key(5), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return base64urlEncode(concatBytes(body, new Uint8Array(await crypto.subtle.sign('HMAC', k, body))));
  }

  it('never carries the subject id, in text or in bytes, and stays within 120 characters', async () => {
    const token = await codec.issue({ subject: SUBJECT, scope: 'unsubscribe:marketing', ttlDays: 180 });
    expect(token.length).to.be.at.most(120);
    const hex = Array.from(base64urlDecode(token), (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).to.not.include(SUBJECT.replaceAll('-', ''));
    expect(hex).to.not.include(SUBJECT.replaceAll('-', '').slice(0, 8));
    expect(await codec.verify(token, { scope: 'unsubscribe:marketing' })).to.include({ subject: SUBJECT });
    // Two people, same second and scope: their tokens share nothing that would relate the ids.
    const other = await codec.issue({
      subject: '0194a3b2-7c1d-7e2f-8a3b-4c5d6e7f8092',
      scope: 'unsubscribe:marketing',
    });
    expect(other).to.not.equal(token);
  });

  it('a link issued before the subject was sealed keeps working until it expires', async () => {
    const legacy = await versionOneToken(SUBJECT, 'preferences');
    expect(base64urlDecode(legacy)[0]).to.equal(1);
    expect(await codec.verify(legacy, { scope: 'preferences' })).to.include({ subject: SUBJECT, scope: 'preferences' });
  });

  it('every altered byte of a sealed token fails, as does a truncated one', async () => {
    const token = await codec.issue({ subject: SUBJECT, scope: 'preferences' });
    const bytes = base64urlDecode(token);
    for (let i = 0; i < bytes.length; i++) {
      const changed = new Uint8Array(bytes);
      changed[i] = (changed[i] as number) ^ 0x01;
      await expectCode(codec.verify(base64urlEncode(changed)), 'invalid-token', `byte ${i}`);
    }
    for (let length = 0; length < bytes.length; length++) {
      await expectCode(codec.verify(base64urlEncode(bytes.subarray(0, length))), 'invalid-token', `length ${length}`);
    }
  });
});
