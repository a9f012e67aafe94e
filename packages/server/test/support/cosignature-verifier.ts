/**
 * An outsider's check of a witness cosignature, written from C2SP tlog-cosignature (cosignature/v1,
 * Ed25519) and signed-note, importing nothing from the server's sources: the vkey
 * `name+hex(key ID)+base64(0x04 || key)`, the key ID SHA-256(name || 0x0A || 0x04 || key)[:4], the
 * signature line `— name base64(key ID || u64 BE timestamp || Ed25519 signature)` over
 * "cosignature/v1\ntime <t>\n" followed by the checkpoint body.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';

export type CosignerKey = { name: string; key: Buffer };

export function parseCosignerKey(vkey: string): CosignerKey {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(vkey.trim());
  if (!m) throw new Error(`not a verifier key: ${vkey}`);
  const [, name, id, data] = m as unknown as [string, string, string, string];
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length !== 33 || bytes[0] !== 0x04) throw new Error('not an Ed25519 cosignature/v1 key (type 0x04)');
  const key = bytes.subarray(1);
  if (cosignerKeyId(name, key).toString('hex') !== id) throw new Error('the key ID does not match the key');
  return { name, key };
}

export function cosignerKeyId(name: string, key: Uint8Array): Buffer {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, 0x04]), key]))
    .digest()
    .subarray(0, 4);
}

/**
 * Checks `line` (one signature line) as a cosignature by `cosigner` of the checkpoint whose note
 * body is `body` (its lines with the final newline, no signatures). The timestamp, or a reason.
 */
export function checkCosignature(line: string, body: string, cosigner: CosignerKey): number {
  const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})\n?$/.exec(line);
  if (!m) throw new Error('not a note signature line');
  if (m[1] !== cosigner.name) throw new Error(`signed by ${m[1]}, not ${cosigner.name}`);
  const bytes = Buffer.from(m[2] as string, 'base64');
  if (bytes.length !== 4 + 8 + 64) throw new Error('a cosignature is key ID, timestamp and signature: 76 bytes');
  if (!bytes.subarray(0, 4).equals(cosignerKeyId(cosigner.name, cosigner.key))) throw new Error('wrong key ID');
  const time = bytes.readBigUInt64BE(4);
  if (time >= 2n ** 63n) throw new Error('timestamp out of range');
  const message = Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, 'utf8');
  const publicKey = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), cosigner.key]),
    format: 'der',
    type: 'spki',
  });
  if (!verify(null, message, publicKey, bytes.subarray(12))) throw new Error('the cosignature does not verify');
  return Number(time);
}

/** The body of a signed note: everything up to and including the blank line's first newline. */
export function noteBody(note: string): string {
  const at = note.indexOf('\n\n');
  if (at < 0) throw new Error('not a signed note');
  return note.slice(0, at + 1);
}
