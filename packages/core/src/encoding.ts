/**
 * Byte encodings used on the wire: UTF-8, base64url without padding (RFC 4648 §5), lowercase hex.
 * Decoders are strict (no padding, no whitespace, canonical trailing bits) so that one byte string
 * has exactly one text form: a token or signature altered in any character never decodes to the
 * same bytes. Malformed input is reported as `invalid-token`, because what we decode arrived from
 * outside.
 */
import { ConsentError } from './errors.js';

/** Bytes backed by a plain ArrayBuffer, which is what WebCrypto accepts as a `BufferSource`. */
export type Bytes = Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();
// fatal: invalid UTF-8 must fail loudly rather than turn into U+FFFD and verify as something else.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Encode(text: string): Bytes {
  return encoder.encode(text);
}

export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new ConsentError('invalid-token', 'bytes are not valid UTF-8', { cause });
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function base64urlEncode(bytes: Uint8Array): string {
  const char = (sextet: number): string => ALPHABET.charAt(sextet & 63);
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += char(n >> 18) + char(n >> 12) + char(n >> 6) + char(n);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += char(n >> 18) + char(n >> 12);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += char(n >> 18) + char(n >> 12) + char(n >> 6);
  }
  return out;
}

function invalidBase64url(why: string): ConsentError {
  return new ConsentError('invalid-token', `not base64url: ${why}`, {
    hint: 'Byte strings are base64url (RFC 4648 §5) without "=" padding.',
  });
}

export function base64urlDecode(text: string): Bytes {
  if (typeof text !== 'string') throw invalidBase64url('not a string');
  if (text.length % 4 === 1) throw invalidBase64url('impossible length');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (LOOKUP[code] as number) : -1;
    if (value < 0) throw invalidBase64url(code === 61 ? 'padding is not allowed' : `bad character at ${i}`);
    buffer = ((buffer << 6) | value) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, or two texts would decode to the same bytes.
  if (bits > 0 && (buffer & ((1 << bits) - 1)) !== 0) throw invalidBase64url('non-zero trailing bits');
  return out;
}

export function hexEncode(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function hexDecode(text: string): Bytes {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new ConsentError('invalid-token', 'not a hex string of whole bytes');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concatBytes(...parts: readonly Uint8Array[]): Bytes {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A copy (or the same view) backed by an ArrayBuffer, for WebCrypto's `BufferSource`. */
export function toBytes(bytes: Uint8Array): Bytes {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Bytes) : new Uint8Array(bytes);
}

/** Constant-time comparison of two equal-length byte strings (length itself is not secret). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
