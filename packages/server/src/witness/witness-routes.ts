import { Hono } from 'hono';
import type { Witness } from './witness.js';
import { WitnessError } from './witness-error.js';

/**
 * The witness over HTTP, as C2SP tlog-witness defines `add-checkpoint`: the body is `old <size>`,
 * the consistency proof (one base64 hash a line, at most 63), a blank line, then the signed
 * checkpoint; the answer is the cosignature line (200) or a refusal, 409 carrying the size this
 * witness last cosigned (`text/x.tlog.size`). A refusal's reason is also in `Witness-Refusal`
 * (409's body is only the size). `GET /checkpoint` is the last cosigned checkpoint, `GET /key` the
 * witness's verifier key: what an auditor fetches.
 */
const MAX_BODY = 64 * 1024;

function parseRequest(body: string): { oldSize: number; proof: Buffer[]; note: string } {
  const blank = body.indexOf('\n\n');
  if (blank < 0)
    throw new WitnessError(400, 'the body is "old <size>", proof lines, a blank line, then the checkpoint');
  const head = body.slice(0, blank).split('\n');
  const old = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? '');
  if (!old) throw new WitnessError(400, 'the first line must be "old <size>" (decimal, no leading zeroes)');
  const lines = head.slice(1);
  if (lines.length > 63) throw new WitnessError(400, 'a consistency proof has at most 63 hashes');
  const proof = lines.map((line) => {
    const hash = Buffer.from(line, 'base64');
    if (hash.length !== 32 || hash.toString('base64') !== line)
      throw new WitnessError(400, 'each proof line must be one 32-byte hash in base64');
    return hash;
  });
  return { oldSize: Number(old[1]), proof, note: body.slice(blank + 2) };
}

const text = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });

export function createWitnessRoutes(options: { readonly witness: Witness }): Hono {
  const { witness } = options;
  const app = new Hono();
  app.post('/add-checkpoint', async (c) => {
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > MAX_BODY) return text(`a checkpoint request is at most ${MAX_BODY} bytes`, 413);
    const body = await c.req.text();
    if (body.length > MAX_BODY) return text(`a checkpoint request is at most ${MAX_BODY} bytes`, 413);
    try {
      return text(await witness.add(parseRequest(body)));
    } catch (error) {
      if (!(error instanceof WitnessError)) throw error;
      const reason = { 'Witness-Refusal': error.detail.replace(/[^\x20-\x7e]/g, '?') };
      if (error.status === 409 && error.latestSize !== undefined)
        return new Response(`${error.latestSize}\n`, {
          status: 409,
          headers: { 'content-type': 'text/x.tlog.size', ...reason },
        });
      return text(`${error.detail}\n`, error.status, reason);
    }
  });
  app.get('/checkpoint', () => {
    const latest = witness.latest();
    return latest ? text(latest.note) : text('this witness has cosigned no checkpoint yet\n', 404);
  });
  app.get('/key', () => text(`${witness.verifierKey}\n`));
  return app;
}
