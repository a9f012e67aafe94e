// Rate limits: the real app (createLedgerContext + createApp) served over real HTTP by
// @hono/node-server on both stores; clients are told apart by their real source address (the
// test connects from 127.0.0.2, 127.0.0.3… — all loopback on Linux), or by X-Forwarded-For when a
// proxy is trusted. Limits are tiny here (a few requests a second) so the window refills fast.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestSigner, TEST_MASTER_KEY } from '@consentkit/test-support/keys';
import { testPolicy } from '@consentkit/test-support/policy';
import { signedRecord, storeFactories, type TestStore } from '@consentkit/test-support/server';
import { type ServerType, serve } from '@hono/node-server';
import { expect } from 'chai';
import { verifyLedger } from '../../ledger/verify-ledger.js';
import { createApp } from '../../runtime/app.js';
import { DEFAULT_RATE_LIMITS, loadConfig } from '../../runtime/config.js';
import { createLedgerContext, type LedgerContext } from '../../runtime/context.js';
import { blindIndexOf, findSubjectByIndex } from '../../subjects/subject-lookup.js';
import { createRateLimiter, parseRateLimit } from './rate-limit.js';
import { clientAddressOf, clientKeyOf } from './rate-limit-client.js';
import type { RateLimitOptions } from './rate-limit-middleware.js';

type Reply = { status: number; headers: Record<string, string>; body: string };

