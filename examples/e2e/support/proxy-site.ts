/**
 * A site on its own origin (a node:http server on a free port, another origin than the ledger):
 * its pages come from the test, the built drop-in is served under /assets/, and everything else
 * is the ledger's API by proxy, so a page can talk to the real ledger as if it were mounted beside
 * it. A test can hold back the drop-in's files whose names match a pattern (`hold`), to prove the
 * page works without them, refuse them (the connection dropped), and count how often each was asked for.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { readBody, sendResponse, type TestLedger, toRequest, WIDGET_DIST } from './ledger.js';

export type ProxySite = {
  readonly origin: string;
  /** Holds every request for an /assets/ file whose name matches `pattern` until `release()`. */
  hold(pattern: RegExp): void;
  /** Answers every held request and serves the held files again from now on. */
  release(): void;
  /** Drops the connection of every request for an /assets/ file matching `pattern` (undefined: none). */
  refuse(pattern: RegExp | undefined): void;
  /** How many times /assets/ files matching `pattern` were asked for since the site started. */
  requests(pattern: RegExp): number;
  close(): Promise<void>;
};

/** Headers that belong to one connection, not to the request a proxy passes on. */
const HOP_BY_HOP = ['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade'];

/** Starts the site: `page(url)` answers `/page` (its query is the test's), the rest as above. */
export async function startSite(ledger: TestLedger, page: (url: URL) => string): Promise<ProxySite> {
  const asked: string[] = [];
  let held: RegExp | undefined;
  let refused: RegExp | undefined;
  let waiting: Array<() => void> = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site.test');
    if (url.pathname === '/page') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(page(url));
      return;
    }
    if (url.pathname.startsWith('/assets/')) {
      const name = url.pathname.slice('/assets/'.length);
      const file = normalize(join(WIDGET_DIST, name));
      if (!file.startsWith(WIDGET_DIST) || !file.endsWith('.js')) {
        res.statusCode = 404;
        res.end();
        return;
      }
      asked.push(name);
      if (refused?.test(name)) {
        req.socket.destroy();
        return;
      }
      const serve = () => {
        res.setHeader('content-type', 'text/javascript; charset=utf-8');
        res.end(readFileSync(file));
      };
      if (held?.test(name)) waiting.push(serve);
      else serve();
      return;
    }
    // Everything else is the ledger's, on this origin: forwarded as is. A ledger that does not
    // answer (the network cut) makes this connection drop too, as it would for a mounted ledger.
    void (async () => {
      try {
        const incoming = toRequest(req, await readBody(req), ledger.url);
        const headers = new Headers(incoming.headers);
        for (const hop of HOP_BY_HOP) headers.delete(hop);
        const answer = await fetch(new Request(incoming, { headers }));
        // fetch has already decoded the body: its encoding and length headers no longer apply.
        const back = new Headers(answer.headers);
        for (const stale of ['content-encoding', 'content-length', ...HOP_BY_HOP]) back.delete(stale);
        const response = new Response(answer.body, { status: answer.status, headers: back });
        await sendResponse(res, response, req.method === 'HEAD');
      } catch {
        req.socket.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const release = () => {
    held = undefined;
    const answers = waiting;
    waiting = [];
    for (const answer of answers) answer();
  };
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: (pattern) => {
      held = pattern;
    },
    release,
    refuse: (pattern) => {
      refused = pattern;
    },
    requests: (pattern) => asked.filter((name) => pattern.test(name)).length,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
