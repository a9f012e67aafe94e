// Probes and metrics against the real server (openServer + listen on a free port, real HTTP), on
// PGlite and on PostgreSQL: /healthz and /readyz, their place in the OpenAPI document, the request
// id, the drain state, GET /metrics behind its token, what each series counts after real traffic
// (ingest accepted / duplicate / rejected, one-click and page decisions, a rate-limit refusal, the
// ledger size and checkpoint age, the partner queue, a purge run, the store pool), and label
// hygiene: every label value is one of its declared words and no identifier the traffic used
// appears anywhere in the exposition.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestSigner } from '@consentkit/test-support/keys';
import { testPolicy } from '@consentkit/test-support/policy';
import { signedRecord } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { ROUTE_GROUPS, STATUS_CLASSES } from '../../src/health/route-groups.js';
import {
  DECISION_METHODS,
  PURGE_RESULTS,
  RATE_LIMIT_GROUPS,
  RECORD_CODES,
  RECORD_RESULTS,
} from '../../src/health/server-metrics.js';
import { loadConfig } from '../../src/runtime/config.js';
import { type OpenedServer, openServer, type RunningServer } from '../../src/runtime/server.js';
import { parseMetrics, type Sample, sampleValue } from './metrics-text.js';
import { API_KEY, opsTargets } from './ops-targets.js';

const ROOT = resolve(import.meta.dirname, '../../../..');
const METRICS_TOKEN = 'ops-metrics-token-0123456789';

/** Every word a label may carry: the declared sets, the histogram bucket bounds and `other`. */
const LABEL_WORDS = new Set<string>([
  ...ROUTE_GROUPS,
  ...STATUS_CLASSES,
  ...RECORD_CODES,
  ...RECORD_RESULTS,
  ...DECISION_METHODS,
  ...PURGE_RESULTS,
  ...RATE_LIMIT_GROUPS,
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'true',
  'false',
  'pending',
  'failed',
  'total',
  'idle',
  'waiting',
  'max',
  'other',
]);

