import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import type { Signer } from '@consentkit/core';

/**
 * Checkpoints in the C2SP tlog-checkpoint form: a signed note (C2SP signed-note) whose text is
 * the origin, the tree size and the base64 root, each on its own line. The signature is Ed25519
 * (algorithm byte 0x01) over the note text, prefixed by the key hash: the first 4 bytes of
 * SHA-256(key name || 0x0A || 0x01 || public key). The key name is the origin.
 */
export type Checkpoint = { readonly origin: string; readonly size: number; readonly root: Buffer };

export type NoteSignature = { readonly name: string; readonly keyHash: Buffer; readonly signature: Buffer };
export type ParsedNote = Checkpoint & { readonly text: string; readonly signatures: readonly NoteSignature[] };

const ED25519 = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';

/**
 * A signed-note key ID: SHA-256(key name || 0x0A || signature type || public key)[:4] (C2SP
 * signed-note; type 0x01 is an Ed25519 note signature, 0x04 a tlog-cosignature/v1).
 */
export function signedNoteKeyId(name: string, type: number, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(Buffer.from(`${name}\n`, 'utf8'))
    .update(Buffer.from([type]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The verifier key text of a signed-note key: `name+hex(key ID)+base64(type || public key)`. */
export function signedNoteVerifierKey(name: string, type: number, publicKey: Uint8Array): string {
  const data = Buffer.concat([Buffer.from([type]), publicKey]).toString('base64');
  return `${name}+${signedNoteKeyId(name, type, publicKey).toString('hex')}+${data}`;
}

/** The 4-byte key hash of an Ed25519 note key (C2SP signed-note "Ed25519"). */
export const noteKeyHash = (name: string, publicKey: Uint8Array): Buffer => signedNoteKeyId(name, ED25519, publicKey);

/** The checkpoint verifier key in the usual text form `name+hex(key hash)+base64(0x01 || public key)`. */
export const verifierKey = (name: string, publicKey: Uint8Array): string =>
  signedNoteVerifierKey(name, ED25519, publicKey);

/** The note text of a checkpoint (ends in a newline, as the spec requires). */
export function checkpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;
}

/** Signs a checkpoint with the ledger's checkpoint key: the whole signed note. */
export async function signCheckpointNote(signer: Signer, publicKey: Uint8Array, c: Checkpoint): Promise<string> {
  const text = checkpointText(c);
  const signature = await signer.sign(Buffer.from(text, 'utf8'));
  const line = Buffer.concat([noteKeyHash(c.origin, publicKey), Buffer.from(signature)]).toString('base64');
  return `${text}\n${SIGNATURE_PREFIX}${c.origin} ${line}\n`;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses a signed checkpoint note; a reason when it is not one. Signatures are not checked here. */
export function parseCheckpointNote(note: string): ParsedNote | { readonly reason: string } {
  if (!note.endsWith('\n')) return { reason: 'the note does not end in a newline' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the spec forbids exactly these
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) return { reason: 'the note holds a control character' };
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return { reason: 'the note has no blank line before its signatures' };
  const text = note.slice(0, split + 1);
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeText, rootText] = lines;
  if (!origin || sizeText === undefined || rootText === undefined)
    return { reason: 'a checkpoint has an origin, a tree size and a root hash, one a line' };
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText)))
    return { reason: `the tree size "${sizeText}" is not a decimal number` };
  const root = Buffer.from(rootText, 'base64');
  if (!BASE64.test(rootText) || root.length !== 32 || root.toString('base64') !== rootText)
    return { reason: 'the root hash is not 32 bytes of base64' };
  const signatures: NoteSignature[] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return { reason: `"${line.slice(0, 40)}" is not a signature line` };
    const [name, value, ...rest] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (!name || !value || rest.length > 0 || !BASE64.test(value))
      return { reason: 'a signature line is "— <key name> <base64 signature>"' };
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length < 5) return { reason: 'a signature is shorter than its key hash' };
    signatures.push({ name, keyHash: bytes.subarray(0, 4), signature: bytes.subarray(4) });
  }
  if (signatures.length === 0) return { reason: 'the note carries no signature' };
  return { origin, size: Number(sizeText), root, text, signatures };
}

/** Whether one of the note's signatures is a valid Ed25519 signature by `publicKey` under `name`. */
export function noteSignedBy(note: ParsedNote, name: string, publicKey: Uint8Array): boolean {
  const keyHash = noteKeyHash(name, publicKey);
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  return note.signatures.some(
    (s) =>
      s.name === name &&
      s.keyHash.equals(keyHash) &&
      s.signature.length === 64 &&
      verifySignature(null, Buffer.from(note.text, 'utf8'), key, s.signature),
  );
}

/**
 * Parses a checkpoint and checks it is signed by one of `keys` under its own origin: the
 * checkpoint, or the reason it is not one the ledger made.
 */
export function openCheckpointNote(
  note: string,
  keys: readonly Uint8Array[],
): ParsedNote | { readonly reason: string } {
  const parsed = parseCheckpointNote(note);
  if ('reason' in parsed) return parsed;
  if (!keys.some((k) => noteSignedBy(parsed, parsed.origin, k)))
    return { reason: `the checkpoint for ${parsed.size} entries is not signed by the ledger's checkpoint key` };
  return parsed;
}

/**
 * Reads a signed-note verifier key `name+hex(key ID)+base64(type || public key)` of an Ed25519 key
 * of signature `type` (0x01 a note signature, 0x04 a cosignature/v1): the name and the key, or
 * the reason it is not one (`form` says, in the reason, what the key should read).
 */
export function parseSignedNoteVerifierKey(
  text: string,
  type: number,
  form: string,
): { readonly name: string; readonly publicKey: Buffer } | { readonly reason: string } {
  const parts = text.trim().split('+');
  // The key name holds no '+', the hash is hex; the base64 data may hold '+', so it is the rest.
  const [name, hash] = parts;
  const data = Buffer.from(parts.slice(2).join('+'), 'base64');
  if (!name || !hash || !/^[0-9a-f]{8}$/.test(hash) || data.length !== 33 || data[0] !== type) return { reason: form };
  const publicKey = data.subarray(1);
  if (signedNoteKeyId(name, type, publicKey).toString('hex') !== hash)
    return { reason: `the key hash ${hash} does not match the key and the name ${name}` };
  return { name, publicKey };
}

/**
 * Reads a verifier key `name+hex(key hash)+base64(0x01 || public key)` (what `GET /v1/log/key`
 * serves): the name and the Ed25519 key, or the reason it is not one.
 */
export const parseVerifierKey = (text: string) =>
  parseSignedNoteVerifierKey(
    text,
    ED25519,
    'a checkpoint verifier key reads name+<8 hex digits>+<base64 of 0x01 and a 32-byte Ed25519 key>',
  );
