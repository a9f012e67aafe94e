// The hosted pages' body limit over real HTTP (@hono/node-server, as in production): a declared
// Content-Length is judged without reading the body, a chunked body is counted as it streams, and
// either way an oversized POST is a 413 page that writes nothing while a one-click POST still works.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLedgerKit, type LedgerKit, type LedgerPerson } from '@consentkit/test-support/server';
import { type ServerType, serve } from '@hono/node-server';
import { expect } from 'chai';

type Reply = { status: number; type: string; body: string };

/** One POST; `chunks` are written one by one without a Content-Length (chunked transfer coding). */
function post(url: string, path: string, body: { whole: string } | { chunks: string[] }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if ('whole' in body) headers['content-length'] = String(Buffer.byteLength(body.whole));
    else headers['transfer-encoding'] = 'chunked';
    const req = httpRequest(new URL(path, url), { method: 'POST', headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          body: Buffer.concat(parts).toString('utf8'),
        }),
      );
    });
    // The server may answer 413 and close before the whole body is sent.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? undefined : reject(error)));
    if ('whole' in body) req.end(body.whole);
    else {
      for (const chunk of body.chunks) req.write(chunk);
      req.end();
    }
  });
}

const ONE_CLICK = 'List-Unsubscribe=One-Click';
const OVERSIZED = `${ONE_CLICK}&pad=${'x'.repeat(64 * 1024)}`;

describe('hosted pages: the body limit over real HTTP', () => {
  let kit: LedgerKit;
  let server: ServerType;
  let url: string;
  before(async () => {
    kit = await createLedgerKit();
    server = await new Promise((resolve) => {
      const s = serve({ fetch: kit.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((done) => server.close(() => done()));
    await kit.close();
    expect(kit.logged).to.deep.equal([]);
  });

  const unsubscribeLink = async (person: LedgerPerson) => `/u/${await person.token('unsubscribe:marketing')}`;

  it('a one-click POST with a Content-Length unsubscribes (the form is read off the socket)', async () => {
    const person = await kit.person();
    const r = await post(url, await unsubscribeLink(person), { whole: ONE_CLICK });
    expect(r.status).to.equal(200);
    expect(await person.transitions()).to.equal(1);
  });

  it('a chunked one-click POST unsubscribes too', async () => {
    const person = await kit.person();
    const r = await post(url, await unsubscribeLink(person), { chunks: ['List-Unsubscribe=', 'One-Click'] });
    expect(r.status).to.equal(200);
    expect(await person.transitions()).to.equal(1);
  });

  it('an oversized Content-Length is a 413 page and writes nothing', async () => {
    const person = await kit.person();
    const r = await post(url, await unsubscribeLink(person), { whole: OVERSIZED });
    expect(r.status).to.equal(413);
    expect(r.type).to.match(/^text\/html/);
    expect(await person.transitions()).to.equal(0);
  });

  it('an oversized chunked body is a 413 page and writes nothing', async () => {
    const person = await kit.person();
    const chunks = Array.from({ length: 17 }, (_, i) => (i === 0 ? `${ONE_CLICK}&pad=` : 'x'.repeat(1024)));
    const r = await post(url, await unsubscribeLink(person), { chunks });
    expect(r.status).to.equal(413);
    expect(r.type).to.match(/^text\/html/);
    expect(await person.transitions()).to.equal(0);
  });
});
