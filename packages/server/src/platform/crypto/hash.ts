import { createHash } from 'node:crypto';

/**
 * core's `sha256Hex` on node:crypto: the same lowercase hex digest, synchronous, with no
 * thread-pool hop (ingest and the ledger hash every record and entry).
 */
export const sha256HexSync = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