/** One HTTP request from a chosen local source address (a distinct client to the server). */
function send(
  url: string,
  path: string,
  options: { from?: string; method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const req = httpRequest(
      target,
      {
        method: options.method ?? 'GET',
        localAddress: options.from ?? '127.0.0.2',
        headers: options.headers ?? {},
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

type Served = { url: string; context: LedgerContext; close(): Promise<void> };

async function serveApp(store: TestStore, rateLimits: RateLimitOptions): Promise<Served> {
  const context = await createLedgerContext({ store: store.store, masterKey: TEST_MASTER_KEY, policy: testPolicy() });
  const app = createApp({
    context,
    publicUrl: 'http://127.0.0.1',
    hostedPages: { widgetScript: false },
    rateLimits,
    log: () => {},
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    context,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const countEntries = async (context: LedgerContext) =>
  Number((await context.store.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries'))[0]?.n);

const recordBody = async (email?: string) => {
  const signed = await signedRecord({
    signer: await createTestSigner(),
    policy: testPolicy(),
    prev: null,
    ...(email ? { email } : {}),
  });
  return {
    id: signed.record.id,
    body: JSON.stringify({ records: [{ jws: signed.jws, ...(signed.opening ? { opening: signed.opening } : {}) }] }),
  };
};

const JSON_POST = { 'content-type': 'application/json' };
const ONE_CLICK = { 'content-type': 'application/x-www-form-urlencoded' };

for (const factory of storeFactories()) {
  describe(`rate limits on the real app over HTTP (${factory.name})`, () => {
    let store: TestStore;
    let served: Served;

    before(async () => {
      store = await factory.create();
      served = await serveApp(store, {
        // One token back every 2 s: slow enough that a loaded machine cannot refill a bucket
        // between the requests of one test, fast enough to watch it refill.
        ingest: { limit: 3, windowMs: 6000 },
        hosted: { limit: 2, windowMs: 4000 },
        oneClick: { limit: 2, windowMs: 4000 },
        // One token back every 20 s: no loaded machine refills it within one test.
        log: { limit: 3, windowMs: 60_000 },
      });
    });
    after(async () => {
      await served?.close();
      await store?.close();
    });

    it('ingest: the 4th batch at once gets 429 + Retry-After as problem JSON, and is not stored', async () => {
      const before = await countEntries(served.context);
      const batches = await Promise.all([recordBody(), recordBody(), recordBody()]);
      for (let i = 0; i < 3; i++) {
        const r = await send(served.url, '/v1/records', {
          method: 'POST',
          headers: JSON_POST,
          body: batches[i]?.body ?? '',
        });
        expect(r.status, r.body).to.equal(200);
        expect(r.headers['ratelimit-policy']).to.equal('"ingest";q=3;w=6');
        expect(r.headers.ratelimit).to.match(new RegExp(`^"ingest";r=${2 - i};t=\\d+$`));
      }
      const refused = await recordBody();
      const r = await send(served.url, '/v1/records', { method: 'POST', headers: JSON_POST, body: refused.body });
      expect(r.status).to.equal(429);
      expect(r.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(Number(r.headers['retry-after'])).to.be.within(1, 2);
      expect(r.headers.ratelimit).to.equal(`"ingest";r=0;t=${r.headers['retry-after']}`);
      const problem = JSON.parse(r.body) as { status: number; code: string; detail: string };
      expect(problem).to.include({ status: 429, code: 'rate-limited' });
      expect(problem.detail).to.match(/at most 3 per 6 s.*Nothing was stored; retry after [12] s/);
      expect(await countEntries(served.context), 'the refused record was not stored').to.equal(before + 3);
      const rows = await served.context.store.query('SELECT 1 FROM ledger_entries WHERE record_id = $1', [refused.id]);
      expect(rows).to.have.length(0);

      // Another address is unaffected…
      const other = await send(served.url, '/v1/records', {
        from: '127.0.0.3',
        method: 'POST',
        headers: JSON_POST,
        body: (await recordBody()).body,
      });
      expect(other.status, 'another client is not limited').to.equal(200);

      // …and the first one's bucket refills with time: the refused batch now goes through, once.
      await sleep(Number(r.headers['retry-after']) * 1000 + 100);
      const retried = await send(served.url, '/v1/records', { method: 'POST', headers: JSON_POST, body: refused.body });
      expect(retried.status, retried.body).to.equal(200);
      const stored = await served.context.store.query('SELECT 1 FROM ledger_entries WHERE record_id = $1', [
        refused.id,
      ]);
      expect(stored).to.have.length(1);
      const verification = await verifyLedger({
        store: served.context.store,
        ledger: served.context.ledger,
        keys: await served.context.keyring.publicJwks(),
      });
      expect(verification.ok, JSON.stringify(verification)).to.equal(true);
    });

    it('hosted pages: the 3rd page at once is the friendly 429 page with strict headers (en and fr)', async () => {
      const from = '127.0.0.4';
      for (let i = 0; i < 2; i++) expect((await send(served.url, '/u/not-a-token', { from })).status).to.equal(404);
      const r = await send(served.url, '/u/not-a-token?lang=fr', { from });
      expect(r.status).to.equal(429);
      expect(r.headers['content-type']).to.match(/^text\/html/);
      expect(r.headers['retry-after']).to.match(/^[12]$/);
      expect(r.headers['content-security-policy']).to.include("default-src 'none'");
      expect(r.headers['cache-control']).to.equal('no-store');
      expect(r.body)
        .to.include('<html lang="fr" dir="ltr">')
        .and.include('Trop de requêtes')
        .and.include('Rien n’a été modifié');
      expect(r.body).to.not.include('<script');
      const p = await send(served.url, '/p/not-a-token', { from, headers: { 'accept-language': 'en' } });
      expect(p.status, '/p shares the hosted budget').to.equal(429);
      expect(p.body)
        .to.include('Too many requests')
        .and.match(/try again in [12] seconds?\./);
      expect((await send(served.url, '/u/not-a-token', { from: '127.0.0.5' })).status, 'others unaffected').to.equal(
        404,
      );
    });

    it('the transparency log (R72) has its own budget, apart from the hosted pages it used to share', async () => {
      const from = '127.0.0.8';
      for (let i = 0; i < 3; i++) {
        const r = await send(served.url, '/v1/log/checkpoint', { from });
        expect(r.status, r.body).to.equal(200);
        expect(r.headers['ratelimit-policy']).to.equal('"log";q=3;w=60');
        expect(r.headers.ratelimit).to.match(new RegExp(`^"log";r=${2 - i};t=\\d+$`));
      }
      const refused = await send(served.url, '/v1/log/inclusion?index=0', { from });
      expect(refused.status).to.equal(429);
      expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
      const problem = JSON.parse(refused.body) as { code: string; detail: string };
      expect(problem.code).to.equal('rate-limited');
      expect(problem.detail).to.match(/\(log: at most 3 per 60 s\)/);
      // Three log reads would have spent this address's page budget (2) when they shared it.
      const page = await send(served.url, '/u/not-a-token', { from });
      expect(page.status, 'the pages keep their own budget').to.equal(404);
      expect(page.headers['ratelimit-policy']).to.equal('"hosted";q=2;w=4');
      expect((await send(served.url, '/v1/log/key', { from: '127.0.0.9' })).status, 'others unaffected').to.equal(200);
    });

    it('one-click POSTs (R41, R42) have their own budget; a refused one changes nothing', async () => {
      const from = '127.0.0.6';
      const person = await recordBody(`rate-${factory.name}-${Date.now()}@example.test`);
      const ingested = await send(served.url, '/v1/records', {
        from: '127.0.0.7',
        method: 'POST',
        headers: JSON_POST,
        body: person.body,
      });
      expect(ingested.status).to.equal(200);
      const email = (JSON.parse(person.body) as { records: [{ opening: { identifier: string } }] }).records[0].opening
        .identifier;
      const subject = await findSubjectByIndex(
        served.context.store,
        await blindIndexOf(served.context.keyring, 'email', email),
      );
      if (!subject) throw new Error('no subject');
      const token = await served.context.subjects.issueToken({
        subjectRef: subject.ref,
        scope: 'unsubscribe:marketing',
      });

      // The hosted budget of this address is spent on pages…
      for (let i = 0; i < 2; i++) await send(served.url, '/u/x', { from });
      expect((await send(served.url, '/u/x', { from })).status).to.equal(429);
      // …yet one-click still works: two POSTs for bogus tokens spend the one-click budget.
      for (let i = 0; i < 2; i++) {
        const bogus = await send(served.url, '/u/bogus', { from, method: 'POST', headers: ONE_CLICK, body: 'x=1' });
        expect(bogus.status).to.equal(404);
      }
      const before = await countEntries(served.context);
      const refused = await send(served.url, `/u/${token}`, {
        from,
        method: 'POST',
        headers: ONE_CLICK,
        body: 'List-Unsubscribe=One-Click',
      });
      expect(refused.status).to.equal(429);
      expect(refused.headers['retry-after']).to.match(/^[12]$/);
      expect(await countEntries(served.context), 'a refused unsubscribe records nothing').to.equal(before);
      expect((await served.context.subjects.state(subject.ref)).marketing?.status).to.not.equal('withdrawn');

      await sleep(Number(refused.headers['retry-after']) * 1000 + 100);
      const ok = await send(served.url, `/u/${token}`, {
        from,
        method: 'POST',
        headers: ONE_CLICK,
        body: 'List-Unsubscribe=One-Click',
      });
      expect(ok.status, ok.body).to.be.within(200, 204);
      expect(await countEntries(served.context), 'the retried unsubscribe is recorded once').to.equal(before + 1);
    });
  });
}

describe('rate limits behind a trusted proxy', () => {
  it('keys on X-Forwarded-For only when trusted, reading from the right', () => {
    const headers = (xff: string) => new Headers({ 'x-forwarded-for': xff });
    const env = { incoming: { socket: { remoteAddress: '10.0.0.1' } } };
    expect(clientAddressOf(headers('203.0.113.9'), env, { trustProxy: 0 }), 'untrusted header ignored').to.equal(
      '10.0.0.1',
    );
    expect(clientAddressOf(headers('203.0.113.9'), env, { trustProxy: 1 })).to.equal('203.0.113.9');
    // A client that forges entries only adds to the left; the proxy's entry stays the last one.
    expect(clientAddressOf(headers('6.6.6.6, 203.0.113.9'), env, { trustProxy: 1 })).to.equal('203.0.113.9');
    expect(clientAddressOf(headers('6.6.6.6, 203.0.113.9, 10.1.1.1'), env, { trustProxy: 2 })).to.equal('203.0.113.9');
    expect(clientAddressOf(new Headers(), env, { trustProxy: 1 }), 'no header: the socket').to.equal('10.0.0.1');
    expect(clientAddressOf(new Headers(), undefined, { trustProxy: 0 }), 'in-process').to.equal('local');
  });

  it('counts IPv6 clients by /64 and IPv4-mapped addresses as IPv4', () => {
    expect(clientKeyOf('2001:db8:1:2:aaaa::1')).to.equal('2001:db8:1:2::/64');
    expect(clientKeyOf('2001:db8:1:2:ffff:ffff:ffff:ffff')).to.equal('2001:db8:1:2::/64');
    expect(clientKeyOf('::ffff:192.0.2.7')).to.equal('192.0.2.7');
    expect(clientKeyOf('::1')).to.equal('0:0:0:0::/64');
  });

  it('a client rotating forged X-Forwarded-For prefixes shares one bucket (real app over HTTP)', async () => {
    const [factory] = storeFactories();
    if (!factory) throw new Error('no store');
    const store = await factory.create();
    const served = await serveApp(store, {
      ingest: 'off',
      hosted: { limit: 2, windowMs: 60_000 },
      oneClick: 'off',
      log: 'off',
      trustProxy: 1,
    });
    try {
      const get = (xff: string) => send(served.url, '/u/x', { headers: { 'x-forwarded-for': xff } });
      expect((await get('1.1.1.1, 198.51.100.1')).status).to.equal(404);
      expect((await get('2.2.2.2, 198.51.100.1')).status).to.equal(404);
      expect((await get('3.3.3.3, 198.51.100.1')).status, 'forged prefixes do not help').to.equal(429);
      expect((await get('198.51.100.2')).status, 'another client behind the proxy').to.equal(404);
    } finally {
      await served.close();
      await store.close();
    }
  });
});

describe('rate limits for a cross-origin SDK', () => {
  it('the 429 carries CORS headers and exposes Retry-After, so the SDK can wait as asked (R64)', async () => {
    const [factory] = storeFactories();
    if (!factory) throw new Error('no store');
    const store = await factory.create();
    try {
      const context = await createLedgerContext({
        store: store.store,
        masterKey: TEST_MASTER_KEY,
        policy: testPolicy(),
      });
      const app = createApp({
        context,
        corsOrigins: ['https://shop.example'],
        rateLimits: { ingest: { limit: 1, windowMs: 60_000 }, hosted: 'off', oneClick: 'off', log: 'off' },
        log: () => {},
      });
      const post = async () =>
        app.request('/v1/records', {
          method: 'POST',
          headers: { origin: 'https://shop.example', ...JSON_POST },
          body: (await recordBody()).body,
        });
      expect((await post()).status).to.equal(200);
      const refused = await post();
      expect(refused.status).to.equal(429);
      expect(refused.headers.get('access-control-allow-origin')).to.equal('https://shop.example');
      expect(refused.headers.get('access-control-expose-headers')?.split(/,\s*/)).to.include('retry-after');
      expect(refused.headers.get('retry-after')).to.equal('60');
    } finally {
      await store.close();
    }
  });
});

describe('rate limiter', () => {
  it('keeps memory bounded: 200,000 distinct clients leave at most maxKeys buckets', () => {
    const limiter = createRateLimiter({ limit: { limit: 5, windowMs: 60_000 }, maxKeys: 1000 });
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 200_000; i++) limiter.take(`198.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(limiter.size).to.equal(1000);
    // The most recently seen clients are the ones kept (least recently seen go first).
    expect(limiter.take(`198.3.13.63`).remaining, 'client 199,999 is still counted').to.equal(3);
    expect(process.memoryUsage().heapUsed - heapBefore).to.be.below(64 * 1024 * 1024);
  });

  it('refills evenly over the window and never above the limit', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: { limit: 4, windowMs: 4000 }, now: () => t });
    for (let i = 0; i < 4; i++) expect(limiter.take('a').allowed).to.equal(true);
    const refused = limiter.take('a');
    expect(refused).to.include({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    t += 1000;
    expect(limiter.take('a').allowed, 'one token per second').to.equal(true);
    expect(limiter.take('a').allowed).to.equal(false);
    t += 3_600_000;
    expect(limiter.take('a').remaining, 'capped at the limit').to.equal(3);
  });

  it('parses "N/window" and "off", and says what is expected otherwise', () => {
    expect(parseRateLimit('600/min')).to.deep.equal({ limit: 600, windowMs: 60_000 });
    expect(parseRateLimit('600/1m')).to.deep.equal({ limit: 600, windowMs: 60_000 });
    expect(parseRateLimit(' 50 / 10s ')).to.deep.equal({ limit: 50, windowMs: 10_000 });
    expect(parseRateLimit('OFF')).to.equal('off');
    for (const bad of ['', '600', '0/1m', '10/0s', 'ten/min', '5/1w', '5/25h']) {
      expect(parseRateLimit(bad), bad).to.have.property('error').that.is.a('string');
    }
  });

  it('is configured from the environment with defaults, and a bad value names the variable', () => {
    const config = loadConfig({ env: {}, argv: [] });
    expect(config.rateLimitIngest).to.deep.equal(parseRateLimit(DEFAULT_RATE_LIMITS.ingest));
    expect(config.rateLimitHosted).to.deep.equal(parseRateLimit(DEFAULT_RATE_LIMITS.hosted));
    expect(config.rateLimitOneClick).to.deep.equal(parseRateLimit(DEFAULT_RATE_LIMITS.oneClick));
    expect(config.rateLimitLog).to.deep.equal(parseRateLimit(DEFAULT_RATE_LIMITS.log));
    expect(config.trustProxy).to.equal(0);
    const set = loadConfig({
      env: { CONSENTKIT_RATE_LIMIT_INGEST: 'off', CONSENTKIT_TRUST_PROXY: 'true' },
      argv: ['--rate-limit-hosted', '10/10s', '--rate-limit-log', '50/10s'],
    });
    expect(set.rateLimitLog).to.deep.equal({ limit: 50, windowMs: 10_000 });
    expect(set.rateLimitIngest).to.equal('off');
    expect(set.rateLimitHosted).to.deep.equal({ limit: 10, windowMs: 10_000 });
    expect(set.trustProxy).to.equal(1);
    expect(() => loadConfig({ env: { CONSENTKIT_RATE_LIMIT_HOSTED: 'lots' }, argv: [] })).to.throw(
      /CONSENTKIT_RATE_LIMIT_HOSTED \(--rate-limit-hosted\): must be "off" or "N\/window"/,
    );
  });
});
