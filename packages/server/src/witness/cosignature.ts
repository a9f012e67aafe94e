import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { signedNoteKeyId, signedNoteVerifierKey } from '../ledger/checkpoint-note.js';

/**
 * A witness's cosignature on a checkpoint, as C2SP tlog-cosignature (cosignature/v1, Ed25519)
 * defines it: a signed-note signature line `— <name> base64(key ID ‖ timestamp ‖ signature)`, where
 * the key ID is SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4], the timestamp a big-endian u64 of
 * POSIX seconds, and the Ed25519 signature covers `cosignature/v1\ntime <t>\n` then the whole
 * checkpoint body (its lines and final newline, no signature lines).
 */
const COSIGNATURE_V1 = 0x04;

/** The 4-byte key ID of an Ed25519 cosigner key. */
export const cosignerKeyId = (name: string, publicKey: Uint8Array): Buffer =>
  signedNoteKeyId(name, COSIGNATURE_V1, publicKey);

/** The cosigner's verifier key (C2SP signed-note vkey, signature type 0x04). */
export const cosignerVerifierKey = (name: string, publicKey: Uint8Array): string =>
  signedNoteVerifierKey(name, COSIGNATURE_V1, publicKey);

/** The message a cosignature signs. */
export function cosignedMessage(body: string, time: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, 'utf8');
}

export type Cosigner = { readonly name: string; readonly publicKey: Buffer; readonly privateKey: KeyObject };

/** An Ed25519 cosigner from its PKCS#8 PEM private key. */
export function cosignerFromPem(name: string, pem: string): Cosigner {
  const privateKey = createPrivateKey(pem);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('the witness key is not an Ed25519 key');
  return { name, privateKey, publicKey: Buffer.from(jwk.x, 'base64url') };
}

/** Cosigns a checkpoint body at `time` (POSIX seconds): the signature line, with its newline. */
export function cosign(cosigner: Cosigner, body: string, time: number): string {
  const signature = sign(null, cosignedMessage(body, time), cosigner.privateKey);
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  const value = Buffer.concat([cosignerKeyId(cosigner.name, cosigner.publicKey), stamp, signature]).toString('base64');
  return `\u2014 ${cosigner.name} ${value}\n`;
}
