/** SHA-256 through WebCrypto, and the record digest (SHA-256 of the RFC 8785 form, ADR 0002). */
import { canonicalize, type JsonValue } from './canonical-json.js';
import { type Bytes, hexEncode, toBytes, utf8Encode } from './encoding.js';

export async function sha256(data: Uint8Array | string): Promise<Bytes> {
  const bytes = typeof data === 'string' ? utf8Encode(data) : toBytes(data);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/** Lowercase hex SHA-256; strings are hashed as their UTF-8 bytes. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  return hexEncode(await sha256(data));
}

/** `sha256Hex(canonicalize(value))`: equal JSON values give equal digests whatever the key order. */
export async function digestOf(value: JsonValue): Promise<string> {
  return sha256Hex(canonicalize(value));
}
