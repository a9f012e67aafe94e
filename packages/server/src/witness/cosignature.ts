import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { parseSignedNoteVerifierKey, signedNoteKeyId, signedNoteVerifierKey } from '../ledger/checkpoint-note.js';

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

/** A witness's cosigner key as the ledger is configured to trust it. */
export type CosignerKey = { readonly name: string; readonly publicKey: Buffer };

/**
 * Reads a cosigner verifier key `name+hex(key ID)+base64(0x04 || Ed25519 key)` (what a witness's
 * `GET /key` serves, and `consentkit witness init` prints): the key, or why it is not one.
 */
export const parseCosignerVerifierKey = (text: string): CosignerKey | { readonly reason: string } =>
  parseSignedNoteVerifierKey(
    text,
    COSIGNATURE_V1,
    'a witness verifier key reads name+<8 hex digits>+<base64 of 0x04 and a 32-byte Ed25519 key> (the witness prints it: consentkit witness show, or GET /key)',
  );

/**
 * Checks one signature line as `key`'s cosignature/v1 of a checkpoint whose note body (its lines
 * and final newline, no signatures) is `body`: its timestamp, or the reason it does not hold.
 */
export function verifyCosignature(
  line: string,
  body: string,
  key: CosignerKey,
): { readonly time: number } | { readonly reason: string } {
  const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})\n?$/.exec(line);
  if (!m) return { reason: 'the answer is not one signed-note signature line' };
  if (m[1] !== key.name) return { reason: `the line is signed by "${m[1]}", the key configured is "${key.name}"` };
  const bytes = Buffer.from(m[2] ?? '', 'base64');
  if (bytes.length !== 4 + 8 + 64) return { reason: 'a cosignature is key ID, timestamp and signature (76 bytes)' };
  if (!bytes.subarray(0, 4).equals(cosignerKeyId(key.name, key.publicKey)))
    return { reason: 'the cosignature names another key ID than the key configured' };
  const stamp = bytes.readBigUInt64BE(4);
  if (stamp > BigInt(Number.MAX_SAFE_INTEGER)) return { reason: 'the cosignature timestamp is out of range' };
  const time = Number(stamp);
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey.toString('base64url') },
    format: 'jwk',
  });
  if (!verify(null, cosignedMessage(body, time), publicKey, bytes.subarray(12)))
    return { reason: 'the cosignature does not verify against the key configured' };
  return { time };
}
