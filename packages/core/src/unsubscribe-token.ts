/**
 * Unsubscribe / preference / confirmation link tokens (R36, R42): short, URL-safe, opaque, HMAC-SHA256.
 *
 * Version 2 (issued now): the subject is encrypted, so a forwarded link reveals no ledger id.
 *   0x02 | flags (bit 0: subject is a UUID, 16 bytes) | kid length | kid | issued-at (uint32)
 *   | lifetime (uint16, days) | subject length (uint8; absent for a UUID) | sealed subject | scope
 *   | tag (16 bytes)
 * SIV construction: tag = HMAC-SHA256(key, the body with the subject in the clear), truncated to
 * 128 bits; sealed subject = subject XOR HMAC-SHA256(subkey, tag ‖ counter) (a PRF in counter mode,
 * the tag as its IV), subkey = HMAC-SHA256(key, "consentkit/token-subject"). Verifying opens the
 * subject and recomputes the tag (constant-time compare), so any altered byte fails. A UUID
 * subject and the scope `unsubscribe:marketing` under a 16-character kid give 104 characters.
 *
 * Version 1 (issued before; still verified until it expires), layout (bytes, then base64url
 * without padding; one string, no separators):
 *   version 0x01 | flags (bit 0: subject is a UUID in 16 binary bytes) | kid length | kid (ASCII)
 *   | issued-at (uint32, seconds since the epoch) | lifetime (uint16, days)
 *   | subject length (uint8; absent for a binary UUID) | subject (UTF-8) | scope (UTF-8, the rest)
 *   | HMAC-SHA256 over everything before it (32 bytes)
 * The subject is an opaque ledger id, never an email, so the link reveals nobody. A UUID subject
 * and a short scope give about 90 characters.
 */
import {
  type Bytes,
  base64urlDecode,
  base64urlEncode,
  concatBytes,
  hexDecode,
  hexEncode,
  toBytes,
  utf8Decode,
  utf8Encode,
} from './encoding.js';
import { ConsentError } from './errors.js';
import { isUuid } from './uuid.js';

export type TokenClaims = {
  kid: string;
  /** Opaque ledger subject id. */
  subject: string;
  /** Purpose or list id the token acts on. */
  scope: string;
  /** RFC 3339 UTC. */
  issuedAt: string;
  /** RFC 3339 UTC. */
  expiresAt: string;
};

export type TokenCodecOptions = {
  /** HMAC keys by key id; each at least 32 bytes. Keep retired keys here until their tokens expire. */
  keys: Readonly<Record<string, Uint8Array>>;
  /** The key id new tokens are issued under. */
  currentKid: string;
  /** Clock in ms since the epoch (tests). */
  now?: () => number;
  /**
   * HMAC-SHA256 of `data` under `key`, when the host has a faster one than WebCrypto (a server's
   * node:crypto `createHmac`, synchronous on the calling thread, against WebCrypto's job on a
   * thread pool). It must give WebCrypto's bytes: the server proves that over ≥ 10,000 cases
   * (platform/crypto/node-hmac.node.test.ts). Without it, WebCrypto (browsers, any runtime).
   */
  hmac?: (key: Uint8Array, data: Uint8Array) => Uint8Array<ArrayBuffer>;
};

export type TokenCodec = {
  issue(options: { subject: string; scope: string; ttlDays?: number }): Promise<string>;
  verify(token: string, options?: { scope?: string }): Promise<TokenClaims>;
};

/** CASL s.11 (R36): an unsubscribe link must keep working for at least 60 days. */
export const MIN_TOKEN_TTL_DAYS = 60;
export const DEFAULT_TOKEN_TTL_DAYS = 365;

const VERSION = 0x01;
const VERSION_SEALED = 0x02;
const FLAG_UUID_SUBJECT = 0x01;
const MAC_BYTES = 32;
const TAG_BYTES = 16;
const SUBJECT_KEY_LABEL = 'consentkit/token-subject';
const DAY_SECONDS = 86_400;
const KID = /^[A-Za-z0-9_-]{1,16}$/;
const MAX_SUBJECT_BYTES = 255;
const MAX_SCOPE_BYTES = 128;
// Smallest valid body: header(3) + kid(1) + times(6) + empty subject length(1) + empty scope(0).
const MIN_BODY_BYTES = 11;

