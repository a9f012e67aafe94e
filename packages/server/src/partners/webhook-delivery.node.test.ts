/**
 * Partner webhook delivery (third parties). The partner is a real node:http server on a
 * local port that verifies each signature as a partner would; msw injects the faults a real server
 * cannot produce on demand as cleanly (500 bursts, dropped connections, hangs) at the HTTP boundary.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backoffCeiling, ConsentError } from '@consentkit/core';
import { expect } from 'chai';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { createWebhookDeliverer, type WebhookDelivererOptions, type WebhookEvent } from './webhook-delivery.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = 'whsec_partner_secret';

function event(id = 'evt_0001'): WebhookEvent {
  return {
    id,
    type: 'consent.withdrawn',
    createdAt: '2026-11-28T12:00:00.000Z',
    data: { subject: 'ref:abc', purpose: 'partner-sharing' },
  };
}

type Received = { headers: IncomingMessage['headers']; body: string; verified: boolean };
type Responder = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A partner endpoint: verifies the signature on the raw body, then answers as `respond` says. */
async function startPartner(
  respond: Responder,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = verifyWebhookSignature({
        header: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined,
        body,
        secret: SECRET,
      }).ok;
      received.push({ headers: req.headers, body, verified });
      respond(req, res, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/consent`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Records the backoff waits instead of sleeping them, so the schedule itself can be checked. */
function deliverer(overrides: Partial<WebhookDelivererOptions> = {}) {
  const waits: number[] = [];
  const d = createWebhookDeliverer({
    maxAttempts: 4,
    backoff: { baseMs: 100, maxMs: 1000 },
    timeoutMs: 2000,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
    ...overrides,
  });
  return { deliverer: d, waits };
}

describe('webhook delivery to a real partner server', () => {
  let partner: Awaited<ReturnType<typeof startPartner>> | undefined;
  afterEach(async () => {
    await partner?.close();
    partner = undefined;
  });

  it('POSTs the JSON event with a signature the partner verifies', async () => {
    partner = await startPartner((_req, res) => {
      res.writeHead(204).end();
    });
    const { deliverer: d } = deliverer();
    const result = await d.deliver({ url: partner.url, secret: SECRET, event: event() });
    expect(result.delivered).to.equal(true);
    expect(result.log).to.have.length(1);
    expect(result.log[0]).to.include({ attempt: 1, status: 204, error: null });
    expect(Number.isNaN(Date.parse(result.log[0]?.at ?? ''))).to.equal(false);
    const [request] = partner.received;
    expect(request?.verified).to.equal(true);
    expect(JSON.parse(request?.body ?? '')).to.deep.equal(event());
    expect(request?.headers['content-type']).to.equal('application/json');
    expect(request?.headers['consentkit-event-id']).to.equal('evt_0001');
  });

  it('retries 503s with exponential backoff, re-signing each attempt, then succeeds', async () => {
    partner = await startPartner((_req, res, n) => {
      res.writeHead(n < 3 ? 503 : 200).end();
    });
    const { deliverer: d, waits } = deliverer();
    const result = await d.deliver({ url: partner.url, secret: SECRET, event: event() });
    expect(result.delivered).to.equal(true);
    expect(result.log.map((a) => a.status)).to.deep.equal([503, 503, 200]);
    expect(result.log.map((a) => a.attempt)).to.deep.equal([1, 2, 3]);
    expect(waits).to.deep.equal([100, 200]);
    expect(partner.received.every((r) => r.verified)).to.equal(true);
    expect(new Set(partner.received.map((r) => r.headers['consentkit-event-id']))).to.deep.equal(new Set(['evt_0001']));
    expect(partner.received.map((r) => r.headers['consentkit-delivery-attempt'])).to.deep.equal(['1', '2', '3']);
  });

  it("honours a 429's Retry-After when it asks for longer than the backoff", async () => {
    partner = await startPartner((_req, res, n) => {
      if (n === 1) res.writeHead(429, { 'retry-after': '3' }).end();
      else res.writeHead(200).end();
    });
    const { deliverer: d, waits } = deliverer({ maxRetryAfterMs: 60_000 });
    const result = await d.deliver({ url: partner.url, secret: SECRET, event: event() });
    expect(result.delivered).to.equal(true);
    expect(waits).to.deep.equal([3000]);
    expect(result.log[0]).to.include({ status: 429, retryInMs: 3000 });
  });

  it('gives up after maxAttempts, logging every attempt', async () => {
    partner = await startPartner((_req, res) => {
      res.writeHead(500).end('boom');
    });
    const { deliverer: d, waits } = deliverer({ maxAttempts: 3 });
    const result = await d.deliver({ url: partner.url, secret: SECRET, event: event() });
    expect(result).to.include({ delivered: false, gaveUp: 'max-attempts', eventId: 'evt_0001' });
    expect(result.log.map((a) => [a.attempt, a.status, a.error])).to.deep.equal([
      [1, 500, 'HTTP 500'],
      [2, 500, 'HTTP 500'],
      [3, 500, 'HTTP 500'],
    ]);
    expect(waits).to.have.length(2);
    expect(partner.received).to.have.length(3);
  });

  it('does not retry a 4xx rejection and does not follow redirects', async () => {
    partner = await startPartner((req, res) => {
      if (req.url?.endsWith('/moved')) res.writeHead(302, { location: '/elsewhere' }).end();
      else res.writeHead(401).end();
    });
    const { deliverer: d } = deliverer();
    const rejected = await d.deliver({ url: partner.url, secret: SECRET, event: event() });
    expect(rejected).to.include({ delivered: false, gaveUp: 'rejected' });
    expect(rejected.log).to.have.length(1);
    const moved = await d.deliver({ url: partner.url.replace('/consent', '/moved'), secret: SECRET, event: event() });
    expect(moved).to.include({ delivered: false, gaveUp: 'rejected' });
    expect(moved.log[0]?.status).to.equal(302);
    // One request each: nothing was retried and the redirect target was never called.
    expect(partner.received.map((r) => r.headers['consentkit-delivery-attempt'])).to.deep.equal(['1', '1']);
  });

  it('retries when the partner drops the connection (real socket reset)', async () => {
    partner = await startPartner((req, res, n) => {
      if (n === 1) req.socket.destroy();
      else res.writeHead(200).end();
    });
    const { deliverer: d } = deliverer();
    const result = await d.deliver({ url: partner.url, secret: SECRET, event: event() });
    expect(result.delivered).to.equal(true);
    expect(result.log[0]?.status).to.equal(null);
    expect(result.log[0]?.error).to.be.a('string').and.not.equal('');
    expect(result.log[1]?.status).to.equal(200);
  });

  it('really sleeps between attempts by default', async () => {
    partner = await startPartner((_req, res, n) => {
      res.writeHead(n === 1 ? 502 : 200).end();
    });
    const d = createWebhookDeliverer({ maxAttempts: 2, backoff: { baseMs: 60, maxMs: 60, jitter: 0 } });
    const started = Date.now();
    const result = await d.deliver({ url: partner.url, secret: SECRET, event: event() });
    expect(result.delivered).to.equal(true);
    expect(Date.now() - started).to.be.at.least(55);
    expect(result.log[0]?.retryInMs).to.equal(60);
  });
});

describe('webhook delivery under injected faults (msw)', () => {
  const URL = 'https://partner.example/hooks/consent';
  const server = setupServer();
  before(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  after(() => server.close());

  it('rides out a burst of 500s', async () => {
    let calls = 0;
    server.use(
      http.post(URL, () => {
        calls += 1;
        return calls <= 3 ? new HttpResponse('down', { status: 500 }) : new HttpResponse(null, { status: 200 });
      }),
    );
    const { deliverer: d, waits } = deliverer({ maxAttempts: 5 });
    const result = await d.deliver({ url: URL, secret: SECRET, event: event() });
    expect(result.delivered).to.equal(true);
    expect(result.log.map((a) => a.status)).to.deep.equal([500, 500, 500, 200]);
    expect(waits).to.deep.equal([100, 200, 400]);
  });

  it('retries a dropped connection (network error)', async () => {
    let calls = 0;
    server.use(
      http.post(URL, () => {
        calls += 1;
        return calls === 1 ? HttpResponse.error() : new HttpResponse(null, { status: 202 });
      }),
    );
    const { deliverer: d } = deliverer();
    const result = await d.deliver({ url: URL, secret: SECRET, event: event() });
    expect(result.delivered).to.equal(true);
    expect(result.log[0]).to.include({ status: null });
    expect(result.log[0]?.error).to.be.a('string').and.not.equal('');
    expect(result.log[1]).to.include({ status: 202, error: null });
  });

  it('times out a hanging partner and tries again', async () => {
    let calls = 0;
    server.use(
      http.post(URL, async () => {
        calls += 1;
        if (calls === 1) await delay(2000);
        return new HttpResponse(null, { status: 200 });
      }),
    );
    const { deliverer: d } = deliverer({ timeoutMs: 100 });
    const result = await d.deliver({ url: URL, secret: SECRET, event: event() });
    expect(result.delivered).to.equal(true);
    expect(result.log[0]).to.include({ status: null, error: 'timed out after 100 ms' });
    expect(result.log[0]?.durationMs).to.be.below(1500);
    expect(result.log[1]?.status).to.equal(200);
  });

  it('signs every attempt so the partner can verify it', async () => {
    const verdicts: boolean[] = [];
    server.use(
      http.post(URL, async ({ request }) => {
        const body = await request.text();
        verdicts.push(
          verifyWebhookSignature({ header: request.headers.get(SIGNATURE_HEADER), body, secret: SECRET }).ok,
        );
        return new HttpResponse(null, { status: verdicts.length === 1 ? 503 : 200 });
      }),
    );
    const { deliverer: d } = deliverer();
    await d.deliver({ url: URL, secret: SECRET, event: event() });
    expect(verdicts).to.deep.equal([true, true]);
  });

  it('uses an injected fetch when given', async () => {
    const seen: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response(null, { status: 200 });
    };
    const { deliverer: d } = deliverer({ fetch: fakeFetch });
    const result = await d.deliver({ url: 'https://injected.example/x', secret: SECRET, event: event() });
    expect(result.delivered).to.equal(true);
    expect(seen).to.deep.equal(['https://injected.example/x']);
  });
});

describe('webhook backoff schedule', () => {
  it('grows exponentially to the ceiling, with jitter drawn below each step', () => {
    const backoff = { baseMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffCeiling({ ...backoff, attempt }))).to.deep.equal([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffCeiling({ baseMs: 100, maxMs: 10_000, factor: 3, attempt: 3 })).to.equal(900);
  });

  it('applies jitter within [(1 − jitter)·d, d]', async () => {
    const URL = 'https://jitter.example/hook';
    const waits: number[] = [];
    let calls = 0;
    const d = createWebhookDeliverer({
      maxAttempts: 3,
      backoff: { baseMs: 1000, maxMs: 10_000, jitter: 0.5 },
      fetch: async () => {
        calls += 1;
        return new Response(null, { status: 503 });
      },
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.999,
    });
    await d.deliver({ url: URL, secret: SECRET, event: event() });
    expect(calls).to.equal(3);
    expect(waits).to.deep.equal([Math.round(1000 * (1 - 0.5 * 0.999)), Math.round(2000 * (1 - 0.5 * 0.999))]);
  });

  it('rejects nonsensical options', () => {
    expect(() => createWebhookDeliverer({ maxAttempts: 0, backoff: { baseMs: 1, maxMs: 1 } }))
      .to.throw(ConsentError)
      .with.property('code', 'invalid-options');
    expect(() => createWebhookDeliverer({ maxAttempts: 2, backoff: { baseMs: 1, maxMs: 1, jitter: 2 } }))
      .to.throw(ConsentError)
      .with.property('code', 'invalid-options');
  });
});
