/**
 * Unsubscribe / preference-link tokens (R36, R42): short, URL-safe, opaque, HMAC-SHA256.
 *
 * Layout (bytes, then base64url without padding; one string, no separators):
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
};

export type TokenCodec = {
  issue(options: { subject: string; scope: string; ttlDays?: number }): Promise<string>;
  verify(token: string, options?: { scope?: string }): Promise<TokenClaims>;
};

/** CASL s.11 (R36): an unsubscribe link must keep working for at least 60 days. */
export const MIN_TOKEN_TTL_DAYS = 60;
export const DEFAULT_TOKEN_TTL_DAYS = 365;

const VERSION = 0x01;
const FLAG_UUID_SUBJECT = 0x01;
const MAC_BYTES = 32;
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

export function createTokenCodec(options: TokenCodecOptions): TokenCodec {
  const now = options.now ?? Date.now;
  const keys = new Map<string, Promise<CryptoKey>>();
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
    // Imported once, non-extractable, usable only for HMAC-SHA256.
    keys.set(
      kid,
      crypto.subtle.importKey('raw', toBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
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
    const body = concatBytes(
      new Uint8Array([VERSION, uuid ? FLAG_UUID_SUBJECT : 0, kid.length]),
      kid,
      times,
      uuid ? new Uint8Array(0) : new Uint8Array([subjectBytes.length]),
      subjectBytes,
      scopeBytes,
    );
    const key = await (keys.get(currentKid) as Promise<CryptoKey>);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, body));
    return base64urlEncode(concatBytes(body, mac));
  }

  async function verify(token: string, verifyOptions: { scope?: string } = {}): Promise<TokenClaims> {
    let bytes: Bytes;
    try {
      bytes = base64urlDecode(token);
    } catch (cause) {
      throw invalidToken('the token is not base64url', cause);
    }
    if (bytes.length < MIN_BODY_BYTES + MAC_BYTES || bytes[0] !== VERSION) throw invalidToken('the token is malformed');
    const kidLength = bytes[2] as number;
    if (kidLength === 0 || 3 + kidLength > bytes.length - MAC_BYTES) throw invalidToken('the token is malformed');
    const kid = String.fromCharCode(...bytes.subarray(3, 3 + kidLength));
    const key = KID.test(kid) ? keys.get(kid) : undefined;
    if (!key) throw invalidToken(`the token was issued under unknown key ${JSON.stringify(kid)}`);
    const body = bytes.subarray(0, bytes.length - MAC_BYTES);
    const mac = bytes.subarray(bytes.length - MAC_BYTES);
    // subtle.verify compares the MAC in constant time; nothing below is trusted before it passes.
    if (!(await crypto.subtle.verify('HMAC', await key, mac, body)))
      throw invalidToken('the token signature does not match');

    const claims = parseBody(body, 3 + kidLength, kid);
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