for (const target of opsTargets) {
  describe(`operations: probes and metrics (${target.name}, real server)`, { concurrency: false }, () => {
    let opened: OpenedServer;
    let server: RunningServer;
    let drop: () => Promise<void> = async () => {};
    /** Everything personal or secret this suite sent or was given; none may reach /metrics. */
    const identifiers: string[] = [API_KEY, METRICS_TOKEN];
    const url = (path: string) => `${server.url}${path}`;

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      const config = loadConfig({
        argv: [],
        env: {
          ...created.env,
          PORT: '0',
          HOST: '127.0.0.1',
          CONSENTKIT_LOG_LEVEL: 'silent',
          CONSENTKIT_METRICS_TOKEN: METRICS_TOKEN,
          CONSENTKIT_CHECKPOINT_EVERY: '2',
          CONSENTKIT_RATE_LIMIT_INGEST: '6/1m',
          CONSENTKIT_RATE_LIMIT_HOSTED: '2/1m',
          CONSENTKIT_PURGE_INTERVAL: '1s',
          CONSENTKIT_PARTNER_WEBHOOKS_INTERVAL: '200ms',
        },
      });
      opened = await openServer(config, { log: () => {} });
      server = await opened.listen();
    });
    after(async () => {
      await server?.stop();
      await drop();
    });

    const scrape = async (): Promise<{ text: string; samples: Sample[] }> => {
      const response = await fetch(url('/metrics'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      return { text, samples: parseMetrics(text) };
    };

    it('GET /healthz and GET /readyz answer 200 with nothing about data, and echo or make a request id', async () => {
      const health = await fetch(url('/healthz'), { headers: { 'x-request-id': 'probe-1.a_b' } });
      expect(health.status).to.equal(200);
      expect(await health.json()).to.deep.equal({ status: 'ok' });
      expect(health.headers.get('x-request-id')).to.equal('probe-1.a_b');
      expect(health.headers.get('cache-control')).to.equal('no-store');
      const ready = await fetch(url('/readyz'));
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.deep.equal({
        status: 'ready',
        checks: { store: 'ok', migrations: 'ok', keys: 'ok', policy: 'ok', serving: 'ok' },
      });
      expect(ready.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
      // An id a client could smuggle an address or a line break through is replaced by our own.
      const odd = await fetch(url('/healthz'), { headers: { 'x-request-id': 'someone@example.com' } });
      expect(odd.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    });

    it('the probes and /metrics are in the OpenAPI document', async () => {
      const doc = (await (await fetch(url('/v1/openapi.json'))).json()) as { paths: Record<string, { get?: unknown }> };
      for (const path of ['/healthz', '/readyz', '/metrics']) expect(doc.paths[path]?.get, path).to.be.an('object');
    });

    it('the probes are outside the rate limits (hosted pages allow 2 a minute here)', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 12 }, (_, i) => fetch(url(i % 2 ? '/readyz' : '/healthz')).then((r) => r.status)),
      );
      expect(statuses).to.deep.equal(Array(12).fill(200));
    });

    it('GET /metrics wants the configured token', async () => {
      const none = await fetch(url('/metrics'));
      expect(none.status).to.equal(401);
      expect(((await none.json()) as { code: string }).code).to.equal('unauthorized');
      const wrong = await fetch(url('/metrics'), { headers: { authorization: 'Bearer not-the-token-at-all' } });
      expect(wrong.status).to.equal(401);
      await wrong.body?.cancel();
    });

    it('counts real traffic: records by result and code, decisions, refusals, the ledger, the queue, the pool', async () => {
      const before = (await scrape()).samples;
      const policy = testPolicy();
      const signer = await createTestSigner();
      const items: { jws: string; opening?: unknown }[] = [];
      let prev: string | null = null;
      for (let i = 0; i < 3; i++) {
        const email = `metrics-${target.name}-${i}@example.test`;
        identifiers.push(email);
        const signed = await signedRecord({ signer, policy, prev, email });
        identifiers.push(signed.record.id);
        if (signed.opening) identifiers.push(signed.opening.salt);
        items.push({ jws: signed.jws, ...(signed.opening ? { opening: signed.opening } : {}) });
        prev = signed.digest;
      }
      const [h, p, sig = ''] = (items[0]?.jws ?? '').split('.');
      const tampered = `${h}.${p}.${sig.startsWith('A') ? `B${sig.slice(1)}` : `A${sig.slice(1)}`}`;
      const post = (records: unknown) =>
        fetch(url('/v1/records'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ records }),
        });
      expect((await post(items)).status).to.equal(200); // 3 accepted
      expect((await post(items.slice(0, 1))).status).to.equal(200); // 1 duplicate
      expect((await post([{ jws: tampered }])).status).to.equal(200); // 1 rejected: invalid-signature
      // The ingest limit is 6 a minute from one address: three more requests, then 429s.
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await post([]);
        statuses.push(response.status);
        await response.body?.cancel();
      }
      expect(statuses).to.include(429);

      // One-click from a mail (changes, then changes nothing), and the page's button for a second person.
      const linkFor = async (email: string) => {
        const response = await fetch(url('/v1/links'), {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ email, purpose: 'marketing' }),
        });
        expect(response.status).to.equal(200);
        const links = (await response.json()) as { subjectRef: string; unsubscribeUrl: string; preferencesUrl: string };
        const path = new URL(links.unsubscribeUrl).pathname;
        identifiers.push(links.subjectRef, path.slice('/u/'.length), new URL(links.preferencesUrl).pathname.slice(3));
        return path;
      };
      const oneClick = (path: string, body: string) =>
        fetch(url(path), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      const first = await linkFor(`metrics-${target.name}-0@example.test`);
      for (let i = 0; i < 2; i++) {
        const response = await oneClick(first, 'List-Unsubscribe=One-Click');
        expect(response.status).to.equal(200);
        await response.body?.cancel();
      }
      const second = await linkFor(`metrics-${target.name}-1@example.test`);
      const page = await oneClick(second, 'List-Unsubscribe=One-Click&via=page');
      expect(page.status).to.equal(200);
      await page.body?.cancel();

      const { samples } = await scrape();
      const delta = (name: string, labels: Record<string, string> = {}) =>
        sampleValue(samples, name, labels) - sampleValue(before, name, labels);
      expect(delta('consentkit_records_total', { result: 'accepted', code: 'none' })).to.equal(3);
      expect(delta('consentkit_records_total', { result: 'duplicate', code: 'none' })).to.equal(1);
      expect(delta('consentkit_records_total', { result: 'rejected', code: 'invalid-signature' })).to.equal(1);
      expect(delta('consentkit_server_decisions_total', { method: 'one-click-email', changed: 'true' })).to.equal(1);
      expect(delta('consentkit_server_decisions_total', { method: 'one-click-email', changed: 'false' })).to.equal(1);
      expect(delta('consentkit_server_decisions_total', { method: 'preference-page', changed: 'true' })).to.equal(1);
      expect(delta('consentkit_rate_limit_refusals_total', { group: 'ingest' })).to.equal(
        statuses.filter((s) => s === 429).length,
      );
      // The empty batches the limit let through are 400s: every answer above counted as 4xx.
      expect(delta('consentkit_http_requests_total', { group: 'records', method: 'POST', status: '4xx' })).to.equal(
        statuses.filter((s) => s >= 400 && s < 500).length,
      );
      expect(delta('consentkit_http_requests_total', { group: 'unsubscribe', method: 'POST', status: '2xx' })).to.equal(
        3,
      );
      expect(
        sampleValue(samples, 'consentkit_http_request_duration_seconds_count', { group: 'records', status: '2xx' }),
      ).to.be.greaterThan(0);

      // The ledger: 3 form records and 2 server-made decisions; a checkpoint every 2 entries.
      const [head] = await opened.context.store.query<{ seq: number }>('SELECT seq FROM ledger_head WHERE id = 1');
      expect(sampleValue(samples, 'consentkit_ledger_entries')).to.equal(Number(head?.seq)).and.to.equal(5);
      const age = samples.find((s) => s.name === 'consentkit_ledger_checkpoint_age_seconds');
      expect(age?.value).to.be.a('number').within(0, 600);
      expect(sampleValue(samples, 'consentkit_partner_deliveries', { status: 'pending' })).to.equal(0);
      expect(sampleValue(samples, 'consentkit_partner_deliveries', { status: 'failed' })).to.equal(0);
      expect(samples.some((s) => s.name === 'consentkit_partner_oldest_pending_age_seconds')).to.equal(true);
      const pool = samples.filter((s) => s.name === 'consentkit_store_pool_connections');
      if (target.name === 'postgres') {
        expect(sampleValue(samples, 'consentkit_store_pool_connections', { state: 'max' })).to.equal(10);
        expect(sampleValue(samples, 'consentkit_store_pool_connections', { state: 'total' })).to.be.within(1, 10);
      } else {
        expect(pool, 'PGlite has no pool').to.deep.equal([]);
      }
    });

    it('counts the retention purge runs (every second here) and when the last one signed its receipt', async () => {
      let samples: Sample[] = [];
      // The job's first run is one interval after start; wait for it as long as a loaded machine needs.
      const deadline = Date.now() + 120_000;
      while (sampleValue(samples, 'consentkit_purge_runs_total', { result: 'done' }) < 1) {
        if (Date.now() > deadline) throw new Error('no purge run was counted within 120 s');
        await sleep(200);
        samples = (await scrape()).samples;
      }
      expect(sampleValue(samples, 'consentkit_purge_runs_total', { result: 'failed' })).to.equal(0);
      const last = sampleValue(samples, 'consentkit_purge_last_run_timestamp_seconds');
      expect(last * 1000).to.be.within(Date.now() - 600_000, Date.now() + 1000);
    });

    it('label hygiene: every label value is a declared word, and no identifier appears in /metrics', async () => {
      const { text, samples } = await scrape();
      expect(samples.length).to.be.greaterThan(20);
      for (const sample of samples) {
        for (const [label, value] of Object.entries(sample.labels)) {
          if (label === 'le') expect(value, `${sample.name} le`).to.match(/^(\+Inf|\d+(\.\d+)?)$/);
          else expect(LABEL_WORDS.has(value), `${sample.name}{${label}="${value}"}`).to.equal(true);
        }
      }
      expect(identifiers.length).to.be.greaterThan(12);
      for (const id of identifiers) expect(text.includes(id), `/metrics contains ${id}`).to.equal(false);
    });

    it('docs/deploy.md and the example Grafana dashboard name only series the server exposes', async () => {
      const { text } = await scrape();
      const declared = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
      for (const doc of ['docs/deploy.md', 'docs/grafana-dashboard.json']) {
        const named = new Set(
          [...readFileSync(join(ROOT, doc), 'utf8').matchAll(/consentkit_[a-z_]+/g)].map((m) =>
            m[0].replace(/_(bucket|sum|count)$/, ''),
          ),
        );
        expect(named.size, doc).to.be.greaterThan(8);
        for (const name of named) expect(declared.has(name), `${doc} names ${name}`).to.equal(true);
      }
    });

    it('while draining: /readyz 503, /healthz 200, other requests 503 with Retry-After', async () => {
      opened.operations.lifecycle.startDraining();
      const ready = await fetch(url('/readyz'));
      expect(ready.status).to.equal(503);
      expect(ready.headers.get('retry-after')).to.equal('5');
      expect(((await ready.json()) as { checks: { serving: string } }).checks.serving).to.equal('failing');
      expect((await fetch(url('/healthz'))).status).to.equal(200);
      const refused = await fetch(url('/v1/policy'));
      expect(refused.status).to.equal(503);
      expect(refused.headers.get('retry-after')).to.equal('5');
      expect(((await refused.json()) as { code: string }).code).to.equal('shutting-down');
    });
  });
}

describe('operations: /readyz when the store is gone (pglite)', () => {
  it('answers 503 naming the failing checks', async () => {
    const created = await opsTargets[0]?.create();
    if (!created) throw new Error('no pglite target');
    const opened = await openServer(loadConfig({ argv: [], env: { ...created.env, CONSENTKIT_LOG_LEVEL: 'silent' } }));
    try {
      await opened.close();
      const response = await opened.app.fetch(new Request('http://ledger.test/readyz'));
      expect(response.status).to.equal(503);
      const body = (await response.json()) as { status: string; checks: Record<string, string> };
      expect(body.status).to.equal('not-ready');
      expect(body.checks.store).to.equal('failing');
      expect(body.checks.serving).to.equal('ok');
    } finally {
      await created.drop();
    }
  });
});
