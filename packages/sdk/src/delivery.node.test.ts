/**
 * Delivery under faults (R62, R64): msw injects network errors, timeouts, 500s and
 * 429 + Retry-After at the HTTP boundary; the client, outbox and HTTP backend are the real ones.
 * Every case ends with each record stored exactly once by the in-test ledger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeySigner, generateSigningKeyPair, type Signer } from '@consentkit/core';
import { createMockLedger, MOCK_LEDGER_URL, type MockLedger } from '@consentkit/test-support/mocks';
import { allstreamPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { createHttpBackend } from './backends/http/http-backend.js';
import type { ConsentClient, ConsentClientOptions } from './client/client-types.js';
import { createConsentClient } from './client.js';
import type { ConsentEvent } from './events.js';
import { createFileOutboxStore } from './outbox/file-store.js';
import { createMemoryOutboxStore } from './outbox/memory-store.js';

const server = setupServer();
let ledger: MockLedger;
const clients: ConsentClient[] = [];

async function makeSigner(): Promise<Signer> {
  const pair = await generateSigningKeyPair({ algorithm: 'ES256' });
  return createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
}

function client(overrides: Partial<ConsentClientOptions> = {}) {
  const events: ConsentEvent[] = [];
  const c = createConsentClient({
    policy: allstreamPolicy,
    backend: createHttpBackend({ url: MOCK_LEDGER_URL }),
    outbox: createMemoryOutboxStore(),
    retry: { baseMs: 20, maxMs: 200 },
    // Far above any answer's time, even on a loaded machine: only the hung-request case times out.
    sendTimeoutMs: 30_000,
    gpc: false,
    ...overrides,
  });
  c.subscribe((e) => events.push(e));
  clients.push(c);
  return { client: c, events };
}

const capture = (c: ConsentClient, granted = true) =>
  c.capture({ decisions: [{ purpose: 'partner-sharing', granted }], method: 'checkbox', interaction: 'pointer' });

/** Polls until `condition` holds; the bound only ends a run that would never get there. */
async function until(condition: () => boolean, timeoutMs = 30_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function expectStoredOnce(ids: readonly string[]) {
  for (const id of ids) expect(ledger.storeCount.get(id), id).to.equal(1);
  expect(ledger.stored.size).to.equal(ids.length);
}

describe('delivery under faults (Node, msw)', () => {
  before(() => server.listen({ onUnhandledFrame: 'error' }));
  beforeEach(() => {
    ledger = createMockLedger();
    server.resetHandlers(...ledger.handlers);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  after(() => server.close());

  it('delivers at once with a receipt when the ledger is up', async () => {
    const { client: c, events } = client();
    const result = await capture(c);
    expect(result).to.deep.equal({
      status: 'delivered',
      recordId: result.recordId,
      receipt: `receipt:${result.recordId}`,
    });
    expect(events.some((e) => e.type === 'delivered' && e.recordId === result.recordId)).to.equal(true);
    expectStoredOnce([result.recordId]);
  });

  it('no policy yet (the ledger unreachable at start): the choice is kept with its id and signed once the policy loads', async () => {
    let policyDown = true;
    // Once the ledger is back, the policy is answered to two requests together (both tabs at once).
    const held: Array<() => void> = [];
    server.use(
      http.get(`${MOCK_LEDGER_URL}/v1/policy`, async () => {
        if (policyDown) return HttpResponse.error();
        if (held.length < 2) {
          await new Promise<void>((resolve) => {
            held.push(resolve);
            if (held.length === 2) for (const release of held) release();
          });
        }
        return HttpResponse.json({ digest: 'sha-256:x', policy: allstreamPolicy });
      }),
    );
    const store = createMemoryOutboxStore();
    // Both tabs share the device key; every signature it makes is counted.
    const key = await makeSigner();
    let signatures = 0;
    const signer: Signer = {
      ...key,
      sign(data) {
        signatures += 1;
        return key.sign(data);
      },
    };
    const options: ConsentClientOptions = {
      backend: createHttpBackend({ url: MOCK_LEDGER_URL }),
      outbox: store,
      signer,
      retry: { baseMs: 20, maxMs: 200 },
      gpc: false,
      pageLifecycle: false,
    };
    const events: ConsentEvent[] = [];
    const first = createConsentClient(options);
    clients.push(first);
    first.subscribe((e) => events.push(e));
    let onRecorded: string | undefined;
    const result = await first.capture({
      decisions: [
        // Shown as an express box (the policy was not there to say opt-out) and ticked.
        { purpose: 'marketing', granted: true, basis: 'express', wording: 'Keep me posted', interaction: 'pointer' },
        // Shown as an opt-out box and left alone: under the policy's express basis that is no consent.
        { purpose: 'partner-sharing', granted: true, basis: 'opt-out', interaction: 'none' },
      ],
      method: 'form-submit',
      locale: 'en-CA',
      onRecorded: (id) => {
        onRecorded = id;
      },
    });
    expect(result.status).to.equal('pending');
    expect(onRecorded, 'the form gets the id at once').to.equal(result.recordId);
    expect(events.find((e) => e.type === 'pending')).to.include({ recordId: result.recordId, code: 'transport' });
    expect(ledger.stored.size).to.equal(0);
    // A second tab on the same store, opened while the ledger is still down.
    const second = createConsentClient(options);
    clients.push(second);
    second.subscribe(() => {});
    await second.ready.catch(() => undefined);
    const chosenAt = Date.now();
    policyDown = false;
    // Both load the policy and find the kept choice at once: it must be signed by one of them only.
    await Promise.all([first.flush(), second.flush()]);
    await until(() => ledger.stored.has(result.recordId));
    expectStoredOnce([result.recordId]);
    const record = ledger.stored.get(result.recordId)?.record;
    expect(Date.parse(record?.issuedAt ?? '')).to.be.at.most(chosenAt);
    expect(record?.locale).to.equal('en-CA');
    expect(record?.decisions.find((d) => d.purpose === 'marketing')).to.include({
      granted: true,
      basis: 'opt-out',
      legalBasis: 'casl-implied-ebr',
    });
    expect(record?.decisions.find((d) => d.purpose === 'marketing')?.wording?.text).to.equal('Keep me posted');
    expect(record?.decisions.find((d) => d.purpose === 'partner-sharing')).to.include({
      granted: false,
      basis: 'express',
    });
    expect(signatures, 'signed once, by one of the two').to.equal(1);
    // The chain head both clients share is the digest of the record the ledger has, and nothing
    // is left to sign or send.
    const stored = ledger.stored.get(result.recordId);
    expect(await store.getMeta({ key: `chain:${stored?.kid}` })).to.equal(stored?.digest);
    expect(await store.getMeta({ key: 'kept-choices' })).to.deep.equal([]);
    await until(() => first.pending().length === 0 && second.pending().length === 0);
    expect(await store.list()).to.deep.equal([]);
  });

  it('a network error leaves the record pending, then delivers it exactly once', async () => {
    ledger.inject({ kind: 'network-error' }, { kind: 'network-error' });
    const { client: c, events } = client();
    const result = await capture(c);
    expect(result.status).to.equal('pending');
    const pending = events.find((e) => e.type === 'pending');
    expect(pending).to.include({ type: 'pending', recordId: result.recordId, code: 'transport', attempts: 1 });
    await until(() => events.some((e) => e.type === 'delivered'));
    expectStoredOnce([result.recordId]);
    expect(c.pending()).to.deep.equal([]);
  });

  it('a 500 is retried with backoff', async () => {
    ledger.inject({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    const { client: c, events } = client();
    const first = await capture(c);
    const second = await capture(c, false);
    await until(() => events.filter((e) => e.type === 'delivered').length === 2);
    expectStoredOnce([first.recordId, second.recordId]);
  });

  it('a 429 waits at least Retry-After before the next attempt', async () => {
    ledger.inject({ kind: 'status', status: 429, retryAfter: '1' });
    const { client: c, events } = client();
    const result = await capture(c);
    expect(result.status).to.equal('pending');
    expect(events.find((e) => e.type === 'pending')).to.include({ code: 'rate-limited' });
    await until(() => events.some((e) => e.type === 'delivered'), 4000);
    const [firstAt, secondAt] = ledger.requestTimes;
    expect((secondAt as number) - (firstAt as number)).to.be.at.least(1000);
    expectStoredOnce([result.recordId]);
  });

  it('a hung request times out and the retry is deduplicated by record id', async () => {
    ledger.inject({ kind: 'hang', ms: 2000 });
    const { client: c, events } = client({ sendTimeoutMs: 300 });
    const result = await capture(c);
    expect(result.status).to.equal('pending');
    await until(() => events.some((e) => e.type === 'delivered'));
    expectStoredOnce([result.recordId]);
  });

  it('an answer lost after the ledger stored the record does not store it twice', async () => {
    ledger.inject({ kind: 'store-then-500' });
    const { client: c, events } = client();
    const result = await capture(c);
    expect(result.status).to.equal('pending');
    await until(() => events.some((e) => e.type === 'delivered'));
    expect(ledger.posts).to.equal(2);
    expectStoredOnce([result.recordId]);
  });

  it('a permanent 4xx is not retried and is reported as an event', async () => {
    ledger.inject({ kind: 'reject', status: 400, code: 'invalid-record' });
    const { client: c, events } = client();
    const result = await capture(c);
    expect(result).to.deep.include({ status: 'rejected', code: 'invalid-record' });
    const error = events.find((e) => e.type === 'error');
    expect(error).to.deep.equal({
      type: 'error',
      code: 'invalid-record',
      reason: 'refused by test',
      recordId: result.recordId,
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(ledger.posts).to.equal(1);
    expect(c.pending()).to.deep.equal([]);
  });

  it('a new client on the same file outbox resumes what the last one left, in chain order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentkit-resume-'));
    try {
      const path = join(dir, 'outbox.json');
      const signer = await makeSigner();
      ledger.inject(...Array.from({ length: 20 }, () => ({ kind: 'network-error' as const })));
      const { client: first } = client({ outbox: createFileOutboxStore({ path }), signer, retry: { baseMs: 60_000 } });
      const ids = [(await capture(first)).recordId, (await capture(first, false)).recordId];
      expect(first.pending()).to.deep.equal(ids);
      await first.close();
      expect(ledger.stored.size).to.equal(0);

      ledger = createMockLedger();
      server.resetHandlers(...ledger.handlers);
      const { client: second } = client({ outbox: createFileOutboxStore({ path }), signer });
      await second.flush();
      expect(second.pending()).to.deep.equal([]);
      const third = await capture(second);
      expect(third.status).to.equal('delivered');
      expectStoredOnce([...ids, third.recordId]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
