import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConsentError } from '@consentkit/core';

/**
 * AES-256-GCM sealing under one 32-byte key, on node:crypto (no key import, no thread-pool hop, so
 * ingest can seal an opening per person cheaply). A sealed value is base64url of
 * `iv (12 bytes) ‖ ciphertext ‖ tag (16 bytes)`, WebCrypto's AES-GCM layout; the associated data
 * binds it to its row (kid, record id) so a sealed secret copied to another row does not open.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type CryptoBox = {
  seal(plaintext: Uint8Array, associatedData: string): Promise<string>;
  open(sealed: string, associatedData: string): Promise<Uint8Array>;
};

export function createCryptoBox(options: { readonly key: Uint8Array }): CryptoBox {
  if (options.key.byteLength !== 32) {
    throw new ConsentError('invalid-key', `an AES-256-GCM key is 32 bytes, not ${options.key.byteLength}`);
  }
  const key = Buffer.from(options.key);
  return {
    async seal(plaintext, associatedData) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    async open(sealed, associatedData) {
      const bytes = Buffer.from(sealed, 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) {
        throw new ConsentError('invalid-token', 'the sealed value is too short to be AES-256-GCM output');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return new Uint8Array(plain);
    },
  };
}
