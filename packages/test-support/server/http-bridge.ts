/**
 * node:http ⇄ fetch: the ledger's app (a `(Request) => Response` handler) served on a real port,
 * for tests whose client must go through real HTTP (the SDK's attestor, the e2e ledger).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A node:http request's body (small here: forms and record batches). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** node:http → fetch Request, with the body already read (the fault suite inspects it first). */
export function toRequest(req: IncomingMessage, body: Buffer, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && body.length > 0;
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  });
}

/** fetch Response → node:http (every Set-Cookie kept as its own header). */
export async function sendResponse(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  const body = head ? undefined : Buffer.from(await response.arrayBuffer());
  res.end(body);
}

export type ServedApp = { readonly url: string; close(): Promise<void> };

/** Serves `handler` on 127.0.0.1 at a port the OS picks; `close()` stops it. */
export async function serveOverHttp(handler: (request: Request) => Response | Promise<Response>): Promise<ServedApp> {
  let origin = '';
  const server = createServer((req, res) => {
    void (async () => {
      try {
        await sendResponse(res, await handler(toRequest(req, await readBody(req), origin)), req.method === 'HEAD');
      } catch (error) {
        res.statusCode = 500;
        res.end(String(error));
      }
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