function invalidOptions(message: string, hint?: string): ConsentError {
  return new ConsentError('invalid-options', message, hint === undefined ? {} : { hint });
}

function invalidToken(message: string, cause?: unknown): ConsentError {
  return new ConsentError('invalid-token', message, {
    cause,
    hint: 'The link may be mistyped or cut off; ask for a fresh link.',
  });
}

/** One HMAC-SHA256 key, whichever implementation holds it; `verify` compares in constant time. */
type MacKey = { sign(data: Bytes): Promise<Bytes>; verify(mac: Bytes, data: Bytes): Promise<boolean> };

/** A key held by WebCrypto: imported once, non-extractable, usable only for HMAC-SHA256. */
function webCryptoKey(secret: Uint8Array): MacKey {
  const key = crypto.subtle.importKey('raw', toBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  return {
    sign: async (data) => new Uint8Array(await crypto.subtle.sign('HMAC', await key, toBytes(data))),
    verify: async (mac, data) => crypto.subtle.verify('HMAC', await key, toBytes(mac), toBytes(data)),
  };
}

/** A key for the host's HMAC: a private copy of the secret, so a caller's later change cannot reach it. */
function injectedKey(secret: Uint8Array, hmac: NonNullable<TokenCodecOptions['hmac']>): MacKey {
  const copy = new Uint8Array(secret);
  return {
    sign: async (data) => hmac(copy, data),
    verify: async (mac, data) => constantTimeEqual(hmac(copy, data), mac),
  };
}

export function createTokenCodec(options: TokenCodecOptions): TokenCodec {
  const now = options.now ?? Date.now;
  const { hmac } = options;
  const keyOf = (secret: Uint8Array): MacKey => (hmac ? injectedKey(secret, hmac) : webCryptoKey(secret));
  const keys = new Map<string, MacKey>();
  const subjectKeys = new Map<string, Promise<MacKey>>();
  for (const [kid, secret] of Object.entries(options.keys)) {
    if (!KID.test(kid))
      throw invalidOptions(
        `token key id ${JSON.stringify(kid)} is invalid`,
        'Use 1–16 characters of A–Z, a–z, 0–9, "-" or "_".',
      );
    if (!(secret instanceof Uint8Array) || secret.length < 32) {
      throw invalidOptions(
        `token key ${kid} is shorter than 32 bytes`,
        'Generate it with crypto.getRandomValues(new Uint8Array(32)).',
      );
    }
    const macKey = keyOf(secret);
    keys.set(kid, macKey);
    subjectKeys.set(
      kid,
      macKey.sign(utf8Encode(SUBJECT_KEY_LABEL)).then((derived) => keyOf(derived)),
    );
  }
  if (!keys.has(options.currentKid))
    throw invalidOptions(`currentKid ${JSON.stringify(options.currentKid)} is not among the keys`);
  const currentKid = options.currentKid;

  async function issue(input: { subject: string; scope: string; ttlDays?: number }): Promise<string> {
    const ttlDays = input.ttlDays ?? DEFAULT_TOKEN_TTL_DAYS;
    if (!Number.isInteger(ttlDays) || ttlDays < MIN_TOKEN_TTL_DAYS || ttlDays > 0xffff) {
      throw invalidOptions(
        `ttlDays ${String(ttlDays)} is out of range`,
        `Unsubscribe links must stay valid for at least ${MIN_TOKEN_TTL_DAYS} days (CASL s.11).`,
      );
    }
    const { subject, scope } = input;
    if (typeof subject !== 'string' || subject === '' || subject.includes('@')) {
      throw invalidOptions(
        'the token subject must be an opaque ledger subject id',
        'Never put an email address in a link token.',
      );
    }
    if (typeof scope !== 'string' || scope === '')
      throw invalidOptions('the token scope must be a non-empty purpose or list id');
    const scopeBytes = utf8Encode(scope);
    if (scopeBytes.length > MAX_SCOPE_BYTES)
      throw invalidOptions(`the token scope is longer than ${MAX_SCOPE_BYTES} bytes`);
    // A UUID subject (what the ledger issues) is packed into 16 bytes; any other id goes as text.
    const uuid = isUuid(subject);
    const subjectBytes = uuid ? hexDecode(subject.replaceAll('-', '')) : utf8Encode(subject);
    if (subjectBytes.length > MAX_SUBJECT_BYTES)
      throw invalidOptions(`the token subject is longer than ${MAX_SUBJECT_BYTES} bytes`);
    const issuedAt = Math.floor(now() / 1000);
    if (!Number.isSafeInteger(issuedAt) || issuedAt < 0 || issuedAt > 0xffff_ffff)
      throw invalidOptions('the clock is out of range');

    const kid = utf8Encode(currentKid);
    const times = new Uint8Array(6);
    const view = new DataView(times.buffer);
    view.setUint32(0, issuedAt);
    view.setUint16(4, ttlDays);
    const head = concatBytes(
      new Uint8Array([VERSION_SEALED, uuid ? FLAG_UUID_SUBJECT : 0, kid.length]),
      kid,
      times,
      uuid ? new Uint8Array(0) : new Uint8Array([subjectBytes.length]),
    );
    const key = keys.get(currentKid) as MacKey;
    const tag = (await key.sign(concatBytes(head, subjectBytes, scopeBytes))).subarray(0, TAG_BYTES);
    const sealed = await xorStream(await (subjectKeys.get(currentKid) as Promise<MacKey>), tag, subjectBytes);
    return base64urlEncode(concatBytes(head, sealed, scopeBytes, tag));
  }

  async function verify(token: string, verifyOptions: { scope?: string } = {}): Promise<TokenClaims> {
    let bytes: Bytes;
    try {
      bytes = base64urlDecode(token);
    } catch (cause) {
      throw invalidToken('the token is not base64url', cause);
    }
    if (bytes[0] === VERSION_SEALED) return verifySealed(bytes, verifyOptions);
    if (bytes.length < MIN_BODY_BYTES + MAC_BYTES || bytes[0] !== VERSION) throw invalidToken('the token is malformed');
    const kidLength = bytes[2] as number;
    if (kidLength === 0 || 3 + kidLength > bytes.length - MAC_BYTES) throw invalidToken('the token is malformed');
    const kid = String.fromCharCode(...bytes.subarray(3, 3 + kidLength));
    const key = KID.test(kid) ? keys.get(kid) : undefined;
    if (!key) throw invalidToken(`the token was issued under unknown key ${JSON.stringify(kid)}`);
    const body = bytes.subarray(0, bytes.length - MAC_BYTES);
    const mac = bytes.subarray(bytes.length - MAC_BYTES);
    // Compared in constant time (subtle.verify, or constantTimeEqual for an injected HMAC);
    // nothing below is trusted before it passes.
    if (!(await key.verify(mac, body))) throw invalidToken('the token signature does not match');

    return checkClaims(parseBody(body, 3 + kidLength, kid), verifyOptions);
  }

  /** A version 2 token: open the subject with the tag as IV, then check the tag over the plain body. */
  async function verifySealed(bytes: Bytes, verifyOptions: { scope?: string }): Promise<TokenClaims> {
    if (bytes.length < MIN_BODY_BYTES + TAG_BYTES) throw invalidToken('the token is malformed');
    const kidLength = bytes[2] as number;
    if (kidLength === 0 || 3 + kidLength > bytes.length - TAG_BYTES) throw invalidToken('the token is malformed');
    const kid = String.fromCharCode(...bytes.subarray(3, 3 + kidLength));
    const key = KID.test(kid) ? keys.get(kid) : undefined;
    const subjectKey = KID.test(kid) ? subjectKeys.get(kid) : undefined;
    if (!key || !subjectKey) throw invalidToken(`the token was issued under unknown key ${JSON.stringify(kid)}`);
    const body = bytes.subarray(0, bytes.length - TAG_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    // Where the sealed subject lies; a malformed length fails the tag below like any other change.
    const flags = body[1] as number;
    const at = 3 + kidLength + 6;
    const uuid = (flags & FLAG_UUID_SUBJECT) !== 0;
    const start = uuid ? at : at + 1;
    const length = uuid ? 16 : ((body[at] as number | undefined) ?? 0);
    if (flags & ~FLAG_UUID_SUBJECT || length === 0 || body.length < start + length) {
      throw invalidToken('the token is malformed');
    }
    const plain = new Uint8Array(body);
    plain.set(await xorStream(await subjectKey, tag, body.subarray(start, start + length)), start);
    const expected = (await key.sign(plain)).subarray(0, TAG_BYTES);
    if (!constantTimeEqual(expected, tag)) throw invalidToken('the token signature does not match');
    // parseBody reads the version 1 layout, which the opened body now has (after its header).
    return checkClaims(parseBody(plain, 3 + kidLength, kid), verifyOptions);
  }

  function checkClaims(claims: TokenClaims, verifyOptions: { scope?: string }): TokenClaims {
    if (Date.parse(claims.expiresAt) <= now()) {
      throw new ConsentError('token-expired', `the token expired at ${claims.expiresAt}`, {
        hint: 'Links stay valid for at least 60 days; ask for a fresh one.',
      });
    }
    if (verifyOptions.scope !== undefined && claims.scope !== verifyOptions.scope) {
      throw invalidToken(
        `the token is for ${JSON.stringify(claims.scope)}, not ${JSON.stringify(verifyOptions.scope)}`,
      );
    }
    return claims;
  }

  return { issue, verify };
}

/** `data` XOR HMAC(key, iv ‖ 0) ‖ HMAC(key, iv ‖ 1) ‖ …: encrypts and decrypts alike. */
async function xorStream(key: MacKey, iv: Bytes, data: Bytes): Promise<Bytes> {
  const out = new Uint8Array(data.length);
  for (let block = 0; block * 32 < data.length; block++) {
    const stream = await key.sign(concatBytes(iv, new Uint8Array([block])));
    for (let i = 0; i < 32 && block * 32 + i < data.length; i++) {
      out[block * 32 + i] = (data[block * 32 + i] as number) ^ (stream[i] as number);
    }
  }
  return out;
}

/** Compares every byte whatever the first difference, so the time says nothing about the tag. */
function constantTimeEqual(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Reads the authenticated body; a structural error here means a bug in the issuer, still reported as invalid. */
function parseBody(body: Bytes, offset: number, kid: string): TokenClaims {
  const flags = body[1] as number;
  if (flags & ~FLAG_UUID_SUBJECT || body.length < offset + 6) throw invalidToken('the token is malformed');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const issuedAt = view.getUint32(offset);
  const ttlDays = view.getUint16(offset + 4);
  let at = offset + 6;
  let subject: string;
  try {
    if (flags & FLAG_UUID_SUBJECT) {
      if (body.length < at + 16) throw invalidToken('the token is malformed');
      const hex = hexEncode(body.subarray(at, at + 16));
      subject = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      at += 16;
    } else {
      const length = body[at] as number;
      if (length === 0 || body.length < at + 1 + length) throw invalidToken('the token is malformed');
      subject = utf8Decode(body.subarray(at + 1, at + 1 + length));
      at += 1 + length;
    }
    const scope = utf8Decode(body.subarray(at));
    if (scope === '') throw invalidToken('the token is malformed');
    return {
      kid,
      subject,
      scope,
      issuedAt: new Date(issuedAt * 1000).toISOString(),
      expiresAt: new Date((issuedAt + ttlDays * DAY_SECONDS) * 1000).toISOString(),
    };
  } catch (cause) {
    throw cause instanceof ConsentError && cause.code === 'invalid-token'
      ? cause
      : invalidToken('the token is malformed', cause);
  }
}
