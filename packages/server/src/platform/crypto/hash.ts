import { createHash, hash } from 'node:crypto';

/**
 * core's `sha256Hex` on node:crypto: the same lowercase hex digest, synchronous, with no
 * thread-pool hop (ingest and the ledger hash every record and entry).
 */
export const sha256HexSync = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * SHA-256 of one buffer, raw. One-shot, not a `createHash` object: for inputs of a few hundred
 * bytes the object's setup costs as much as the hashing (the Merkle tree's node hashes).
 */
export const sha256Sync = (data: Uint8Array): Buffer => hash('sha256', data, 'buffer');
