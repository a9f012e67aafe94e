/**
 * Failures name their code and a one-line reason: the one policy loader (static file, ledger
 * envelope, and each way it fails) against a real HTTP server, and a client nobody listens to,
 * which prints each failure's code once instead of failing silently.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedOrigin } from '@consentkit/test-support/net';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { fetchPolicy } from './backends/http/fetch-policy.js';
import { createHttpBackend } from './backends/http/http-backend.js';
import { createConsentClient } from './client.js';
import type { ConsentEvent } from './events.js';
import { createMemoryOutboxStore } from './outbox/memory-store.js';

let server: Server;
let base: string;

async function failure(promise: Promise<unknown>): Promise<{ code: string; reason: string; name: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; reason: string; name: string };
  }
  throw new Error('expected a failure');
}

before(async () => {
  server = createServer((request, response) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.url === '/policy.json') return json(200, allstreamPolicy);
    if (request.url === '/v1/policy') return json(200, { digest: 'sha-256:x', policy: allstreamPolicy });
    if (request.url === '/broken') return json(503, { error: 'down' });
    if (request.url === '/not-a-policy') return json(200, { hello: 'world' });
    return json(404, { code: 'not-found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetchPolicy: one loader, one reason per way it fails', () => {
  it('reads a bare policy file and the ledger envelope alike', async () => {
    expect((await fetchPolicy({ url: `${base}/policy.json` })).id).to.equal('allstream');
    expect((await fetchPolicy({ url: `${base}/v1/policy` })).id).to.equal('allstream');
  });

  it('an unreachable address is transport, naming the address', async () => {
    const closed = await closedOrigin();
    const error = await failure(fetchPolicy({ url: `${closed}/v1/policy` }));
    expect(error).to.include({ name: 'TransportError', code: 'transport' });
    expect(error.reason).to.equal(
      `could not load the policy from ${closed}/v1/policy: could not reach the ledger at ${closed}.`,
    );
  });

  it('a 5xx is transport (worth retrying); a 404 or a document that is not a policy is invalid-policy', async () => {
    expect(await failure(fetchPolicy({ url: `${base}/broken` }))).to.include({
      code: 'transport',
      reason: `could not load the policy from ${base}/broken: the ledger answered 503.`,
    });
    expect((await failure(fetchPolicy({ url: `${base}/nothing` }))).reason).to.equal(
      `could not load the policy from ${base}/nothing: it answered 404. Check the URL: the ledger serves its policy at {endpoint}/v1/policy.`,
    );
    expect(await failure(fetchPolicy({ url: `${base}/not-a-policy` }))).to.include({ code: 'invalid-policy' });
  });
});

describe('a client nobody listens to', () => {
  let lines: string[];
  const original = console.warn;
  beforeEach(() => {
    lines = [];
    console.warn = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  });
  afterEach(() => {
    console.warn = original;
  });

  async function captureTwice(listen: boolean): Promise<ConsentEvent[]> {
    const closed = await closedOrigin();
    const client = createConsentClient({
      policy: allstreamPolicy,
      backend: createHttpBackend({ url: closed }),
      outbox: createMemoryOutboxStore(),
      gpc: false,
      retry: { baseMs: 60_000, maxMs: 60_000 },
    });
    const events: ConsentEvent[] = [];
    if (listen) client.subscribe((event) => events.push(event));
    for (let i = 0; i < 2; i++) {
      const result = await client.capture({ decisions: [{ purpose: 'marketing', granted: false }], method: 'api' });
      expect(result.status).to.equal('pending');
    }
    await client.close();
    return events;
  }

  it('prints each failure code once, with its reason and where it is explained', async () => {
    await captureTwice(false);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(
      /^\[consentkit\] could not send consent records: could not reach the ledger at http:\/\/127\.0\.0\.1:\d+\. They stay queued and are retried\. See ConsentKit docs\/errors\.md#transport$/,
    );
  });

  it('prints nothing when a listener hears the failures', async () => {
    const events = await captureTwice(true);
    expect(events.filter((e) => e.type === 'pending').map((e) => e.type === 'pending' && e.code)).to.deep.equal([
      'transport',
      'transport',
      'transport',
    ]);
    expect(lines).to.deep.equal([]);
  });
});
