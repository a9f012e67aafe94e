import { createHmac } from 'node:crypto';

/**
 * HMAC-SHA-256 on node:crypto, synchronous on the calling thread: what the server hands core's
 * token codec (`createTokenCodec({ hmac })`). WebCrypto's HMAC is a job on the libuv pool; every
 * one-click POST ran four of them (check the link's tag and open its subject, then seal and tag
 * the preference link) and waited for a pool thread each time. node-hmac.node.test.ts holds it to WebCrypto's bytes
 * over 10,000 keys and messages, and the codec's tokens to the WebCrypto codec's.
 */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array<ArrayBuffer> {
  // A copy of the 32 bytes: the digest's Buffer may be a view into Node's shared pool.
  return new Uint8Array(createHmac('sha256', key).update(data).digest());
}
