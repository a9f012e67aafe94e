/**
 * An outsider's verifier for the ledger's transparency log, written from the specifications and
 * importing nothing from the server's sources: RFC 9162 §2.1.1 (Merkle tree hash), §2.1.3.2
 * (verifying an inclusion proof), §2.1.4.2 (verifying a consistency proof); C2SP signed-note and
 * tlog-checkpoint (the note's form, the key hash, the Ed25519 signature). The leaf input follows
 * docs/transparency.md: the previous entry hash (32 bytes) then the entry's RFC 8785 JSON.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { canonicalize } from '@consentkit/core';

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** RFC 9162 §2.1.1: MTH over leaf inputs, by its recursive definition. */
export function merkleTreeHash(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return sha256(Buffer.from([0]), leaves[0] as Uint8Array);
  let k = 1;
  while (k << 1 < leaves.length) k <<= 1;
  return sha256(Buffer.from([1]), merkleTreeHash(leaves.slice(0, k)), merkleTreeHash(leaves.slice(k)));
}

export const leafHashOf = (input: Uint8Array) => sha256(Buffer.from([0]), input);
const node = (l: Uint8Array, r: Uint8Array) => sha256(Buffer.from([1]), l, r);

/**
 * The leaf input of an entry as docs/transparency.md and docs/ledger-entry.md define it: a version 2
 * entry's hashed body also carries its assurance and `"v": 2`; a version 1 entry's does not.
 */
export function entryLeafInput(row: {
  seq: number;
  record_id: string;
  kid: string;
  digest: string;
  jws: string;
  subject_ref: string | null;
  received_at: string;
  prev_hash: string;
  assurance?: string | null;
  entry_version?: number | null;
}): Buffer {
  const entry: Record<string, unknown> = {
    seq: Number(row.seq),
    recordId: row.record_id,
    kid: row.kid,
    digest: row.digest,
    jws: row.jws,
    subjectRef: row.subject_ref,
    receivedAt: row.received_at,
    prevHash: row.prev_hash,
  };
  if (Number(row.entry_version) === 2) {
    entry.assurance = row.assurance;
    entry.v = 2;
  }
  return Buffer.concat([Buffer.from(row.prev_hash, 'hex'), Buffer.from(canonicalize(entry), 'utf8')]);
}

/** RFC 9162 §2.1.3.2, step by step (bigint arithmetic, as the RFC's bit operations read). */
export function checkInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize - 1);
  let r = Buffer.from(leafHash);
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = node(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = node(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

/** RFC 9162 §2.1.4.2, step by step. */
export function checkConsistency(
  first: number,
  second: number,
  consistencyPath: readonly Uint8Array[],
  firstHash: Uint8Array,
  secondHash: Uint8Array,
): boolean {
  if (first === second) return consistencyPath.length === 0 && Buffer.from(firstHash).equals(secondHash);
  if (first === 0 || first > second) return false;
  if (consistencyPath.length === 0) return false;
  let path = [...consistencyPath];
  const m = BigInt(first);
  if ((m & (m - 1n)) === 0n) path = [firstHash, ...path];
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = Buffer.from(path[0] as Uint8Array);
  let sr = Buffer.from(path[0] as Uint8Array);
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = node(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0n;
}

/** A C2SP verifier key `name+hex keyhash+base64(0x01 || key)`, checked against its own key hash. */
export function parseVerifierKey(vkey: string): { name: string; key: Buffer } {
  // Key names hold no '+', the hash is hex; the base64 data may hold '+'.
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(vkey.trim());
  if (!m) throw new Error(`not a verifier key: ${vkey}`);
  const [, name, hash, data] = m as unknown as [string, string, string, string];
  const bytes = Buffer.from(data, 'base64');
  if (bytes[0] !== 0x01 || bytes.length !== 33) throw new Error('not an Ed25519 verifier key');
  const key = bytes.subarray(1);
  if (keyHashOf(name, key).toString('hex') !== hash) throw new Error('the verifier key hash does not match');
  return { name, key };
}

/** C2SP signed-note: key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
export function keyHashOf(name: string, key: Uint8Array): Buffer {
  return sha256(Buffer.from(name, 'utf8'), Buffer.from([0x0a, 0x01]), key).subarray(0, 4);
}

export type OpenedCheckpoint = { origin: string; size: number; root: Buffer };

/**
 * Parses a signed checkpoint note and verifies its Ed25519 signature by `key` under `name`;
 * throws with the reason when it does not hold.
 */
export function openCheckpoint(note: string, name: string, key: Uint8Array): OpenedCheckpoint {
  const at = note.lastIndexOf('\n\n');
  if (at < 0 || !note.endsWith('\n')) throw new Error('not a signed note');
  const text = note.slice(0, at + 1);
  const signatureLines = note.slice(at + 2, -1).split('\n');
  const publicKey = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key]),
    format: 'der',
    type: 'spki',
  });
  const wanted = keyHashOf(name, key);
  const good = signatureLines.some((line) => {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || m[1] !== name) return false;
    const sig = Buffer.from(m[2] as string, 'base64');
    return sig.subarray(0, 4).equals(wanted) && verify(null, Buffer.from(text, 'utf8'), publicKey, sig.subarray(4));
  });
  if (!good) throw new Error('no valid signature by the log key');
  const [origin, size, root] = text.split('\n');
  if (!origin || !size || !/^\d+$/.test(size) || !root) throw new Error('not a checkpoint body');
  const rootBytes = Buffer.from(root, 'base64');
  if (rootBytes.length !== 32) throw new Error('the root is not 32 bytes');
  return { origin, size: Number(size), root: rootBytes };
}
