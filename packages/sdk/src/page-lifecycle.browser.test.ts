/**
 * Page-hide delivery in a real browser (R62–R64): the queue goes out through
 * navigator.sendBeacon in ≤ 60 KiB bodies, and stays in IndexedDB until a real send is
 * acknowledged. The ledger is unreachable (a closed local port), so normal sends fail for real;
 * sendBeacon is spied on, since that is the transport boundary.
 */
import { decodeJws, utf8Decode } from '@consentkit/core';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { createHttpBackend } from './backends/http/http-backend.js';
import type { ConsentClient } from './client/client-types.js';
import { createConsentClient } from './client.js';
import { createIndexedDbOutboxStore } from './outbox/indexeddb-store.js';
import { BEACON_MAX_BYTES } from './outbox/outbox.js';
import { createDeviceSigner } from './signers/device-signer.js';

const UNREACHABLE = 'http://127.0.0.1:9';
type BeaconCall = { url: string; body: string; bytes: number };

function spyOnBeacon(answer: () => boolean) {
  // Bodies are read asynchronously; keep them in call order, not in the order reads finish.
  const pending: Promise<BeaconCall>[] = [];
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: (url: string, data: Blob) => {
      pending.push(data.text().then((body) => ({ url, body, bytes: data.size })));
      return answer();
    },
  });
  return {
    calls: () => Promise.all(pending),
    restore: () => {
      // the own property shadowed Navigator.prototype.sendBeacon; removing it restores the real one
      delete (navigator as { sendBeacon?: unknown }).sendBeacon;
    },
  };
}

const idsIn = (body: string): string[] =>
  (JSON.parse(body) as { records: { jws: string }[] }).records.map(
    (r) => (JSON.parse(utf8Decode(decodeJws(r.jws).payload)) as { id: string }).id,
  );

function spyOnKeepaliveFetch() {
  const calls: { url: string; init: RequestInit }[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    if (init?.keepalive) {
      calls.push({ url: String(input), init });
      return Promise.resolve(new Response(null, { status: 202 }));
    }
    return original(input, init);
  };
  const restore = () => {
    globalThis.fetch = original;
  };
  return { calls, restore };
}

async function clientWithQueue(count: number, wordingBytes: number, pageHide: 'beacon' | 'keepalive' = 'beacon') {
  const name = `consentkit-lifecycle-${crypto.randomUUID()}`;
  const outbox = createIndexedDbOutboxStore({ name });
  const client = createConsentClient({
    policy: allstreamPolicy,
    backend: createHttpBackend({ url: UNREACHABLE, pageHide }),
    outbox,
    signer: createDeviceSigner({ databaseName: `${name}-keys` }),
    gpc: false,
    retry: { baseMs: 600_000 },
  });
  for (let i = 0; i < count; i++) {
    const result = await client.capture({
      decisions: [{ purpose: 'partner-sharing', granted: i % 2 === 0, wording: `${i} ${'w'.repeat(wordingBytes)}` }],
      method: 'checkbox',
      interaction: 'pointer',
    });
    expect(result.status).to.equal('pending');
  }
  return { client, outbox, name };
}

describe('page-hide flush (browser)', () => {
  let client: ConsentClient | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it('beacons the whole queue on pagehide in bodies of at most 60 KiB, and keeps the records', async () => {
    const queue = await clientWithQueue(24, 4000);
    client = queue.client;
    const queued = client.pending();
    expect(queued).to.have.length(24);
    const spy = spyOnBeacon(() => true);
    try {
      window.dispatchEvent(new Event('pagehide'));
      const calls = await spy.calls();
      expect(calls.length).to.be.greaterThan(1);
      for (const call of calls) {
        expect(call.url).to.equal(`${UNREACHABLE}/v1/records`);
        expect(call.bytes).to.be.at.most(BEACON_MAX_BYTES);
      }
      expect(calls.flatMap((c) => idsIn(c.body))).to.deep.equal(queued);
    } finally {
      spy.restore();
    }
    // No ack from a beacon: the records stay until a real send is acknowledged (R64).
    expect((await queue.outbox.list()).map((e) => e.id)).to.deep.equal(queued);
  });

  it('by default uses keepalive fetch with a JSON body, also split under 60 KiB (R63)', async () => {
    const queue = await clientWithQueue(24, 4000, 'keepalive');
    client = queue.client;
    const queued = client.pending();
    const spy = spyOnKeepaliveFetch();
    try {
      window.dispatchEvent(new Event('pagehide'));
    } finally {
      spy.restore();
    }
    expect(spy.calls.length).to.be.greaterThan(1);
    for (const { url, init } of spy.calls) {
      expect(url).to.equal(`${UNREACHABLE}/v1/records`);
      expect(init).to.include({ method: 'POST', keepalive: true });
      expect(new Headers(init.headers).get('content-type')).to.equal('application/json');
      expect(new TextEncoder().encode(String(init.body)).byteLength).to.be.at.most(BEACON_MAX_BYTES);
    }
    expect(spy.calls.flatMap((c) => idsIn(String(c.init.body)))).to.deep.equal(queued);
    expect((await queue.outbox.list()).map((e) => e.id)).to.deep.equal(queued);
  });

  it('visibilitychange to hidden beacons too, and pagehide right after does not send twice', async () => {
    const queue = await clientWithQueue(2, 10);
    client = queue.client;
    const spy = spyOnBeacon(() => true);
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      window.dispatchEvent(new Event('pagehide'));
      const calls = await spy.calls();
      expect(calls).to.have.length(1);
      expect(idsIn(calls[0]?.body ?? '')).to.deep.equal(client.pending());
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
      spy.restore();
    }
  });

  it('a false from sendBeacon keeps the records for the next page (R62)', async () => {
    const queue = await clientWithQueue(24, 4000);
    client = queue.client;
    const queued = client.pending();
    const spy = spyOnBeacon(() => false);
    try {
      window.dispatchEvent(new Event('pagehide'));
      // the quota is shared, so after one refusal the rest is not tried
      expect(await spy.calls()).to.have.length(1);
    } finally {
      spy.restore();
    }
    expect(client.pending()).to.deep.equal(queued);
    await client.close();
    client = undefined;
    const reopened = createIndexedDbOutboxStore({ name: queue.name });
    expect((await reopened.list()).map((e) => e.id)).to.deep.equal(queued);
    await reopened.close?.();
  });
});
