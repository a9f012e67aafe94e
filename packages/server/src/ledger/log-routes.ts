import { Hono } from 'hono';
import { z } from 'zod';
import type { Keyring } from '../platform/crypto/keyring.js';
import { HttpError } from '../platform/http/errors.js';
import { validate } from '../platform/http/validate.js';
import type { Queryable } from '../platform/store/store.js';
import { verifierKey } from './checkpoint-note.js';
import { consistencyProof, inclusionProof, signedHeadOf } from './log-proofs.js';
import { createSignedHeadCache } from './signed-head-cache.js';
import type { MerkleTree } from './tree-builder.js';

const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const inclusionQuerySchema = z
  .object({
    record: z.string().min(1).max(200).optional().describe('the record id whose entry to prove'),
    index: size.optional().describe('or the leaf index (entry seq − 1)'),
    size: size.optional().describe('the tree size to prove against (default: the current signed head)'),
  })
  .refine((q) => (q.record === undefined) !== (q.index === undefined), {
    message: 'give exactly one of record (a record id) or index (a leaf index)',
  });

export const consistencyQuerySchema = z.object({
  from: size.describe('the earlier tree size'),
  to: size.optional().describe('the later tree size (default: the current signed head)'),
});

export const inclusionProofSchema = z
  .object({
    index: z.number().int().describe('the leaf index (entry seq − 1)'),
    size: z.number().int().describe('the tree size the proof is for'),
    leafHash: z.string().describe('base64 SHA-256(0x00 || leaf input) of the entry'),
    proof: z.array(z.string()).describe('base64 node hashes, leaf side first (RFC 9162 §2.1.3)'),
    checkpoint: z.string().describe('the signed checkpoint note of the current head (C2SP tlog-checkpoint)'),
  })
  .meta({ id: 'InclusionProof' });

export const consistencyProofSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    proof: z.array(z.string()).describe('base64 node hashes (RFC 9162 §2.1.4)'),
    checkpoint: z.string().describe('the signed checkpoint note of the current head'),
  })
  .meta({ id: 'ConsistencyProof' });

export type LogRoutesOptions = {
  readonly store: Queryable;
  readonly keyring: Keyring;
  readonly tree: MerkleTree;
  /** How old the signed head an inclusion proof is made against may be (default 1,000 ms). */
  readonly headMaxAgeMs?: number;
};

const b64 = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('base64'));

/**
 * The transparency log, public like the JWKS (R72): the latest signed checkpoint, its verifier
 * key, inclusion proofs by record id or leaf index, consistency proofs between two sizes.
 */
export function createLogRoutes(options: LogRoutesOptions): Hono {
  const { store, tree } = options;
  const heads = createSignedHeadCache({
    store,
    ...(options.headMaxAgeMs === undefined ? {} : { maxAgeMs: options.headMaxAgeMs }),
  });
  const app = new Hono();
  const text = (body: string) =>
    new Response(body, {
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' },
    });

  // The head's note with the cosignatures of the witnesses that signed this size and root (C2SP
  // signed-note: extra signature lines after the log's own); each verified when it was received.
  app.get('/v1/log/checkpoint', async () => {
    const head = await signedHeadOf(store);
    const lines = await store.query<{ line: string }>(
      'SELECT line FROM witness_cosignatures WHERE size = $1 AND root = $2 ORDER BY witness',
      [head.size, head.root.toString('base64')],
    );
    return text(head.note + lines.map((r) => `${r.line}\n`).join(''));
  });

  app.get('/v1/log/key', async () => {
    const head = await signedHeadOf(store);
    return text(`${verifierKey(head.origin, options.keyring.checkpoint.publicKey)}\n`);
  });

  app.get('/v1/log/inclusion', async (c) => {
    const query = validate(inclusionQuerySchema, c.req.query(), 'the query');
    let index = query.index;
    if (query.record !== undefined) {
      const rows = await store.query<{ seq: number }>('SELECT seq FROM ledger_entries WHERE record_id = $1', [
        query.record,
      ]);
      if (!rows[0]) throw new HttpError(404, `no record ${query.record} in this ledger`, { code: 'not-found' });
      index = Number(rows[0].seq) - 1;
    }
    // A head up to a second old serves (signed-head-cache.ts); a leaf or size past it reads the newest.
    let head = await heads.get();
    if ((query.size ?? 0) > head.size || (query.size === undefined && (index ?? 0) >= head.size))
      head = await heads.fresh();
    const at = query.size ?? head.size;
    if (at > head.size)
      throw new HttpError(400, `size ${at} is past the signed head (${head.size} entries)`, {
        code: 'invalid-request',
      });
    if (index === undefined || index >= at)
      throw new HttpError(400, `leaf ${index} is not in a tree of ${at} entries`, { code: 'invalid-request' });
    const { leaf, proof } = await inclusionProof(store, tree, index, at);
    return c.json({ index, size: at, leafHash: leaf.toString('base64'), proof: b64(proof), checkpoint: head.note });
  });

  app.get('/v1/log/consistency', async (c) => {
    const query = validate(consistencyQuerySchema, c.req.query(), 'the query');
    const head = await signedHeadOf(store);
    const to = query.to ?? head.size;
    if (to > head.size || query.from > to)
      throw new HttpError(400, `sizes must satisfy from ≤ to ≤ ${head.size} (the signed head)`, {
        code: 'invalid-request',
      });
    const proof = await consistencyProof(store, tree, query.from, to);
    return c.json({ from: query.from, to, proof: b64(proof), checkpoint: head.note });
  });
  return app;
}
