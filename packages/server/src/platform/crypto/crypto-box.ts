/**
 * AES-256-GCM sealing under one 32-byte key (WebCrypto). A sealed value is base64url of
 * `iv (12 bytes) ‖ ciphertext+tag`; the associated data binds it to its row (kid, record id) so a
 * sealed secret copied to another row does not open.
 */
const IV_BYTES = 12;

export type CryptoBox = {
  seal(plaintext: Uint8Array, associatedData: string): Promise<string>;
  open(sealed: string, associatedData: string): Promise<Uint8Array>;
};

export async function createCryptoBox(options: { readonly key: Uint8Array }): Promise<CryptoBox> {
  if (options.key.byteLength !== 32) throw new Error('an AES-256-GCM key is 32 bytes');
  const key = await crypto.subtle.importKey('raw', toBuffer(options.key), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const aad = (text: string) => toBuffer(new TextEncoder().encode(text));
  return {
    async seal(plaintext, associatedData) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv, additionalData: aad(associatedData) },
          key,
          toBuffer(plaintext),
        ),
      );
      const out = new Uint8Array(IV_BYTES + sealed.byteLength);
      out.set(iv);
      out.set(sealed, IV_BYTES);
      return Buffer.from(out).toString('base64url');
    },
    async open(sealed, associatedData) {
      const bytes = new Uint8Array(Buffer.from(sealed, 'base64url'));
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: bytes.slice(0, IV_BYTES), additionalData: aad(associatedData) },
        key,
        bytes.slice(IV_BYTES),
      );
      return new Uint8Array(plain);
    },
  };
}

/** A copy on its own ArrayBuffer, which WebCrypto's BufferSource typing wants. */
export function toBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
